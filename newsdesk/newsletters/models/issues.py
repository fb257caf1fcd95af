from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, PreviewableMixin

from newsdesk.newsletters.models.newsletters import Newsletter, single_line
from newsdesk.newsletters.models.subscribers import Subscriber


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

        from newsdesk.newsletters.sending import issues

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
        WITHHELD = "withheld", "Withheld: not in the newsletter's audience when sent"
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
    withheld_because = models.CharField(
        max_length=200, blank=True, help_text="Why it was withheld (newsletters/audience.py)."
    )
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
