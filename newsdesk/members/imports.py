"""Members from a Ghost members export: what the newsletters' import brings besides subscribers.

Each row of Ghost's export is a member: a complimentary one ("comped") gets a
complimentary membership, a paying one (a Stripe customer) a paid membership
left for `newsdesk stripe_sync` to confirm, and every other one the free tier.
The tier is the one named in the row's `tiers` column, else the first paid
tier, with a note in the import's report. An import run again changes nothing.
"""

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from wagtail.log_actions import log

from newsdesk.members import log_actions
from newsdesk.members.models import Member, Membership, Tier
from newsdesk.newsletters.imports.importer import Entry, Report

Source = Membership.Source
NO_PAID_TIER = "no paid tier exists: made a member with the free tier only"
STRIPE_ID_TAKEN = "its Stripe customer id belongs to another member: left out"


def import_ghost_members(entries: list[Entry], report: Report) -> None:
    members = [entry for entry in entries if entry.is_member]
    if not members:
        return
    tiers = list(Tier.objects.all())
    paid = [tier for tier in tiers if not tier.is_free]
    by_name = {tier.name.lower(): tier for tier in tiers}
    free = next((tier for tier in tiers if tier.is_free), None)
    known = {
        member.email.lower(): member
        for member in Member.objects.annotate(address=Lower("email")).filter(
            address__in=[entry.email.lower() for entry in members]
        )
    }
    for entry in members:
        # A file may name an address twice: the second row finds the member the first made.
        member = known.get(entry.email.lower())
        if member is None:
            member = known[entry.email.lower()] = _member(entry.email, free)
        source = (
            Source.COMP
            if entry.complimentary
            else Source.PAID
            if entry.stripe_customer_id
            else Source.FREE
        )
        if entry.stripe_customer_id and not member.stripe_customer_id:
            _set_customer(member, entry, report)
        if source == Source.FREE:
            continue
        tier = _tier(entry, by_name, paid, report)
        if tier is None:
            report.note(NO_PAID_TIER, entry.row)
            continue
        current = member.memberships.filter(status=Membership.Status.ACTIVE).first()
        if current is not None and current.source in (Source.COMP, Source.PAID, Source.GIFT):
            continue  # already brought, or a membership newsdesk knows better
        if current is not None:
            current.status, current.ended_at = Membership.Status.CANCELLED, current.started_at
            current.save(update_fields=["status", "ended_at"])
        Membership.objects.create(
            member=member, tier=tier, source=source, to_confirm=source == Source.PAID
        )
        log(member, log_actions.IMPORT, data={"tier": tier.name, "source": source})


def _member(email, free):
    member = Member.objects.create(email=email)
    if free is not None:
        Membership.objects.create(member=member, tier=free, source=Source.FREE)
    log(member, log_actions.IMPORT, data={"tier": free.name if free else None, "source": "free"})
    return member


def _tier(entry, by_name, paid, report):
    for name in entry.tiers.split(","):
        tier = by_name.get(name.strip().lower())
        if tier is not None and not tier.is_free:
            return tier
    if paid:
        report.note(
            f"no tier named as in the export's tiers column: given {paid[0].name}", entry.row
        )
        return paid[0]
    return None


def _set_customer(member, entry, report):
    try:
        with transaction.atomic():
            Member.objects.filter(pk=member.pk).update(stripe_customer_id=entry.stripe_customer_id)
    except IntegrityError:
        report.note(STRIPE_ID_TAKEN, entry.row)
    else:
        member.stripe_customer_id = entry.stripe_customer_id
