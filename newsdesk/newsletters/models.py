import secrets
from email.utils import formataddr

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

# A header value with a line break could smuggle in headers of its own.
single_line = RegexValidator(r"[\x00-\x1f\x7f]", inverse_match=True, message="Use a single line of text.")


class Newsletter(models.Model):
    name = models.CharField(max_length=150, validators=[single_line])
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(help_text="One or two sentences: what a reader gets and why.")
    host = models.ForeignKey(
        "people.Contributor", on_delete=models.PROTECT, related_name="newsletters", help_text="Who writes it."
    )
    cadence = models.CharField(max_length=100, help_text='How often it arrives, e.g. "Every weekday morning".')
    sender_name = models.CharField(max_length=100, validators=[single_line], help_text="Shown as the sender.")
    sender_address = models.EmailField(help_text="The address issues are sent from.")
    reply_to = models.EmailField(blank=True, help_text="Where replies go; leave empty for the sender address.")
    is_active = models.BooleanField(
        "open for subscriptions", default=True, help_text="Closed newsletters disappear from every form."
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("host"),
        FieldPanel("cadence"),
        MultiFieldPanel(
            [FieldPanel("sender_name"), FieldPanel("sender_address"), FieldPanel("reply_to")], heading="Sending"
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
    name = models.CharField(max_length=200, blank=True, help_text="As given in an imported list; forms ask for none.")
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
        IMPORTED = "imported", "Imported"
        # There is no suppression list yet: a bounced or cleaned address arrives unsubscribed with this method.
        IMPORTED_BOUNCED = "imported_bounced", "Imported: bounced"

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="subscriptions")
    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="subscriptions")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    requested_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    unsubscribe_method = models.CharField(max_length=20, choices=Method.choices, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "newsletter"], name="one_subscription_per_newsletter")
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

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="consents")
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
    file = models.FileField(upload_to=_import_file_name, blank=True, help_text="Deleted once imported.")
    file_name = models.CharField(max_length=255, help_text="As uploaded; consent records name it.")
    format = models.CharField(max_length=20)
    consent_source = models.TextField(blank=True, help_text="Given, the addresses are imported confirmed.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UPLOADED)
    progress = models.FloatField(default=0, help_text="Share of the file read, 0 to 1.")
    rows_read = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    merged = models.PositiveIntegerField(default=0)
    skipped = models.JSONField(default=dict, help_text="Reason → row numbers.")
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
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
