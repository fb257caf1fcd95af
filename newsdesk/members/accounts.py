"""What happens to a member: joining, a complimentary membership, lapsing, deleting the account.

Each step is in Wagtail's audit log (log_actions.py) under the acting user: a
member of staff for a grant, none ("system") for a reader's own steps and the
worker's.
"""

from datetime import datetime

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from newsdesk.members import log_actions
from newsdesk.members.models import Member, Membership, SignInLink, Tier
from newsdesk.newsletters.subscribers import subscriptions

Status = Membership.Status


def _new_member(email: str) -> tuple[Member, bool]:
    member = Member.objects.for_address(email).first()
    if member is not None:
        return member, False
    try:
        with transaction.atomic():
            member = Member.objects.create(email=email)
    except IntegrityError:
        # Two links of one new address pressed at once: the other press made the member.
        return Member.objects.for_address(email).get(), False
    free = Tier.objects.filter(is_free=True).first()
    if free is not None:
        Membership.objects.create(member=member, tier=free, source=Membership.Source.FREE)
    log(member, log_actions.JOIN)
    return member, True


@transaction.atomic
def join(email: str) -> tuple[Member, bool]:
    """The member of that address, made with the free tier if there was none: only ever after its link was pressed."""
    return _new_member(email)


@transaction.atomic
def grant_membership(
    email: str, tier: Tier, until: datetime | None, user: User | None = None
) -> Membership:
    """A complimentary membership (Ghost's "comped"), in place of the member's current one.

    An address without an account gets one: staff vouch for it, as Ghost's do.
    """
    if until is not None and until <= timezone.now():
        raise ValueError("A complimentary membership must end in the future.")
    member, _ = _new_member(email)
    now = timezone.now()
    member.memberships.filter(status=Status.ACTIVE).update(status=Status.CANCELLED, ended_at=now)
    membership = Membership.objects.create(
        member=member, tier=tier, source=Membership.Source.COMP, started_at=now, ends_at=until
    )
    log(
        member,
        log_actions.GRANT,
        user=user,
        data={"tier": tier.name, "until": until.isoformat() if until else None},
    )
    return membership


def lapse_ended_memberships() -> int:
    """The worker's once-a-minute job: memberships past their end become lapsed (access ended already)."""
    ended = list(
        Membership.objects.filter(status=Status.ACTIVE, ends_at__lte=timezone.now()).select_related(
            "member"
        )
    )
    for membership in ended:
        with transaction.atomic():
            changed = Membership.objects.filter(pk=membership.pk, status=Status.ACTIVE).update(
                status=Status.LAPSED, ended_at=membership.ends_at
            )
            if changed:
                log(membership.member, log_actions.LAPSE)
    return len(ended)


DELETE_WORDING = "Delete my account"


@transaction.atomic
def delete_account(member: Member, consent: subscriptions.Consent) -> None:
    """Deletes the member and their memberships; their newsletters are withdrawn, with consent records kept.

    The newsletters' Subscriber of the address stays, every subscription
    unsubscribed with its consent records, as when a reader leaves all
    newsletters: the evidence of what they agreed to, and an unsubscribe that
    a later import of an old list cannot undo. The audit log keeps that an
    account was deleted, no longer whose.
    """
    subscriber = member.subscriber
    if subscriber is not None:
        subscriptions.unsubscribe_all(subscriber, consent)
    label = f"Deleted member #{member.pk}"
    log(member, log_actions.DELETE, title=label)
    ModelLogEntry.objects.for_instance(member).update(label=label)
    SignInLink.objects.filter(email__iexact=member.email).delete()
    member.delete()
