"""Sending a reader to Stripe Checkout: for a membership here, for donations and gifts elsewhere.

Every session says what it is for in ``metadata.newsdesk_kind`` (copied to the
subscription's or the payment intent's metadata, which later events carry):
the handlers of each kind (``payments.handles``) take the events of their own
kind and leave the others alone.
"""

import stripe
from django.db import transaction
from django.http import HttpRequest

from newsdesk.members.models import Member
from newsdesk.members.payments import stripe_client

KIND = "newsdesk_kind"


class PaymentsUnavailable(Exception):
    """Stripe could not be reached or refused the request: the reader is told to try later."""


def customer_for(member: Member) -> str:
    """The member's Stripe customer, made on first use: one a member, whatever they pay for."""
    if member.stripe_customer_id:
        return member.stripe_customer_id
    customer = stripe_client().v1.customers.create(
        params={"email": member.email, "metadata": {"newsdesk_member": str(member.key)}}
    )
    with transaction.atomic():
        # Two purchases started at once: the first customer saved is the member's.
        Member.objects.filter(pk=member.pk, stripe_customer_id__isnull=True).update(
            stripe_customer_id=customer.id
        )
        member.refresh_from_db(fields=["stripe_customer_id"])
    return member.stripe_customer_id


def start_checkout(
    request: HttpRequest,
    *,
    kind: str,
    mode: str,
    line_items: list[dict],
    email: str | None = None,
    member: Member | None = None,
    metadata: dict | None = None,
    success_path: str,
    cancel_path: str,
    subscription_metadata: dict | None = None,
) -> str:
    """A Checkout session's URL to send the reader to; PaymentsUnavailable if Stripe fails.

    ``mode`` is "subscription" or "payment"; ``line_items`` as Stripe takes them
    (``{"price": id}`` or ``{"price_data": {...}}``, with ``quantity``). A member
    pays as their Stripe customer; a newcomer as ``email``. The paths are on
    this site; ``{CHECKOUT_SESSION_ID}`` in the success path is filled in by Stripe.
    """
    if mode not in ("subscription", "payment"):
        raise ValueError(f"Unknown Checkout mode {mode!r}")
    tagged = {**(metadata or {}), KIND: kind}
    origin = request.build_absolute_uri("/").rstrip("/")
    params = {
        "mode": mode,
        "line_items": line_items,
        "metadata": tagged,
        "success_url": origin + success_path,
        "cancel_url": origin + cancel_path,
    }
    if mode == "subscription":
        params["subscription_data"] = {"metadata": {**tagged, **(subscription_metadata or {})}}
    else:
        params["payment_intent_data"] = {"metadata": tagged}
    try:
        if member is not None:
            params["customer"] = customer_for(member)
            params["client_reference_id"] = str(member.key)
        elif email:
            params["customer_email"] = email
        session = stripe_client().v1.checkout.sessions.create(params=params)
    except stripe.StripeError as error:
        raise PaymentsUnavailable(str(error)) from error
    return session.url


def kind_of(stripe_object) -> str | None:
    """The newsdesk kind a Checkout session, subscription, payment intent or invoice was made for."""
    data = (
        stripe_object.to_dict() if isinstance(stripe_object, stripe.StripeObject) else stripe_object
    )
    metadata = data.get("metadata") or {}
    if not metadata.get(KIND):
        details = (data.get("parent") or {}).get("subscription_details") or {}
        metadata = details.get("metadata") or {}
    return metadata.get(KIND)
