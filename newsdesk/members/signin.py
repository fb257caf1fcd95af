"""Signing in, and up, by a link mailed to the address: single use, for LINK_LIFETIME, kept only as a hash.

The reader gets the same answer whatever the address (a member's, a stranger's,
a suppressed one, or a request over the limits), so the form tells nobody who
is a member. The link's page only shows a button: a mail scanner following the
link signs nobody in, and the POST of the button uses the link up.
"""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from newsdesk.core import ratelimits
from newsdesk.core.links import absolute_url
from newsdesk.members import accounts
from newsdesk.members.models import Member, SignInLink
from newsdesk.members.tasks import send_sign_in_email
from newsdesk.newsletters.models import Suppression

LINK_LIFETIME = timedelta(minutes=30)
# However the form is used, one address gets at most this many links an hour...
LINKS_PER_ADDRESS = (5, timedelta(hours=1))
# ...and one client address may ask this often (a newsroom's office shares one).
REQUESTS_PER_IP = (20, timedelta(hours=1))
# Used and expired links are cleared away after this: the address of someone who
# never pressed theirs is kept no longer.
KEEP_LINKS_FOR = timedelta(days=1)


class LinkProblem(Exception):
    def __init__(self, expired: bool) -> None:
        super().__init__("expired or used" if expired else "unknown")
        self.expired = expired


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _within(limit, scope, key):
    count, period = limit
    return ratelimits.allow(scope, key, count, int(period.total_seconds()))


def safe_next(path: str | None) -> str:
    """A path on this site to go to once signed in; anything else is dropped."""
    path = (path or "")[:500]
    if path.startswith("/") and url_has_allowed_host_and_scheme(path, allowed_hosts=None):
        return path
    return ""


def request_link(email: str, ip_address: str | None, next_path: str = "") -> bool:
    """Queues a sign-in email; whether it did is for tests and logs, never for the reader."""
    if not _within(REQUESTS_PER_IP, "members-ip", ip_address):
        return False
    return send_link(email, next_path)


def send_link(email: str, next_path: str = "") -> bool:
    """Queues a sign-in email unasked by the form (a newcomer just paid at Checkout); the address's limit holds."""
    # It bounced or its owner complained: a link there would help nobody.
    if Suppression.covers(email):
        return False
    if not _within(LINKS_PER_ADDRESS, "members-address", email.lower()):
        return False
    with transaction.atomic():
        SignInLink.objects.filter(created_at__lt=timezone.now() - KEEP_LINKS_FOR).delete()
        link = SignInLink.objects.create(email=email, next_path=safe_next(next_path))
        transaction.on_commit(lambda: send_sign_in_email.enqueue(link.pk))
    return True


def issue_token(link_id: int) -> tuple[SignInLink, str] | None:
    """The link's token, made once (a second run of the task gets None): only its hash is stored."""
    token = secrets.token_urlsafe(32)
    issued = SignInLink.objects.filter(
        pk=link_id,
        token_hash__isnull=True,
        used_at__isnull=True,
        created_at__gt=timezone.now() - LINK_LIFETIME,
    ).update(token_hash=_hash(token))
    if not issued:
        return None
    return SignInLink.objects.get(pk=link_id), token


def link_url(token: str) -> str:
    return absolute_url(reverse("account_sign_in_link", args=[token]))


def is_member(email: str) -> bool:
    return Member.objects.for_address(email).exists()


def check(token: str) -> SignInLink:
    """The link, still usable; LinkProblem otherwise. Uses nothing up."""
    link = SignInLink.objects.filter(token_hash=_hash(token)).first()
    if link is None:
        raise LinkProblem(expired=False)
    if link.used_at is not None or link.created_at <= timezone.now() - LINK_LIFETIME:
        raise LinkProblem(expired=True)
    return link


@transaction.atomic
def use(token: str) -> tuple[Member, SignInLink]:
    """Uses the link up, once whatever the number of presses, and gives its member (new, with the free tier)."""
    link = check(token)
    now = timezone.now()
    used = SignInLink.objects.filter(
        pk=link.pk, used_at__isnull=True, created_at__gt=now - LINK_LIFETIME
    ).update(used_at=now)
    if not used:
        raise LinkProblem(expired=True)
    # The other links mailed to the address are spent too: the address is proven.
    SignInLink.objects.filter(email__iexact=link.email, used_at__isnull=True).update(used_at=now)
    member, _ = accounts.join(link.email)
    return member, link
