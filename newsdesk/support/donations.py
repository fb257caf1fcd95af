"""Donations: one-time or monthly, through Stripe Checkout; each charge a Payment with a receipt."""

from datetime import datetime

from django.urls import reverse
from wagtail.log_actions import log

from newsdesk.members.billing import record_charge
from newsdesk.members.models import Payment, format_price
from newsdesk.support import log_actions
from newsdesk.support.models import DonationSettings

KIND = Payment.Kind.DONATION


def checkout_url(request, *, amount: int, monthly: bool, email: str | None) -> str:
    """Where the reader pays: a Checkout session for that amount, in the newsroom's currency."""
    from newsdesk.members import sessions
    from newsdesk.members.checkout import start_checkout

    currency = DonationSettings.load().currency
    label = "Monthly donation" if monthly else "Donation"
    price_data = {
        "currency": currency.lower(),
        "unit_amount": amount,
        "product_data": {"name": f"{label} of {format_price(amount, currency)}"},
    }
    if monthly:
        price_data["recurring"] = {"interval": "month"}
    return start_checkout(
        request,
        kind=KIND,
        mode="subscription" if monthly else "payment",
        line_items=[{"price_data": price_data, "quantity": 1}],
        email=email or None,
        member=sessions.member_for(request),
        success_path=reverse("support_thanks"),
        cancel_path=reverse("support"),
        subscription_metadata={"newsdesk_kind": KIND} if monthly else None,
    )


def record_donation(
    *, stripe_id: str, email: str, amount: int, currency: str, recurring: bool, paid_at: datetime
) -> Payment | None:
    """A donation Stripe took: its Payment and receipt, once; None if it was recorded before."""
    payment, created = record_charge(
        kind=KIND,
        stripe_id=stripe_id,
        email=email,
        amount=amount,
        currency=currency,
        recurring=recurring,
        paid_at=paid_at,
    )
    if not created:
        return None
    log(
        payment,
        log_actions.DONATION,
        title=f"{'Monthly donation' if recurring else 'Donation'} of {payment.amount_display}",
        data={"amount": amount, "currency": payment.currency, "recurring": recurring},
    )
    return payment
