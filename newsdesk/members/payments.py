"""Stripe, as newsdesk talks to it: one configured client, and the webhook that hears back.

Each change Stripe reports arrives at /members/stripe/webhook/ as a signed
event. The view checks the signature (a bad one is a 400 that changes
nothing), keeps the event by its id and hands it to the functions registered
for its type with ``@handles``, once: an event delivered twice finds itself
already handled. A handler that raises leaves the event unhandled and the
answer a 500, so Stripe delivers it again.

Handlers must be right whatever order events come in: judge by the state of
the object in Stripe (or the event's ``created`` time), never by the order of
arrival.
"""

from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache

import stripe
from django.conf import settings
from django.db import transaction
from django.http import HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from newsdesk.members.models import StripeEvent

Handler = Callable[[stripe.Event], None]
_handlers: dict[str, list[Handler]] = defaultdict(list)


def payments_configured() -> bool:
    """Whether the newsroom gave Stripe keys: without them the membership pages say so."""
    return bool(settings.STRIPE_SECRET_KEY)


def stripe_client() -> stripe.StripeClient:
    """A client on the newsroom's key, at STRIPE_API_BASE (a local stand-in in the tests)."""
    return _client(settings.STRIPE_SECRET_KEY, settings.STRIPE_API_BASE)


@lru_cache(maxsize=4)
def _client(secret_key: str, base: str) -> stripe.StripeClient:
    # One a key: its HTTP connections are kept between requests (one session a thread).
    return stripe.StripeClient(
        secret_key,
        base_addresses={"api": base, "files": base, "connect": base},
        max_network_retries=2,
    )


def handles(*event_types: str) -> Callable[[Handler], Handler]:
    """Register a function to run for each event of these types (``checkout.session.completed``, ...)."""

    def register(handler: Handler) -> Handler:
        for event_type in event_types:
            _handlers[event_type].append(handler)
        return handler

    return register


def handle_event(event: stripe.Event) -> bool:
    """Run the handlers of a verified event unless it was handled before; whether it ran now."""
    with transaction.atomic():
        record, _ = StripeEvent.objects.select_for_update().get_or_create(
            event_id=event.id,
            defaults={
                "type": event.type,
                "created": datetime.fromtimestamp(event.created, tz=UTC),
                "payload": event.to_dict(),
            },
        )
        if record.handled_at:
            return False
        for handler in _handlers.get(event.type, ()):
            handler(event)
        record.handled_at = timezone.now()
        record.save(update_fields=["handled_at"])
    return True


@csrf_exempt
@require_POST
def webhook(request):
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        return HttpResponse("Payments are not set up.", status=404, content_type="text/plain")
    try:
        event = stripe.Webhook.construct_event(
            request.body, request.headers.get("Stripe-Signature", ""), secret
        )
    except (ValueError, stripe.SignatureVerificationError):
        return HttpResponseBadRequest("Bad signature or payload.", content_type="text/plain")
    handle_event(event)
    return HttpResponse("OK", content_type="text/plain")
