"""A member's history, as the admin's member page shows it: one query for each part."""

from dataclasses import dataclass

from django.db.models import Prefetch
from wagtail.models import ModelLogEntry

from newsdesk.members.models import Member, Membership, Payment, SignInLink
from newsdesk.members.signin import KEEP_LINKS_FOR
from newsdesk.newsletters.models import ConsentRecord, Subscriber, Subscription


@dataclass
class History:
    memberships: list[Membership]
    payments: list[Payment]
    # When they pressed a sign-in link; links are kept for KEEP_LINKS_FOR only.
    sign_ins: list
    subscriptions: list[Subscription]  # each with its consent records, oldest first
    events: list[ModelLogEntry]
    sign_ins_kept_days: int = KEEP_LINKS_FOR.days


def history_of(member: Member) -> History:
    subscriber = Subscriber.objects.filter(email__iexact=member.email).first()
    subscriptions = (
        list(
            subscriber.subscriptions.select_related("newsletter")
            .prefetch_related(
                Prefetch("consents", queryset=ConsentRecord.objects.order_by("at", "pk"))
            )
            .order_by("newsletter__name")
        )
        if subscriber
        else []
    )
    # Pressing one link spends the address's other links at the same moment: one sign-in.
    sign_ins = list(
        SignInLink.objects.filter(email__iexact=member.email, used_at__isnull=False)
        .order_by("-used_at")
        .values_list("used_at", flat=True)
        .distinct()
    )
    return History(
        memberships=list(member.memberships.select_related("tier")),
        payments=list(member.payments.all()),
        sign_ins=sign_ins,
        subscriptions=subscriptions,
        events=list(ModelLogEntry.objects.for_instance(member).select_related("user")),
    )
