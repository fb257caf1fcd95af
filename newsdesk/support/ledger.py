"""Payments of reader revenue, written once each whatever Stripe sends twice, each with its receipt (members' receipt mail)."""

from datetime import datetime

from django.db import IntegrityError, transaction

from newsdesk.members.models import Member, Payment
from newsdesk.members.tasks import send_receipt


@transaction.atomic
def record_payment(
    *,
    kind: str,
    stripe_id: str,
    email: str,
    amount: int,
    currency: str,
    recurring: bool,
    paid_at: datetime,
) -> tuple[Payment, bool]:
    """The payment of that Stripe id, made now if new (and its receipt queued); whether it was new."""
    existing = Payment.objects.filter(stripe_id=stripe_id).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            payment = Payment.objects.create(
                member=Member.objects.for_address(email).first(),
                email=email,
                kind=kind,
                amount=amount,
                currency=currency.upper(),
                recurring=recurring,
                paid_at=paid_at,
                stripe_id=stripe_id,
            )
    except IntegrityError:
        # The same charge reported by two events at once (the first invoice and its checkout).
        return Payment.objects.get(stripe_id=stripe_id), False
    transaction.on_commit(lambda: send_receipt.enqueue(payment.pk))
    return payment, True
