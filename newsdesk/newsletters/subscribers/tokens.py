"""The signed links in our emails: confirmation (expires), preferences and one-click unsubscribe (never expire)."""

from collections.abc import Iterable
from datetime import timedelta

from django.core import signing
from django.urls import reverse

from newsdesk.core.links import absolute_url
from newsdesk.newsletters.models import Newsletter, Subscriber

CONFIRMATION_MAX_AGE = timedelta(days=7)
_CONFIRM_SALT = "newsdesk.newsletters.confirm"
_PREFERENCES_SALT = "newsdesk.newsletters.preferences"
_UNSUBSCRIBE_SALT = "newsdesk.newsletters.unsubscribe"


def confirmation_url(subscriber: Subscriber, newsletters: Iterable[Newsletter]) -> str:
    token = signing.dumps(
        {"s": subscriber.pk, "n": sorted(n.pk for n in newsletters)}, salt=_CONFIRM_SALT
    )
    return absolute_url(reverse("newsletters:confirm", args=[token]))


def read_confirmation(token: str) -> tuple[int, list[int]]:
    """(subscriber id, newsletter ids); raises signing.SignatureExpired or signing.BadSignature."""
    data = signing.loads(token, salt=_CONFIRM_SALT, max_age=CONFIRMATION_MAX_AGE)
    return data["s"], data["n"]


def preferences_url(subscriber: Subscriber) -> str:
    return absolute_url(
        reverse(
            "newsletters:preferences", args=[signing.dumps(subscriber.pk, salt=_PREFERENCES_SALT)]
        )
    )


def read_preferences(token: str) -> int:
    """The subscriber id; raises signing.BadSignature."""
    return signing.loads(token, salt=_PREFERENCES_SALT)


def unsubscribe_url(subscriber_id: int, newsletter_id: int) -> str:
    """The one-click link of List-Unsubscribe (RFC 8058): it names one subscriber and one newsletter."""
    token = signing.dumps([subscriber_id, newsletter_id], salt=_UNSUBSCRIBE_SALT)
    return absolute_url(reverse("newsletters:unsubscribe", args=[token]))


def read_unsubscribe(token: str) -> tuple[int, int]:
    """(subscriber id, newsletter id); raises signing.BadSignature."""
    subscriber_id, newsletter_id = signing.loads(token, salt=_UNSUBSCRIBE_SALT)
    return subscriber_id, newsletter_id
