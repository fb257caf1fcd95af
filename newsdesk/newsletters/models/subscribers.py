from django.db import models
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.utils import timezone
from wagtail.admin.panels import FieldPanel

from newsdesk.newsletters.models.newsletters import Newsletter


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


class SubscriptionQuerySet(models.QuerySet):
    def receiving(self):
        """Those an issue goes to: confirmed, and the address is not on the suppression list.

        The one statement of that rule: the audience frozen when a send starts,
        the count the send page shows and the check before each chunk all use it.
        """
        suppressed = Suppression.objects.filter(email=Lower(OuterRef("subscriber__email")))
        return self.filter(status=Subscription.Status.CONFIRMED).exclude(Exists(suppressed))


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

    objects = SubscriptionQuerySet.as_manager()

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
    def covers(cls, email: str) -> bool:
        return cls.objects.filter(email=email.lower()).exists()
