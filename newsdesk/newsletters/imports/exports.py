"""Subscriber lists the other way: a newsletter's readers in Ghost's members CSV layout, so nobody is locked in."""

from collections.abc import Iterator

from django.contrib.auth.models import AbstractBaseUser
from wagtail.log_actions import log

from newsdesk.core import csvcells
from newsdesk.newsletters import log_actions
from newsdesk.newsletters.imports.importer import GHOST_COLUMNS
from newsdesk.newsletters.models import Newsletter, Subscription

Status = Subscription.Status


def _ghost_time(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z") if moment else ""


def ghost_members(newsletter: Newsletter) -> Iterator[list[str]]:
    """The header, then a row per confirmed or unsubscribed reader, in the layout of Ghost's members export.

    Pending readers are left out: Ghost has no such state, and a member there
    would be sent the newsletter without having confirmed. Every cell is made
    safe for spreadsheets (core/csvcells.py), which the import undoes, so the
    file reads back to the same list.
    """
    yield GHOST_COLUMNS
    subscriptions = (
        Subscription.objects.filter(
            newsletter=newsletter, status__in=[Status.CONFIRMED, Status.UNSUBSCRIBED]
        )
        .select_related("subscriber")
        .order_by("pk")
    )
    for s in subscriptions.iterator(chunk_size=2000):
        subscribed = "true" if s.status == Status.CONFIRMED else "false"
        row = {
            "email": s.subscriber.email,
            "name": s.subscriber.name,
            "subscribed_to_emails": subscribed,
            "complimentary_plan": "false",
            "created_at": _ghost_time(s.requested_at),
            "labels": newsletter.name,
        }
        yield [csvcells.safe(row.get(column, "")) for column in GHOST_COLUMNS]


def log_export(newsletter: Newsletter, user: AbstractBaseUser | None, file_format: str) -> None:
    """Records in the audit log that user took the newsletter's readers away, and in which format."""
    log(newsletter, log_actions.EXPORT, user=user, data={"format": file_format})


def export_ghost_members(
    newsletter: Newsletter, user: AbstractBaseUser | None
) -> Iterator[list[str]]:
    """ghost_members, recorded in the audit log as taken away by user."""
    log_export(newsletter, user, "Ghost members CSV")
    return ghost_members(newsletter)
