"""The campaign meter: the running campaign's progress, as /support/, /membership/, the front page and the admin show it.

Progress changes with every payment, so it is not a tag of the page cache
(which would renew every page that shows it on each payment). It is counted at
most once every METER_SECONDS and kept in the shared cache; the kept pages
carry it as it was when they were rendered (at most PAGE_CACHE_SECONDS old),
and meter.js, where JavaScript runs, brings it up to date from the meter's
endpoint. A change to a campaign itself (its goal, its dates) renews the pages
through the `campaigns` tag (apps.py).
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone

from newsdesk.members.models import format_price
from newsdesk.support.models import Campaign

METER_SECONDS = 15
CAMPAIGNS_TAG = "campaigns"
_METER_KEY = "support:meter:{}"


@dataclass(frozen=True)
class Meter:
    campaign_id: int
    name: str
    description: str
    goal_kind: str
    goal: int
    progress: int
    currency: str
    ends_at: object

    @property
    def percent(self) -> int:
        """How far towards the goal, 0 to 100 (the bar stops at full; the words say more)."""
        return min(100, self.progress * 100 // self.goal) if self.goal else 0

    @property
    def is_amount(self) -> bool:
        return self.goal_kind == Campaign.Goal.AMOUNT

    @property
    def progress_display(self) -> str:
        return (
            format_price(self.progress, self.currency) if self.is_amount else f"{self.progress:,}"
        )

    @property
    def goal_display(self) -> str:
        return format_price(self.goal, self.currency) if self.is_amount else f"{self.goal:,}"

    @property
    def summary(self) -> str:
        unit = "raised" if self.is_amount else "new members"
        return f"{self.progress_display} of {self.goal_display} {unit}"


def running(at=None):
    """Campaigns in their window now, the one ending first first."""
    at = at or timezone.now()
    return Campaign.objects.filter(starts_at__lte=at, ends_at__gt=at).order_by("ends_at", "pk")


def measure(campaign: Campaign) -> Meter:
    return Meter(
        campaign_id=campaign.pk,
        name=campaign.name,
        description=campaign.description,
        goal_kind=campaign.goal_kind,
        goal=campaign.goal_in_minor_units
        if campaign.goal_kind == Campaign.Goal.AMOUNT
        else campaign.goal,
        progress=campaign.progress(),
        currency=campaign.currency,
        ends_at=campaign.ends_at,
    )


def meter(campaign_id: int | None = None) -> Meter | None:
    """The meter of that campaign (or of the running one), counted at most once every METER_SECONDS."""

    def count():
        if campaign_id is None:
            campaign = running().first()
        else:
            campaign = Campaign.objects.filter(pk=campaign_id).first()
        return measure(campaign) if campaign else False

    found = cache.get_or_set(_METER_KEY.format(campaign_id or "running"), count, METER_SECONDS)
    return found or None


def forget_meters(sender=None, instance=None, **kwargs):
    """A campaign changed: its meter and the running one are counted again at once."""
    keys = [_METER_KEY.format("running")]
    if instance is not None and instance.pk:
        keys.append(_METER_KEY.format(instance.pk))
    cache.delete_many(keys)
