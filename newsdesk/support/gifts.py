"""Gift memberships: bought through Checkout, claimed by the recipient with a single-use link.

The link's page only shows a button: a mail scanner following the link claims
nothing, and the POST of the button uses the link up. Only the token's hash is
kept. A claim makes the recipient a member (if they were not) with a
membership of the gift's tier that ends after its months and never renews,
and signs them in.
"""

import calendar
import hashlib
import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log

from newsdesk.core.links import absolute_url
from newsdesk.members import accounts
from newsdesk.members.billing import record_charge
from newsdesk.members.models import Member, Membership, Payment, Tier
from newsdesk.support import log_actions
from newsdesk.support.models import Gift
from newsdesk.support.tasks import send_gift_link

KIND = Payment.Kind.GIFT
CLAIM_WITHIN = timedelta(days=365)
MESSAGE_MAX = 500


class ClaimProblem(Exception):
    MESSAGES = {
        "unknown": "This link is not one we sent: check that it was copied whole.",
        "claimed": "This gift has been claimed already.",
        "expired": "This gift was not claimed in time and has expired.",
        "ongoing": (
            "You have a membership that runs until it is cancelled, so the gift cannot "
            "start now. The link stays valid: claim it once that membership has ended."
        ),
    }

    def __init__(self, reason: str) -> None:
        super().__init__(self.MESSAGES[reason])
        self.reason = reason


def add_months(moment: datetime, months: int) -> datetime:
    """The same day and time that many months on; the month's last day when it has fewer days."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def price(tier: Tier, months: int) -> int:
    return tier.monthly_price * months


def checkout_url(request, *, buyer_email, recipient_email, tier: Tier, months: int, message):
    """Where the buyer pays for the gift: Checkout for the tier's monthly price times the months."""
    from newsdesk.members.checkout import start_checkout

    return start_checkout(
        request,
        kind=KIND,
        mode="payment",
        line_items=[
            {
                "price_data": {
                    "currency": tier.currency.lower(),
                    "unit_amount": price(tier, months),
                    "product_data": {
                        "name": f"Gift: {tier.name}, {dict(Gift.MONTHS)[months]}",
                    },
                },
                "quantity": 1,
            }
        ],
        email=buyer_email,
        metadata={
            "recipient_email": recipient_email,
            "tier": tier.slug,
            "months": str(months),
            "message": message[:MESSAGE_MAX],
        },
        success_path=reverse("gift_thanks"),
        cancel_path=reverse("gift"),
    )


@transaction.atomic
def record_gift(
    *,
    stripe_id: str,
    buyer_email: str,
    recipient_email: str,
    tier: Tier,
    months: int,
    message: str,
    amount: int,
    currency: str,
    paid_at: datetime,
) -> Gift | None:
    """A paid gift: its Payment and the buyer's receipt, and the recipient's link, once; None if recorded before."""
    payment, created = record_charge(
        kind=KIND,
        stripe_id=stripe_id,
        email=buyer_email,
        amount=amount,
        currency=currency,
        recurring=False,
        paid_at=paid_at,
    )
    if not created:
        return None
    gift = Gift.objects.create(
        buyer_email=buyer_email,
        recipient_email=recipient_email,
        tier=tier,
        months=months,
        message=message[:MESSAGE_MAX],
        payment=payment,
    )
    log(
        gift,
        log_actions.GIFT_BOUGHT,
        title=f"Gift #{gift.pk}",
        data={"tier": tier.name, "months": months, "amount": amount, "currency": payment.currency},
    )
    transaction.on_commit(lambda: send_gift_link.enqueue(gift.pk))
    return gift


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_claim_token(gift_id: int) -> tuple[Gift, str] | None:
    """The gift's claim token, made once (a second run of the task gets None): only its hash is stored."""
    token = secrets.token_urlsafe(32)
    issued = Gift.objects.filter(
        pk=gift_id, claim_token_hash__isnull=True, claimed_at__isnull=True
    ).update(claim_token_hash=_hash(token), claim_mailed_at=timezone.now())
    if not issued:
        return None
    return Gift.objects.select_related("tier").get(pk=gift_id), token


def claim_url(token: str) -> str:
    return absolute_url(reverse("gift_claim", args=[token]))


def check(token: str) -> Gift:
    """The gift the token claims, still claimable; ClaimProblem otherwise. Changes nothing."""
    gift = Gift.objects.select_related("tier").filter(claim_token_hash=_hash(token[:200])).first()
    if gift is None:
        raise ClaimProblem("unknown")
    if gift.claimed_at is not None:
        raise ClaimProblem("claimed")
    if gift.created_at <= timezone.now() - CLAIM_WITHIN:
        raise ClaimProblem("expired")
    return gift


@transaction.atomic
def claim(token: str) -> tuple[Member, Membership]:
    """Claims the gift once whatever the number of presses: the recipient's membership, in place of a free one.

    A complimentary or gift membership with an end is replaced by one that
    runs the gift's months past that end; one that runs until cancelled (paid,
    or complimentary without an end) stays, and the gift waits.
    """
    gift = check(token)
    now = timezone.now()
    member, _ = accounts.join(gift.recipient_email)
    current = member.memberships.current().first()
    if current is not None and current.source != Membership.Source.FREE and not current.ends_at:
        raise ClaimProblem("ongoing")
    claimed = Gift.objects.filter(pk=gift.pk, claimed_at__isnull=True).update(claimed_at=now)
    if not claimed:
        raise ClaimProblem("claimed")
    starts_from = now
    if current is not None and current.ends_at and current.source != Membership.Source.FREE:
        starts_from = max(now, current.ends_at)
    member.memberships.filter(status=Membership.Status.ACTIVE).update(
        status=Membership.Status.CANCELLED, ended_at=now
    )
    membership = Membership.objects.create(
        member=member,
        tier=gift.tier,
        source=Membership.Source.GIFT,
        started_at=now,
        ends_at=add_months(starts_from, gift.months),
    )
    Gift.objects.filter(pk=gift.pk).update(claimed_by=member, membership=membership)
    log(
        gift,
        log_actions.GIFT_CLAIMED,
        title=f"Gift #{gift.pk}",
        data={"tier": gift.tier.name, "ends_at": membership.ends_at.isoformat()},
    )
    return member, membership
