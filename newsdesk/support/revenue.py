"""The figures of the admin's revenue page, each one aggregate query whatever the number of members."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Q, Sum
from django.utils import timezone

from newsdesk.members.models import Member, Membership, Payment, format_price
from newsdesk.support import campaigns
from newsdesk.support.models import Gift


def month_start(now: datetime) -> datetime:
    """The first moment of this month in the newsroom's time zone."""
    return timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _money(rows) -> list[dict]:
    return [
        {**row, "total_display": format_price(row["total"] or 0, row["currency"])} for row in rows
    ]


def monthly_recurring_revenue(now: datetime) -> list[dict]:
    """Per currency: active paid memberships' amounts a month (a yearly one counts a twelfth)."""
    rows = (
        Membership.objects.current(now)
        .filter(source=Membership.Source.PAID, amount__isnull=False)
        .values("currency")
        .annotate(
            count=Count("pk"),
            monthly=Sum("amount", filter=Q(interval="month")),
            yearly=Sum("amount", filter=Q(interval="year")),
        )
        .order_by("currency")
    )
    return _money(
        {
            "currency": row["currency"],
            "count": row["count"],
            "total": round((row["monthly"] or 0) + (row["yearly"] or 0) / 12),
        }
        for row in rows
    )


@dataclass
class Revenue:
    since: datetime
    members_by_tier: list[dict] = field(default_factory=list)
    recurring: list[dict] = field(default_factory=list)
    new_members: int = 0
    new_paid: int = 0
    lapsed: int = 0
    donations: list[dict] = field(default_factory=list)
    gift_sales: list[dict] = field(default_factory=list)
    gifts: dict = field(default_factory=dict)
    campaigns: list = field(default_factory=list)


def revenue(now: datetime | None = None) -> Revenue:
    now = now or timezone.now()
    since = month_start(now)
    figures = Revenue(since=since)
    figures.members_by_tier = list(
        Membership.objects.current(now)
        .values("tier__name", "tier__is_free")
        .annotate(count=Count("pk"))
        .order_by("tier__sort_order", "tier__name")
    )
    figures.recurring = monthly_recurring_revenue(now)
    figures.new_members = Member.objects.filter(created_at__gte=since).count()
    figures.new_paid = Membership.objects.filter(
        started_at__gte=since, source=Membership.Source.PAID
    ).count()
    figures.lapsed = Membership.objects.filter(
        status=Membership.Status.LAPSED, ended_at__gte=since, ended_at__lte=now
    ).count()
    this_month = Payment.objects.filter(status=Payment.Status.PAID, paid_at__gte=since)
    figures.donations = _money(
        this_month.filter(kind=Payment.Kind.DONATION)
        .values("recurring", "currency")
        .annotate(count=Count("pk"), total=Sum("amount"))
        .order_by("recurring", "currency")
    )
    figures.gift_sales = _money(
        this_month.filter(kind=Payment.Kind.GIFT)
        .values("currency")
        .annotate(count=Count("pk"), total=Sum("amount"))
        .order_by("currency")
    )
    figures.gifts = Gift.objects.aggregate(
        claimed_this_month=Count("pk", filter=Q(claimed_at__gte=since)),
        waiting=Count("pk", filter=Q(claimed_at__isnull=True)),
    )
    figures.campaigns = [campaigns.measure(campaign) for campaign in campaigns.running(now)]
    return figures
