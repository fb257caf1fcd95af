"""The signed links in our emails: confirmation (expires) and preferences (never expires)."""

from datetime import timedelta

from django.core import signing
from django.urls import reverse

from newsdesk.core.links import absolute_url

CONFIRMATION_MAX_AGE = timedelta(days=7)
_CONFIRM_SALT = "newsdesk.newsletters.confirm"
_PREFERENCES_SALT = "newsdesk.newsletters.preferences"


def confirmation_url(subscriber, newsletters):
    token = signing.dumps({"s": subscriber.pk, "n": sorted(n.pk for n in newsletters)}, salt=_CONFIRM_SALT)
    return absolute_url(reverse("newsletters:confirm", args=[token]))


def read_confirmation(token):
    """(subscriber id, newsletter ids); raises signing.SignatureExpired or signing.BadSignature."""
    data = signing.loads(token, salt=_CONFIRM_SALT, max_age=CONFIRMATION_MAX_AGE)
    return data["s"], data["n"]


def preferences_url(subscriber):
    return absolute_url(reverse("newsletters:preferences", args=[signing.dumps(subscriber.pk, salt=_PREFERENCES_SALT)]))


def read_preferences(token):
    """The subscriber id; raises signing.BadSignature."""
    return signing.loads(token, salt=_PREFERENCES_SALT)
