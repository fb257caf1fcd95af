"""Reader revenue beyond tiers: donations' amounts, gift memberships and campaigns.

The money itself is members' `Payment` (kind donation or gift), written by the
webhook's handlers here (donations.py, gifts.py); this app keeps what only it
needs: the amounts offered, the gifts waiting to be claimed, the campaigns.
"""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from newsdesk.members.models import ZERO_DECIMAL_CURRENCIES, Member, Membership, Payment, Tier

CURRENCY_CODE = RegexValidator(r"^[A-Z]{3}$", "A three-letter ISO 4217 code, like EUR.")


def minor_units_per_unit(currency: str) -> int:
    return 1 if currency in ZERO_DECIMAL_CURRENCIES else 100


@register_setting(icon="pick")
class DonationSettings(BaseGenericSetting):
    """What /support/ offers: the newsroom's currency, the preset amounts and the bounds of a custom one."""

    currency = models.CharField(max_length=3, default="EUR", validators=[CURRENCY_CODE])
    preset_amounts = models.CharField(
        max_length=200,
        default="5, 10, 25, 50",
        help_text="Whole amounts in the currency, separated by commas: 5, 10, 25, 50.",
    )
    minimum = models.PositiveIntegerField(
        default=2, help_text="The smallest amount a reader may give, in whole units."
    )
    maximum = models.PositiveIntegerField(
        default=5000, help_text="The largest amount a reader may give at once, in whole units."
    )
    appeal = models.TextField(
        blank=True,
        default=(
            "Our journalism is free to read and paid for by readers. "
            "A gift of any size keeps it independent."
        ),
        help_text="The words above the form on /support/.",
    )

    panels = [
        FieldPanel("appeal"),
        FieldPanel("currency"),
        FieldPanel("preset_amounts"),
        FieldRowPanel([FieldPanel("minimum"), FieldPanel("maximum")], heading="Custom amount"),
    ]

    class Meta:
        verbose_name = "donations"

    def clean(self):
        if self.minimum < 1 or self.maximum < self.minimum:
            raise ValidationError(
                {"maximum": "The maximum must be at least the minimum, 1 or more."}
            )
        try:
            presets = self.parse_presets(self.preset_amounts)
        except ValueError:
            raise ValidationError(
                {"preset_amounts": "Whole numbers separated by commas, like 5, 10, 25."}
            ) from None
        if not presets or len(presets) > 6:
            raise ValidationError({"preset_amounts": "Give between one and six amounts."})
        if any(not self.minimum <= amount <= self.maximum for amount in presets):
            raise ValidationError(
                {"preset_amounts": "Each amount must be within the minimum and the maximum."}
            )

    @staticmethod
    def parse_presets(text: str) -> list[int]:
        return sorted({int(part) for part in text.split(",") if part.strip()})

    @property
    def unit(self) -> int:
        return minor_units_per_unit(self.currency)

    @property
    def presets(self) -> list[int]:
        """The preset amounts in minor units, as Payment keeps amounts."""
        try:
            return [amount * self.unit for amount in self.parse_presets(self.preset_amounts)]
        except ValueError:
            return []

    @property
    def bounds(self) -> tuple[int, int]:
        """The smallest and largest amount, in minor units."""
        return self.minimum * self.unit, self.maximum * self.unit


class Gift(models.Model):
    """A membership of some months bought for someone else; it becomes theirs when they claim it.

    Made when the payment arrives. The claim link is single use and expires
    (gifts.CLAIM_WITHIN): only its hash is kept.
    """

    MONTHS = [(1, "1 month"), (3, "3 months"), (6, "6 months"), (12, "12 months")]

    buyer_email = models.EmailField(max_length=254)
    recipient_email = models.EmailField(max_length=254)
    tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="+")
    months = models.PositiveSmallIntegerField(choices=MONTHS)
    message = models.TextField(blank=True, max_length=500)
    payment = models.OneToOneField(
        Payment, on_delete=models.SET_NULL, null=True, blank=True, related_name="gift"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # NULL until the task mails the link: unique hashes, and any number not issued yet.
    claim_token_hash = models.CharField(max_length=64, unique=True, null=True, editable=False)  # noqa: DJ001
    claim_mailed_at = models.DateTimeField(null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    membership = models.OneToOneField(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.tier} for {self.get_months_display()} to {self.recipient_email}"


class Campaign(models.Model):
    """A goal with a start and an end: new members, or an amount raised, shown as a meter."""

    class Goal(models.TextChoices):
        MEMBERS = "members", "New paying members"
        AMOUNT = "amount", "Amount raised"

    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    goal_kind = models.CharField(max_length=20, choices=Goal.choices, default=Goal.MEMBERS)
    goal = models.PositiveIntegerField(
        help_text="A number of members, or an amount in whole units of the currency."
    )
    currency = models.CharField(
        max_length=3, blank=True, validators=[CURRENCY_CODE], help_text="For an amount: EUR."
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldPanel("goal_kind"), FieldPanel("goal"), FieldPanel("currency")], heading="Goal"
        ),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")], heading="When"),
    ]

    class Meta:
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="campaign_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(goal__gt=0), name="campaign_goal_positive"),
        ]
        permissions = [("view_revenue", "Can see the revenue page")]

    def __str__(self):
        return self.name

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "A campaign ends after it starts."})
        if self.goal_kind == self.Goal.AMOUNT and not self.currency:
            raise ValidationError({"currency": "An amount is in a currency: give its code."})
        if not self.goal:
            raise ValidationError({"goal": "A goal is more than nothing."})

    @property
    def goal_in_minor_units(self) -> int:
        return self.goal * minor_units_per_unit(self.currency)

    def progress(self) -> int:
        """Members: paid (or gift) memberships started in the window. Amount: payments received in it, minor units."""
        if self.goal_kind == self.Goal.MEMBERS:
            return Membership.objects.filter(
                source__in=[Membership.Source.PAID, Membership.Source.GIFT],
                started_at__gte=self.starts_at,
                started_at__lt=self.ends_at,
            ).count()
        total = Payment.objects.filter(
            status=Payment.Status.PAID,
            currency=self.currency,
            paid_at__gte=self.starts_at,
            paid_at__lt=self.ends_at,
        ).aggregate(total=models.Sum("amount"))["total"]
        return total or 0
