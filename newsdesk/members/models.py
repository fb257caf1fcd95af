"""Members: readers who signed in with their email address, their tiers and memberships.

A member is one person with the newsletters' Subscriber of the same address
(compared in lower case): the account page shows that subscriber's
newsletters, and deleting the account withdraws them. Stripe's ids link each
to its customer, product, prices and subscription (members/billing.py).
"""

import uuid
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PageChooserPanel

from newsdesk.newsletters.models import Subscriber

# Currencies whose minor unit is not a hundredth (ISO 4217).
ZERO_DECIMAL_CURRENCIES = {"JPY", "KRW", "VND", "CLP", "ISK", "HUF"}
CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "UAH": "₴", "PLN": "zł"}


def format_price(minor_units: int, currency: str) -> str:
    """An amount kept in minor units (cents), as readers read it: €5.00, $12.50, 9,00 is not attempted."""
    decimals = 0 if currency in ZERO_DECIMAL_CURRENCIES else 2
    amount = f"{minor_units / 10**decimals:,.{decimals}f}"
    symbol = CURRENCY_SYMBOLS.get(currency)
    return f"{symbol}{amount}" if symbol else f"{amount} {currency}"


class Tier(models.Model):
    """A level of membership readers choose on /membership/: made by editors, priced per month and year."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    benefits = models.TextField(blank=True, help_text="One benefit a line, shown as a list.")
    monthly_price = models.PositiveIntegerField(
        default=0, help_text="In minor units of the currency: 500 is €5.00."
    )
    yearly_price = models.PositiveIntegerField(
        default=0, help_text="In minor units of the currency: 5000 is €50.00."
    )
    currency = models.CharField(
        max_length=3,
        default="EUR",
        validators=[RegexValidator(r"^[A-Z]{3}$", "A three-letter ISO 4217 code, like EUR.")],
    )
    is_free = models.BooleanField(
        default=False, help_text="Anyone who signs up has it; it has no price."
    )
    active = models.BooleanField(default=True, help_text="Offered on the membership page.")
    sort_order = models.PositiveSmallIntegerField(default=0)
    # Made in Stripe when first bought (billing.tier_price); a new price replaces one whose amount changed.
    stripe_product_id = models.CharField(max_length=255, blank=True, editable=False)
    stripe_monthly_price_id = models.CharField(max_length=255, blank=True, editable=False)
    stripe_yearly_price_id = models.CharField(max_length=255, blank=True, editable=False)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("benefits"),
        MultiFieldPanel(
            [FieldPanel("currency"), FieldPanel("monthly_price"), FieldPanel("yearly_price")],
            heading="Prices",
        ),
        FieldPanel("is_free"),
        FieldPanel("active"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "monthly_price", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_free"], condition=Q(is_free=True), name="one_free_tier"
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.is_free and (self.monthly_price or self.yearly_price):
            raise ValidationError("The free tier has no price: set both prices to 0.")
        if not self.is_free and not (self.monthly_price and self.yearly_price):
            raise ValidationError("A paid tier needs a monthly and a yearly price.")

    @property
    def benefit_list(self):
        return [line.strip() for line in self.benefits.splitlines() if line.strip()]

    @property
    def monthly_price_display(self):
        return format_price(self.monthly_price, self.currency)

    @property
    def yearly_price_display(self):
        return format_price(self.yearly_price, self.currency)

    @classmethod
    def free(cls) -> "Tier":
        return cls.objects.get(is_free=True)


class MemberQuerySet(models.QuerySet):
    def for_address(self, email: str):
        return self.filter(email__iexact=email)


class Member(models.Model):
    """One reader with an account, known by an address they proved by a signed link."""

    email = models.EmailField(max_length=254)
    # What a signed-in session names: never reused, unlike an id SQLite may give again.
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_signed_in_at = models.DateTimeField(null=True, blank=True, editable=False)
    stripe_customer_id = models.CharField(max_length=255, null=True, blank=True, unique=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(Lower("email"), name="one_member_per_address")]

    def __str__(self):
        return self.email

    @property
    def subscriber(self) -> Subscriber | None:
        """The newsletters' record of the same person, if they ever subscribed."""
        return Subscriber.objects.filter(email__iexact=self.email).first()

    @property
    def membership(self) -> "Membership | None":
        """The membership in force now, if any."""
        return self.memberships.current().select_related("tier").first()

    @property
    def latest_membership(self) -> "Membership | None":
        return self.memberships.select_related("tier").first()


class MembershipQuerySet(models.QuerySet):
    def current(self, at: datetime | None = None):
        """In force at that time (now): active, and not past its end."""
        at = at or timezone.now()
        return self.filter(status=Membership.Status.ACTIVE).filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=at)
        )


class Membership(models.Model):
    """A member's hold on a tier, from a start to a renewal or an end; the past ones stay as history."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        LAPSED = "lapsed", "Lapsed"
        CANCELLED = "cancelled", "Cancelled"

    class Source(models.TextChoices):
        FREE = "free", "Free sign-up"
        COMP = "comp", "Complimentary"
        PAID = "paid", "Paid"
        GIFT = "gift", "Gift"

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="memberships")
    tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="memberships")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    source = models.CharField(max_length=20, choices=Source.choices)
    started_at = models.DateTimeField(default=timezone.now)
    renews_at = models.DateTimeField(
        null=True, blank=True, help_text="When a paid membership is next charged."
    )
    ends_at = models.DateTimeField(
        null=True, blank=True, help_text="When it ends; empty: it runs until cancelled."
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    stripe_subscription_id = models.CharField(max_length=255, null=True, blank=True, unique=True)
    # What a paid membership costs each interval, as Stripe charges it: monthly recurring revenue is counted from these.
    amount = models.PositiveIntegerField(
        null=True, blank=True, help_text="In minor units of the currency, each interval."
    )
    currency = models.CharField(max_length=3, blank=True)
    interval = models.CharField(
        max_length=5, blank=True, choices=[("month", "Monthly"), ("year", "Yearly")]
    )
    to_confirm = models.BooleanField(
        default=False,
        help_text="Imported as paid (a Ghost export): `newsdesk stripe_sync` confirms it "
        "against the member's Stripe customer.",
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(status="active"), name="one_active_membership"
            )
        ]

    def __str__(self):
        return f"{self.member} · {self.tier} ({self.get_status_display()})"

    @property
    def amount_display(self):
        return format_price(self.amount, self.currency) if self.amount is not None else ""


class StoryAccess(models.Model):
    """Who may read a story in full: members, or members of chosen tiers. A story without one is public."""

    class Level(models.TextChoices):
        MEMBERS = "members", "Members (any tier, the free one too)"
        TIERS = "tiers", "Members of the tiers chosen"

    page = models.OneToOneField(
        "articles.ArticlePage", on_delete=models.CASCADE, related_name="+", verbose_name="story"
    )
    level = models.CharField(max_length=20, choices=Level.choices, default=Level.MEMBERS)
    tiers = models.ManyToManyField(Tier, blank=True, related_name="+")

    panels = [
        PageChooserPanel("page", "articles.ArticlePage"),
        FieldPanel("level"),
        FieldPanel("tiers"),
    ]

    class Meta:
        verbose_name = "gated story"
        verbose_name_plural = "gated stories"

    def __str__(self):
        return f"{self.page.title}: {self.get_level_display()}"

    def admits(self, membership: Membership | None) -> bool:
        if membership is None:
            return False
        if self.level == self.Level.MEMBERS:
            return True
        return self.tiers.filter(pk=membership.tier_id).exists()


class NewsletterAccess(models.Model):
    """Who a newsletter goes to: members, or members of chosen tiers. A newsletter without one is everyone's.

    Checked for each recipient just before their message goes (newsletters/audience.py):
    a member whose membership lapsed gets nothing more.
    """

    Level = StoryAccess.Level

    newsletter = models.OneToOneField(
        "newsletters.Newsletter", on_delete=models.CASCADE, related_name="+"
    )
    level = models.CharField(max_length=20, choices=Level.choices, default=Level.MEMBERS)
    tiers = models.ManyToManyField(Tier, blank=True, related_name="+")

    panels = [FieldPanel("newsletter"), FieldPanel("level"), FieldPanel("tiers")]

    class Meta:
        verbose_name = "members' newsletter"
        verbose_name_plural = "members' newsletters"

    def __str__(self):
        return f"{self.newsletter.name}: {self.get_level_display()}"


class SignInLink(models.Model):
    """A link mailed to an address to sign in with: used once, within LIFETIME; only its hash is kept.

    The address waits here, and nowhere else, until the link is pressed: no
    member exists for an address nobody confirmed.
    """

    email = models.EmailField(max_length=254)
    # NULL until the task issues the token: unique hashes, and any number not issued yet.
    token_hash = models.CharField(max_length=64, unique=True, null=True, editable=False)  # noqa: DJ001
    next_path = models.CharField(
        max_length=500, blank=True, help_text="Where the reader goes once signed in."
    )
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Sign-in link for {self.email}"


class Payment(models.Model):
    """Money a reader paid: a membership's charge, a donation or a gift.

    Kept when the member deletes the account (the law asks for payment
    records): the member is then unset and the address stays.
    """

    class Kind(models.TextChoices):
        MEMBERSHIP = "membership", "Membership"
        DONATION = "donation", "Donation"
        GIFT = "gift", "Gift membership"

    class Status(models.TextChoices):
        PAID = "paid", "Paid"
        REFUNDED = "refunded", "Refunded"

    member = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="payments"
    )
    email = models.EmailField(max_length=254)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PAID)
    amount = models.PositiveIntegerField(help_text="In minor units of the currency.")
    currency = models.CharField(max_length=3)
    recurring = models.BooleanField(default=False)
    paid_at = models.DateTimeField(default=timezone.now)
    # The invoice, payment intent or checkout session it came from: one payment each.
    stripe_id = models.CharField(max_length=255, null=True, blank=True, unique=True)
    receipt_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-paid_at", "-pk"]
        indexes = [models.Index(fields=["kind", "paid_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount_display} · {self.email}"

    @property
    def amount_display(self):
        return format_price(self.amount, self.currency)


class StripeEvent(models.Model):
    """A webhook event from Stripe, kept by its id: each one is handled once however often it comes."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    # Stripe's time of the event: what "late" and "out of order" are judged by.
    created = models.DateTimeField()
    received_at = models.DateTimeField(default=timezone.now)
    handled_at = models.DateTimeField(null=True, blank=True)
    payload = models.JSONField()

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self):
        return f"{self.type} {self.event_id}"
