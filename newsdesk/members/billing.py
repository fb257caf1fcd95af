"""Memberships paid through Stripe: a tier's prices, Checkout for it, and what Stripe's events change.

Right whatever order or how late Stripe's events come: every event about a
membership's subscription leads to ``record_subscription``, which asks Stripe
for the subscription as it is now and brings the Membership in line with it.
An old ``customer.subscription.created`` delivered after the ``deleted`` finds
it canceled and leaves it so; the same event twice changes nothing the second
time. Payments are kept by their invoice's id, once. ``newsdesk stripe_sync``
runs the same functions over everything Stripe holds, after an outage.

Events of other kinds (donations, gifts: ``metadata.newsdesk_kind``) are
left to their own handlers. Each change is in Wagtail's audit log as
"system" (log_actions.py).
"""

import logging
from datetime import UTC, datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log

from newsdesk.members import accounts, log_actions
from newsdesk.members.checkout import kind_of, start_checkout
from newsdesk.members.models import Member, Membership, Payment, Tier
from newsdesk.members.payments import handles, stripe_client

logger = logging.getLogger(__name__)

MEMBERSHIP = "membership"
INTERVALS = ("month", "year")
Status = Membership.Status


def _time(timestamp: int | None) -> datetime | None:
    return datetime.fromtimestamp(timestamp, tz=UTC) if timestamp else None


def tier_price(tier: Tier, interval: str) -> str:
    """The Stripe price of a paid tier for "month" or "year", made (with its product) when missing or when its amount changed."""
    client = stripe_client()
    if not tier.stripe_product_id:
        product = client.v1.products.create(
            params={"name": tier.name, "metadata": {"newsdesk_tier": tier.slug}}
        )
        Tier.objects.filter(pk=tier.pk).update(stripe_product_id=product.id)
        tier.stripe_product_id = product.id
    field = f"stripe_{interval}ly_price_id"
    amount = tier.monthly_price if interval == "month" else tier.yearly_price
    price_id = getattr(tier, field)
    if price_id:
        price = client.v1.prices.retrieve(price_id)
        if price.active and (price.unit_amount, price.currency) == (amount, tier.currency.lower()):
            return price_id
        # Members who pay the old price keep it; new members get the new one.
        client.v1.prices.update(price_id, params={"active": False})
    price = client.v1.prices.create(
        params={
            "product": tier.stripe_product_id,
            "unit_amount": amount,
            "currency": tier.currency.lower(),
            "recurring": {"interval": interval},
            "metadata": {"newsdesk_tier": tier.slug},
        }
    )
    Tier.objects.filter(pk=tier.pk).update(**{field: price.id})
    setattr(tier, field, price.id)
    return price.id


def checkout_for_tier(
    request: HttpRequest, tier: Tier, interval: str, member: Member | None
) -> str:
    """The Checkout URL for a paid tier: a member pays as their customer; Checkout asks a newcomer's address."""
    return start_checkout(
        request,
        kind=MEMBERSHIP,
        mode="subscription",
        line_items=[{"price": tier_price(tier, interval), "quantity": 1}],
        member=member,
        metadata={"tier": tier.slug},
        success_path=reverse("membership_welcome") + "?session={CHECKOUT_SESSION_ID}",
        cancel_path=reverse("membership"),
    )


def member_for_customer(customer_id: str, email: str | None = None) -> Member:
    """The member paying as this Stripe customer: found by the customer's id, else by its address (made if new)."""
    member = Member.objects.filter(stripe_customer_id=customer_id).first()
    if member is not None:
        return member
    email = email or stripe_client().v1.customers.retrieve(customer_id).email
    member, _ = accounts.join(email)
    if not member.stripe_customer_id:
        Member.objects.filter(pk=member.pk, stripe_customer_id__isnull=True).update(
            stripe_customer_id=customer_id
        )
        member.refresh_from_db(fields=["stripe_customer_id"])
    return member


def _tier_for(price: dict, metadata: dict) -> Tier | None:
    return (
        Tier.objects.filter(
            Q(stripe_monthly_price_id=price["id"])
            | Q(stripe_yearly_price_id=price["id"])
            | Q(stripe_product_id=price["product"])
        ).first()
        or Tier.objects.filter(slug=metadata.get("tier") or "").first()
    )


def _state(subscription: dict) -> dict:
    """What a Membership should say about this subscription, as Stripe holds it now."""
    item = subscription["items"]["data"][0]
    price = item["price"]
    start = _time(item.get("current_period_start") or subscription.get("current_period_start"))
    end = _time(item.get("current_period_end") or subscription.get("current_period_end"))
    state = {
        "amount": price["unit_amount"] * item.get("quantity", 1),
        "currency": price["currency"].upper(),
        "interval": price["recurring"]["interval"],
        "status": Status.ACTIVE,
        "renews_at": None,
        "ends_at": None,
        "ended_at": None,
    }
    stripe_status = subscription["status"]
    if stripe_status in ("canceled", "incomplete_expired"):
        ended = _time(subscription.get("ended_at")) or timezone.now()
        state.update(status=Status.CANCELLED, ends_at=ended, ended_at=ended)
    elif stripe_status in ("active", "trialing"):
        if subscription.get("cancel_at_period_end"):
            state["ends_at"] = end
        else:
            state["renews_at"] = end
    else:
        # past_due, unpaid, incomplete: paid up to the start of the period not paid for;
        # the lapse job ends it then, and a later payment brings it back.
        state["ends_at"] = start
    return state


def _describe(field: str, value) -> str:
    if isinstance(value, datetime):
        return f"{field} {timezone.localtime(value):%Y-%m-%d}"
    return f"{field} {value if value not in (None, '') else 'none'}"


@transaction.atomic
def record_subscription(subscription_id: str, subscription: dict | None = None) -> str:
    """Brings the membership of a Stripe subscription in line with it as Stripe holds it now; what changed ("" for nothing).

    ``subscription`` is Stripe's object when the caller just listed it (the sync); events' copies may be old, so are not passed.
    """
    if subscription is None:
        subscription = stripe_client().v1.subscriptions.retrieve(subscription_id).to_dict()
    # A Ghost member imported as paid (to_confirm) has a subscription made before
    # newsdesk, without its kind: it is theirs, of the tier the import gave them.
    imported = (
        Membership.objects.select_for_update()
        .filter(
            to_confirm=True,
            status=Status.ACTIVE,
            member__stripe_customer_id=subscription["customer"],
        )
        .first()
    )
    if kind_of(subscription) != MEMBERSHIP and imported is None:
        return ""
    price = subscription["items"]["data"][0]["price"]
    tier = _tier_for(price, subscription.get("metadata") or {}) or (imported and imported.tier)
    if tier is None:
        # A price made outside newsdesk: retrying would not help; staff must look.
        logger.error("Stripe subscription %s has a price of no tier", subscription_id)
        return ""
    state = _state(subscription)
    membership = (
        Membership.objects.select_for_update()
        .filter(stripe_subscription_id=subscription_id)
        .first()
    ) or imported
    known = Member.objects.filter(stripe_customer_id=subscription["customer"]).exists()
    if membership is None and state["status"] == Status.CANCELLED and not known:
        # Ended before newsdesk heard of it, or its member deleted the account: no one to make.
        return ""
    member = member_for_customer(subscription["customer"])
    if membership is None:
        if state["status"] == Status.ACTIVE:
            # The paid membership replaces the free or complimentary one.
            member.memberships.filter(status=Status.ACTIVE).update(
                status=Status.CANCELLED, ended_at=timezone.now()
            )
        Membership.objects.create(
            member=member,
            tier=tier,
            source=Membership.Source.PAID,
            started_at=_time(subscription.get("start_date")) or timezone.now(),
            stripe_subscription_id=subscription_id,
            **state,
        )
        log(
            member,
            log_actions.SUBSCRIBE,
            data={
                "tier": tier.name,
                "interval": state["interval"],
                "subscription": subscription_id,
            },
        )
        return f"{member.email}: paid membership of {tier.name}, {state['status']}"
    if membership.status == Status.LAPSED and state["status"] == Status.CANCELLED:
        # Lapsed when its payment failed, then cancelled by Stripe: it stays as it ended.
        state.update(status=Status.LAPSED, ends_at=membership.ends_at, ended_at=membership.ended_at)
    changes = [f"tier {tier.name}"] if membership.tier_id != tier.pk else []
    changes += [
        _describe(field, value)
        for field, value in state.items()
        if getattr(membership, field) != value
    ]
    if membership.to_confirm:
        changes.append("imported payment confirmed")
        state.update(stripe_subscription_id=subscription_id, to_confirm=False)
    if not changes:
        return ""
    if state["status"] == Status.ACTIVE and membership.status != Status.ACTIVE:
        # Paid again after lapsing: it is the membership in force once more.
        member.memberships.filter(status=Status.ACTIVE).update(
            status=Status.CANCELLED, ended_at=timezone.now()
        )
    Membership.objects.filter(pk=membership.pk).update(tier=tier, **state)
    log(member, log_actions.SUBSCRIPTION_CHANGE, data={"changes": changes})
    return f"{member.email}: " + ", ".join(changes)


@transaction.atomic
def record_charge(
    *,
    kind: str,
    stripe_id: str,
    email: str,
    amount: int,
    currency: str,
    recurring: bool,
    paid_at: datetime,
    member: Member | None = None,
) -> tuple[Payment, bool]:
    """The Payment of one Stripe charge, made now if new, its receipt queued for after the commit; whether it was new.

    Every kind of payment (memberships, donations, gifts) is written here, so a charge
    Stripe reports twice (an invoice and its checkout, an event delivered again) is one
    payment with one receipt. Without a member, the member of the address, if any.
    """
    existing = Payment.objects.filter(stripe_id=stripe_id).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            payment = Payment.objects.create(
                member=member or Member.objects.for_address(email).first(),
                email=email,
                kind=kind,
                amount=amount,
                currency=currency.upper(),
                recurring=recurring,
                paid_at=paid_at,
                stripe_id=stripe_id,
            )
    except IntegrityError:
        # The same charge reported by two events at once.
        return Payment.objects.get(stripe_id=stripe_id), False
    transaction.on_commit(lambda: _send_receipt(payment.pk))
    return payment, True


def record_payment(invoice: dict) -> Payment | None:
    """The Payment of a paid membership invoice, made once (its receipt mailed then); None if it was there."""
    if invoice["status"] != "paid" or not invoice["amount_paid"]:
        return None
    if Payment.objects.filter(stripe_id=invoice["id"]).exists():
        return None
    member = member_for_customer(invoice["customer"], invoice.get("customer_email"))
    paid_at = _time((invoice.get("status_transitions") or {}).get("paid_at")) or timezone.now()
    with transaction.atomic():
        payment, created = record_charge(
            kind=Payment.Kind.MEMBERSHIP,
            stripe_id=invoice["id"],
            email=invoice.get("customer_email") or member.email,
            amount=invoice["amount_paid"],
            currency=invoice["currency"],
            recurring=True,
            paid_at=paid_at,
            member=member,
        )
        if not created:
            return None
        log(
            member,
            log_actions.PAYMENT,
            data={
                "amount": payment.amount_display,
                "kind": payment.kind,
                "stripe_id": payment.stripe_id,
            },
        )
    return payment


def _send_receipt(payment_id: int) -> None:
    from newsdesk.members.tasks import send_receipt

    send_receipt.enqueue(payment_id)


def _subscription_of(invoice: dict) -> str | None:
    details = (invoice.get("parent") or {}).get("subscription_details") or {}
    return details.get("subscription") or invoice.get("subscription")


def _of_membership(invoice: dict) -> bool:
    """Whether an invoice charges a membership: newsdesk's kind, or a subscription from before newsdesk that a member has."""
    if kind_of(invoice) == MEMBERSHIP:
        return True
    known = Q(stripe_subscription_id=_subscription_of(invoice) or "-")
    if customer := invoice.get("customer"):
        known |= Q(to_confirm=True, status=Status.ACTIVE, member__stripe_customer_id=customer)
    return Membership.objects.filter(known).exists()


# Stripe's events.


@handles("checkout.session.completed")
def checkout_completed(event) -> None:
    session = event.data.object.to_dict()
    if kind_of(session) != MEMBERSHIP or session.get("mode") != "subscription":
        return
    email = (session.get("customer_details") or {}).get("email")
    member = member_for_customer(session["customer"], email)
    record_subscription(session["subscription"])
    if not session.get("client_reference_id"):
        # A newcomer paid without signing in: a link to sign in proves the address.
        from newsdesk.members import signin

        transaction.on_commit(lambda: signin.send_link(member.email, reverse("account")))


@handles(
    "customer.subscription.created",
    "customer.subscription.updated",
    "customer.subscription.deleted",
)
def subscription_changed(event) -> None:
    subscription = event.data.object.to_dict()
    if kind_of(subscription) == MEMBERSHIP:
        record_subscription(subscription["id"])


@handles("invoice.paid")
def invoice_paid(event) -> None:
    invoice = event.data.object.to_dict()
    if not _of_membership(invoice):
        return
    record_payment(invoice)
    if subscription_id := _subscription_of(invoice):
        record_subscription(subscription_id)


@handles("invoice.payment_failed")
def invoice_payment_failed(event) -> None:
    invoice = event.data.object.to_dict()
    if not _of_membership(invoice):
        return
    # Late, after a retry paid it: nothing failed any more.
    if stripe_client().v1.invoices.retrieve(invoice["id"]).status == "paid":
        return
    subscription_id = _subscription_of(invoice)
    if subscription_id:
        record_subscription(subscription_id)
    membership = Membership.objects.filter(stripe_subscription_id=subscription_id).first()
    if membership is None:
        return
    log(membership.member, log_actions.PAYMENT_FAILED, data={"invoice": invoice["id"]})
    from newsdesk.members.tasks import send_payment_failed

    transaction.on_commit(lambda: send_payment_failed.enqueue(membership.pk, invoice["id"]))


def cancel_subscriptions(member: Member) -> None:
    """Ends the member's paid memberships at Stripe now (the account is being deleted): no further charges."""
    client = stripe_client()
    for membership in member.memberships.filter(
        status=Status.ACTIVE, stripe_subscription_id__isnull=False
    ):
        subscription = client.v1.subscriptions.retrieve(membership.stripe_subscription_id)
        if subscription.status != "canceled":
            client.v1.subscriptions.cancel(membership.stripe_subscription_id)


def sync() -> list[str]:
    """Brings every membership subscription and paid invoice in Stripe into newsdesk; what changed."""
    client = stripe_client()
    changes = []
    subscriptions = client.v1.subscriptions.list(params={"status": "all", "limit": 100})
    for subscription in subscriptions.auto_paging_iter():
        if change := record_subscription(subscription.id, subscription.to_dict()):
            changes.append(change)
    invoices = client.v1.invoices.list(params={"status": "paid", "limit": 100})
    for listed in invoices.auto_paging_iter():
        invoice = listed.to_dict()
        if _of_membership(invoice) and (payment := record_payment(invoice)):
            changes.append(
                f"{payment.email}: payment {payment.amount_display} ({payment.stripe_id})"
            )
    return changes
