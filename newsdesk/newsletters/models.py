import secrets
from email.utils import formataddr

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, PreviewableMixin

# A header value with a line break could smuggle in headers of its own.
single_line = RegexValidator(
    r"[\x00-\x1f\x7f]", inverse_match=True, message="Use a single line of text."
)


class Newsletter(models.Model):
    name = models.CharField(max_length=150, validators=[single_line])
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(help_text="One or two sentences: what a reader gets and why.")
    host = models.ForeignKey(
        "people.Contributor",
        on_delete=models.PROTECT,
        related_name="newsletters",
        help_text="Who writes it.",
    )
    cadence = models.CharField(
        max_length=100, help_text='How often it arrives, e.g. "Every weekday morning".'
    )
    sender_name = models.CharField(
        max_length=100, validators=[single_line], help_text="Shown as the sender."
    )
    sender_address = models.EmailField(help_text="The address issues are sent from.")
    reply_to = models.EmailField(
        blank=True, help_text="Where replies go; leave empty for the sender address."
    )
    is_active = models.BooleanField(
        "open for subscriptions",
        default=True,
        help_text="Closed newsletters disappear from every form.",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("host"),
        FieldPanel("cadence"),
        MultiFieldPanel(
            [FieldPanel("sender_name"), FieldPanel("sender_address"), FieldPanel("reply_to")],
            heading="Sending",
        ),
        FieldPanel("is_active"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def from_header(self):
        return formataddr((self.sender_name, self.sender_address))


class Subscriber(models.Model):
    """An email address, with or without subscriptions; its preferences link names it."""

    email = models.EmailField(max_length=254)
    name = models.CharField(
        max_length=200, blank=True, help_text="As given in an imported list; forms ask for none."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["email"]
        constraints = [models.UniqueConstraint(Lower("email"), name="one_subscriber_per_address")]

    def __str__(self):
        return self.email


class Subscription(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending confirmation"
        CONFIRMED = "confirmed", "Confirmed"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"

    class Method(models.TextChoices):
        FORM = "form", "Subscribe form"
        CONFIRMATION_LINK = "confirmation_link", "Confirmation link"
        PREFERENCES = "preferences", "Preferences page"
        LEAVE_ALL = "leave_all", "Unsubscribe from all"
        ONE_CLICK = "one_click", "One-click unsubscribe"
        IMPORTED = "imported", "Imported"
        # A bounced or cleaned address arrives unsubscribed with this method, and on the suppression list.
        IMPORTED_BOUNCED = "imported_bounced", "Imported: bounced"

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )
    newsletter = models.ForeignKey(
        Newsletter, on_delete=models.CASCADE, related_name="subscriptions"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    requested_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    unsubscribe_method = models.CharField(max_length=20, choices=Method.choices, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "newsletter"], name="one_subscription_per_newsletter"
            )
        ]

    def __str__(self):
        return f"{self.subscriber} → {self.newsletter}"

    @property
    def email(self):
        return self.subscriber.email


class ConsentRecord(models.Model):
    """What a reader agreed to or withdrew, when, from where and in which words: kept as evidence."""

    class Action(models.TextChoices):
        REQUESTED = "requested", "Asked to subscribe"
        CONFIRMED = "confirmed", "Confirmed"
        WITHDRAWN = "withdrawn", "Unsubscribed"

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="consents"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    method = models.CharField(max_length=20, choices=Subscription.Method.choices)
    at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)
    source_url = models.CharField(max_length=500, blank=True, help_text="The page the form was on.")
    wording = models.TextField(blank=True, help_text="The consent text the reader was shown.")

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} {self.subscription} at {self.at:%Y-%m-%d %H:%M}"


def _import_file_name(instance, filename):
    # Media may be served publicly (the embedded profile serves /media/): the
    # stored name must not be guessable from the uploaded one or the date.
    return f"subscriber-imports/{secrets.token_hex(16)}.csv"


class SubscriberImport(models.Model):
    """A list uploaded in the admin and imported by the task worker, with its progress and report."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", "Uploaded, not started"
        QUEUED = "queued", "Waiting for the task worker"
        RUNNING = "running", "Importing"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="imports")
    file = models.FileField(
        upload_to=_import_file_name, blank=True, help_text="Deleted once imported."
    )
    file_name = models.CharField(max_length=255, help_text="As uploaded; consent records name it.")
    format = models.CharField(max_length=20)
    consent_source = models.TextField(
        blank=True, help_text="Given, the addresses are imported confirmed."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UPLOADED)
    progress = models.FloatField(default=0, help_text="Share of the file read, 0 to 1.")
    rows_read = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    merged = models.PositiveIntegerField(default=0)
    skipped = models.JSONField(default=dict, help_text="Reason → row numbers.")
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.file_name} → {self.newsletter}"

    @property
    def finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)


class Issue(PreviewableMixin, ClusterableModel):
    """One edition of a newsletter, composed by an editor or by `newsdesk send_newsletter`."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        SENDING = "sending", "Sending"
        PAUSED = "paused", "Paused"
        SENT = "sent", "Sent"
        CANCELLED = "cancelled", "Cancelled"

    newsletter = models.ForeignKey(Newsletter, on_delete=models.PROTECT, related_name="issues")
    subject = models.CharField(max_length=200, validators=[single_line])
    preheader = models.CharField(
        max_length=200,
        blank=True,
        validators=[single_line],
        help_text="The line inboxes show after the subject.",
    )
    intro = RichTextField(
        "introduction",
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text="A few words from the host.",
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    scheduled_at = models.DateTimeField(null=True, blank=True, editable=False)
    started_at = models.DateTimeField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # What every recipient gets, frozen when the send starts; personal links are placeholders (messages.py).
    email_html = models.TextField(blank=True, editable=False)
    email_text = models.TextField(blank=True, editable=False)

    panels = [
        # A newsroom has a handful of newsletters: a list to pick from, not a chooser dialog.
        FieldPanel("newsletter", widget=forms.Select),
        FieldPanel("subject"),
        FieldPanel("preheader"),
        FieldPanel("intro"),
        InlinePanel(
            "stories",
            heading="Stories",
            label="Story",
            help_text="Leave empty to fill the issue with the latest stories published since the previous issue.",
        ),
    ]

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [("send_issue", "Can send issues to subscribers")]

    def __str__(self):
        return self.subject

    @property
    def is_editable(self):
        return self.status in (self.Status.DRAFT, self.Status.SCHEDULED)

    def get_web_path(self):
        from django.urls import reverse

        return reverse("newsletters:archive_issue", args=[self.newsletter.slug, self.pk])

    def clean(self):
        if (
            self.pk
            and not Issue.objects.filter(
                pk=self.pk, status__in=[self.Status.DRAFT, self.Status.SCHEDULED]
            ).exists()
        ):
            raise ValidationError(
                "This issue has been sent or is being sent; it can no longer be changed."
            )

    def serve_preview(self, request, mode_name):
        from django.http import HttpResponse

        from newsdesk.newsletters import issues

        return HttpResponse(issues.render_sample(self)[0])


class IssueStory(Orderable):
    issue = ParentalKey(Issue, on_delete=models.CASCADE, related_name="stories")
    article = models.ForeignKey("articles.ArticlePage", on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("article")]


class Delivery(models.Model):
    """One recipient of one issue: what was sent to whom, when, and what the mail server answered."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped: unsubscribed or suppressed before sending"
        CANCELLED = "cancelled", "Cancelled"

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    email = models.EmailField(max_length=254)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    in_doubt = models.BooleanField(
        default=False,
        help_text="A worker stopped during this message's SMTP transaction; it was sent again.",
    )
    smtp_response = models.CharField(max_length=500, blank=True)
    message_id = models.CharField(max_length=250, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "subscriber"], name="one_delivery_per_recipient"
            )
        ]
        indexes = [models.Index(fields=["issue", "status"])]

    def __str__(self):
        return f"{self.issue} → {self.email}"


class DeliveryBatch(models.Model):
    """A run of consecutive deliveries that one task sends; a lease tells when its worker is presumed dead."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="batches")
    first_delivery = models.BigIntegerField()
    last_delivery = models.BigIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    leased_until = models.DateTimeField(null=True, blank=True)
    retry_at = models.DateTimeField(null=True, blank=True)
    retries = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "delivery batches"
        indexes = [models.Index(fields=["issue", "status"])]

    def __str__(self):
        return f"{self.issue}: deliveries {self.first_delivery}–{self.last_delivery}"


class Suppression(models.Model):
    """An address no newsletter is sent to, whatever its subscriptions say."""

    class Reason(models.TextChoices):
        BOUNCED = "bounced", "Bounced"
        COMPLAINED = "complained", "Marked as spam"
        REJECTED = "rejected", "Rejected by the mail server"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed at the email service"
        MANUAL = "manual", "Added by an editor"

    email = models.EmailField(max_length=254, unique=True, help_text="Stored in lower case.")
    reason = models.CharField(max_length=20, choices=Reason.choices, default=Reason.MANUAL)
    source = models.CharField(
        max_length=100, blank=True, help_text="Where it came from, e.g. mailgun or smtp."
    )
    detail = models.CharField(
        max_length=500, blank=True, help_text="What the service or server said."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    panels = [FieldPanel("email"), FieldPanel("reason"), FieldPanel("detail")]

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        self.email = self.email.lower()
        super().save(*args, **kwargs)

    @classmethod
    def suppress(cls, email, reason, source, detail=""):
        """Adds the address, or keeps the first reason it was suppressed for."""
        suppression, _ = cls.objects.get_or_create(
            email=email.lower(),
            defaults={"reason": reason, "source": source, "detail": detail[:500]},
        )
        return suppression

    @classmethod
    def covers(cls, email):
        return cls.objects.filter(email=email.lower()).exists()
