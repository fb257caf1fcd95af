"""Stripe's events about donations and gifts, registered with members' webhook (members/payments.py).

Each handler looks only at what is its own (metadata `newsdesk_kind`), so the
tiers' handlers and these share the event types. A charge is written under the
id of what Stripe charged, once: a one-time donation's or a gift's payment
intent, from its completed Checkout session; each charge of a monthly donation
(the first one too) from its paid invoice, so its Checkout session records
nothing itself.
"""

from datetime import UTC, datetime

import stripe

from newsdesk.members.checkout import kind_of
from newsdesk.members.models import Payment, Tier
from newsdesk.members.payments import handles
from newsdesk.support import donations, gifts
from newsdesk.support.models import Gift


def _when(timestamp: int | None) -> datetime:
    return datetime.fromtimestamp(timestamp, tz=UTC) if timestamp else datetime.now(tz=UTC)


def _email(session: dict) -> str:
    return (
        (session.get("customer_details") or {}).get("email") or session.get("customer_email") or ""
    )


def _id(value) -> str | None:
    """An id Stripe gives as a string, or as the object itself when expanded."""
    return value.get("id") if isinstance(value, dict) else value


@handles("checkout.session.completed", "checkout.session.async_payment_succeeded")
def checkout_paid(event: stripe.Event) -> None:
    session = event.data.object.to_dict()
    kind = kind_of(session)
    if kind not in (Payment.Kind.DONATION, Payment.Kind.GIFT) or session.get("mode") != "payment":
        return
    # A bank debit may complete the session before the money is there: its success comes later.
    if session.get("payment_status") != "paid":
        return
    charge_id = _id(session.get("payment_intent")) or session["id"]
    email = _email(session)
    paid_at = _when(event.created)
    if kind == Payment.Kind.DONATION:
        donations.record_donation(
            stripe_id=charge_id,
            email=email,
            amount=session["amount_total"],
            currency=session["currency"],
            recurring=False,
            paid_at=paid_at,
        )
        return
    metadata = session["metadata"]
    tier = Tier.objects.filter(slug=metadata.get("tier", "")).first()
    months = int(metadata.get("months") or 0)
    if tier is None or months not in dict(Gift.MONTHS):
        raise ValueError(f"Gift checkout {session['id']} names no tier or months we know")
    gifts.record_gift(
        stripe_id=charge_id,
        buyer_email=email,
        recipient_email=metadata.get("recipient_email", ""),
        tier=tier,
        months=months,
        message=metadata.get("message", ""),
        amount=session["amount_total"],
        currency=session["currency"],
        paid_at=paid_at,
    )


@handles("invoice.paid")
def donation_invoice_paid(event: stripe.Event) -> None:
    """Each charge of a monthly donation, the first one too."""
    invoice = event.data.object.to_dict()
    if kind_of(invoice) != Payment.Kind.DONATION:
        return
    if not invoice.get("amount_paid"):
        return
    paid_at = (invoice.get("status_transitions") or {}).get("paid_at") or event.created
    donations.record_donation(
        stripe_id=invoice["id"],
        email=invoice.get("customer_email") or "",
        amount=invoice["amount_paid"],
        currency=invoice["currency"],
        recurring=True,
        paid_at=_when(paid_at),
    )
