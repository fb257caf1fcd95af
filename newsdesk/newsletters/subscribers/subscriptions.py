"""What readers do with newsletters: ask to subscribe, confirm, change their choices, leave.

Every change leaves a ConsentRecord: when, how, from which address and
browser, and the words the reader was shown.
"""

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from newsdesk.core import ratelimits
from newsdesk.core.clientaddress import client_address
from newsdesk.newsletters.models import (
    ConsentRecord,
    Newsletter,
    Subscriber,
    Subscription,
    Suppression,
)
from newsdesk.newsletters.subscribers.tasks import send_confirmation_email

CONSENT_WORDING = (
    "Subscribe to {names}. We will email you a link to confirm, and send nothing else until you do. "
    "Every email has a link to change your choices or unsubscribe."
)
CONFIRM_WORDING = "Yes, send me {names}."
PREFERENCES_WORDING = "Send me the newsletters ticked on this page."
LEAVE_WORDING = "Unsubscribe from all"
ONE_CLICK_WORDING = "Unsubscribe (one-click link of the newsletter's email)"

# However the form is used, one address gets at most this many confirmation emails a day...
CONFIRMATIONS_PER_ADDRESS = (3, timedelta(days=1))
# ...and one client address may ask this often (a newsroom's office shares one).
REQUESTS_PER_IP = (20, timedelta(hours=1))

Status = Subscription.Status
Method = Subscription.Method


def consent_wording(newsletters: Sequence[Newsletter]) -> str:
    return CONSENT_WORDING.format(names=newsletter_names(newsletters))


def confirm_wording(newsletters: Sequence[Newsletter]) -> str:
    return CONFIRM_WORDING.format(names=newsletter_names(newsletters))


def newsletter_names(newsletters: Sequence[Newsletter]) -> str:
    """The Briefing; The Briefing and The Explainer; A, B and C."""
    names = [newsletter.name for newsletter in newsletters]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


@dataclass(frozen=True)
class Consent:
    """Who acted, from where, having read what."""

    ip_address: str | None
    user_agent: str
    source_url: str
    wording: str

    @classmethod
    def from_request(
        cls, request: HttpRequest, wording: str, source_url: str | None = None
    ) -> "Consent":
        """source_url: the page the reader acted on, when it is not this request's own page."""
        return cls(
            ip_address=client_address(request.META),
            user_agent=request.headers.get("User-Agent", "")[:500],
            source_url=(request.path if source_url is None else source_url)[:500],
            wording=wording,
        )

    def record(self, subscription: Subscription, action: str, method: str, at: datetime) -> None:
        ConsentRecord.objects.create(
            subscription=subscription,
            action=action,
            method=method,
            at=at,
            ip_address=self.ip_address,
            user_agent=self.user_agent,
            source_url=self.source_url,
            wording=self.wording,
        )


def _within(limit, scope, key):
    count, period = limit
    return ratelimits.allow(scope, key, count, int(period.total_seconds()))


def request_subscription(email: str, newsletters: Sequence[Newsletter], consent: Consent) -> bool:
    """Records pending subscriptions and queues one confirmation email.

    Returns whether an email was queued. Callers must give the reader the same
    answer either way, so the form tells nobody who subscribes.
    """
    if not _within(REQUESTS_PER_IP, "ip", consent.ip_address):
        return False
    # It bounced or its owner complained: mail to it would only hurt the sender's
    # reputation, and a complaint may mean someone else is typing it in.
    if Suppression.covers(email):
        return False
    with transaction.atomic():
        subscriber = Subscriber.objects.filter(email__iexact=email).first()
        current = {s.newsletter_id: s for s in subscriber.subscriptions.all()} if subscriber else {}
        wanted = [
            n for n in newsletters if getattr(current.get(n.pk), "status", None) != Status.CONFIRMED
        ]
        if not wanted or not _within(CONFIRMATIONS_PER_ADDRESS, "address", email.lower()):
            return False
        if subscriber is None:
            subscriber, _ = Subscriber.objects.get_or_create(
                email__iexact=email, defaults={"email": email}
            )
        now = timezone.now()
        for newsletter in wanted:
            subscription = current.get(newsletter.pk) or Subscription(
                subscriber=subscriber, newsletter=newsletter
            )
            subscription.status = Status.PENDING
            subscription.requested_at = now
            subscription.save()
            consent.record(subscription, ConsentRecord.Action.REQUESTED, Method.FORM, now)
        newsletter_ids = [newsletter.pk for newsletter in wanted]
        transaction.on_commit(
            lambda: send_confirmation_email.enqueue(subscriber.pk, newsletter_ids)
        )
    return True


def _confirm(subscription, method, consent, now):
    subscription.status = Status.CONFIRMED
    subscription.confirmed_at = now
    subscription.save(update_fields=["status", "confirmed_at"])
    consent.record(subscription, ConsentRecord.Action.CONFIRMED, method, now)


def _withdraw(subscription, method, consent, now):
    subscription.status = Status.UNSUBSCRIBED
    subscription.unsubscribed_at = now
    subscription.unsubscribe_method = method
    subscription.save(update_fields=["status", "unsubscribed_at", "unsubscribe_method"])
    consent.record(subscription, ConsentRecord.Action.WITHDRAWN, method, now)


@transaction.atomic
def confirm(subscriptions: Iterable[Subscription], consent: Consent) -> None:
    """Confirms the pending ones; confirmed and unsubscribed ones stay as they are."""
    now = timezone.now()
    for subscription in subscriptions:
        if subscription.status == Status.PENDING:
            _confirm(subscription, Method.CONFIRMATION_LINK, consent, now)


@transaction.atomic
def set_preferences(
    subscriber: Subscriber,
    shown: Iterable[Newsletter],
    wanted: Collection[Newsletter],
    consent: Consent,
) -> None:
    """Turns each newsletter shown on the preferences page on or off as the reader ticked it.

    The page was reached through a link mailed to the address, so a newsletter
    switched on there is confirmed at once.
    """
    now = timezone.now()
    current = {s.newsletter_id: s for s in subscriber.subscriptions.all()}
    for newsletter in shown:
        subscription = current.get(newsletter.pk)
        if newsletter in wanted and getattr(subscription, "status", None) != Status.CONFIRMED:
            subscription = subscription or Subscription.objects.create(
                subscriber=subscriber, newsletter=newsletter, requested_at=now
            )
            _confirm(subscription, Method.PREFERENCES, consent, now)
        elif (
            newsletter not in wanted and subscription and subscription.status != Status.UNSUBSCRIBED
        ):
            _withdraw(subscription, Method.PREFERENCES, consent, now)


@transaction.atomic
def unsubscribe_all(subscriber: Subscriber, consent: Consent) -> None:
    now = timezone.now()
    for subscription in subscriber.subscriptions.exclude(status=Status.UNSUBSCRIBED):
        _withdraw(subscription, Method.LEAVE_ALL, consent, now)


@transaction.atomic
def unsubscribe(subscription: Subscription, consent: Consent) -> None:
    """The one-click link of a newsletter's emails (RFC 8058): leaves that newsletter only."""
    if subscription.status != Status.UNSUBSCRIBED:
        _withdraw(subscription, Method.ONE_CLICK, consent, timezone.now())
