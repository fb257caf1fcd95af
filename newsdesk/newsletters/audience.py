"""Who a newsletter is for: a registry the app that knows readers' memberships fills.

The newsletters app knows no app above it. That app (members) registers
`restrict(function)`; function() gives {newsletter id: Audience} for every
newsletter that is not for everyone. A newsletter missing from it goes to all
its confirmed subscribers.

An Audience says who it is for, in words and with a page to join, and which
subscribers it admits now: as a database condition (the send page's count and
the check made just before each chunk of a send) and for one address (the
preferences page). Public subscribe forms do not offer a restricted newsletter;
members choose it on their account page.
"""

from collections.abc import Callable
from typing import Protocol

from django.db.models import Q


class Audience(Protocol):
    who: str  # "members", "members of Supporter or Patron"
    join_url: str  # where a reader becomes one
    choose_url: str  # where those it is for subscribe to it
    skip_reason: str  # what a skipped delivery records

    def admits(self, email_field: str) -> Q:
        """The rows whose address (in email_field, e.g. "subscriber__email") it may go to now."""

    def admits_address(self, email: str) -> bool: ...


RESTRICTIONS: list[Callable[[], dict[int, Audience]]] = []


def restrict(function: Callable[[], dict[int, Audience]]) -> None:
    RESTRICTIONS.append(function)


def audiences() -> dict[int, Audience]:
    """{newsletter id: Audience} of the newsletters not for everyone."""
    found = {}
    for function in RESTRICTIONS:
        found.update(function())
    return found


def audience_of(newsletter_id: int) -> Audience | None:
    return audiences().get(newsletter_id)
