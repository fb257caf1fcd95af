"""The Stripe stand-in the payment tests run against, and start_checkout through it."""

import json

import pytest
from django.test import RequestFactory

from newsdesk.members.checkout import PaymentsUnavailable, kind_of, start_checkout
from newsdesk.members.models import Member
from newsdesk.members.payments import stripe_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def monthly(stripe_api):
    client = stripe_client()
    product = client.v1.products.create(params={"name": "Supporter"})
    return client.v1.prices.create(
        params={
            "product": product.id,
            "unit_amount": 500,
            "currency": "eur",
            "recurring": {"interval": "month"},
        }
    )


def request():
    return RequestFactory().get("/membership/", HTTP_HOST="testserver")


def test_a_subscription_checkout_paid_sends_its_events_in_order(stripe_api, monthly):
    url = start_checkout(
        request(),
        kind="membership",
        mode="subscription",
        line_items=[{"price": monthly.id, "quantity": 1}],
        email="reader@example.org",
        metadata={"tier": "supporter"},
        success_path="/account/?session={CHECKOUT_SESSION_ID}",
        cancel_path="/membership/",
    )
    assert url.startswith(stripe_api.url + "/checkout/cs_test_")
    session_id = url.rsplit("/", 1)[1]
    assert stripe_api.pay(url) == f"http://testserver/account/?session={session_id}"
    types = [e["type"] for e in stripe_api.events()]
    assert types[-4:] == [
        "customer.subscription.created",
        "invoice.paid",
        "invoice.payment_succeeded",
        "checkout.session.completed",
    ]
    completed = json.loads(stripe_api.event("checkout.session.completed")["payload"])["data"]
    session = completed["object"]
    assert session["metadata"] == {"tier": "supporter", "newsdesk_kind": "membership"}
    assert session["customer_details"]["email"] == "reader@example.org"
    subscription = stripe_client().v1.subscriptions.retrieve(session["subscription"])
    assert subscription.status == "active"
    assert subscription.metadata.to_dict() == session["metadata"]
    assert subscription["items"].data[0].price.id == monthly.id
    invoice = json.loads(stripe_api.event("invoice.paid")["payload"])["data"]["object"]
    assert kind_of(invoice) == "membership"
    assert invoice["amount_paid"] == 500 and invoice["billing_reason"] == "subscription_create"


def test_renewals_fail_and_succeed_and_cancel(stripe_api, monthly):
    url = start_checkout(
        request(),
        kind="membership",
        mode="subscription",
        line_items=[{"price": monthly.id}],
        email="reader@example.org",
        success_path="/",
        cancel_path="/",
    )
    stripe_api.pay(url)
    subscription_id = json.loads(stripe_api.event("customer.subscription.created")["payload"])[
        "data"
    ]["object"]["id"]
    first = stripe_client().v1.subscriptions.retrieve(subscription_id)
    assert stripe_api.renew(subscription_id, fail=True)["status"] == "past_due"
    assert stripe_api.event("invoice.payment_failed")
    renewed = stripe_api.renew(subscription_id)
    assert renewed["status"] == "active"
    assert renewed["current_period_start"] > first.current_period_end
    assert stripe_api.cancel(subscription_id, at_period_end=True)["cancel_at_period_end"]
    assert stripe_api.renew(subscription_id)["status"] == "canceled"
    assert stripe_api.event("customer.subscription.deleted")


def test_a_member_pays_as_one_customer_and_payments_carry_their_kind(stripe_api):
    member = Member.objects.create(email="reader@example.org")
    line = {
        "price_data": {"currency": "eur", "unit_amount": 1500, "product_data": {"name": "Gift"}},
        "quantity": 1,
    }
    urls = [
        start_checkout(
            request(),
            kind="donation",
            mode="payment",
            line_items=[line],
            member=member,
            success_path="/thanks/",
            cancel_path="/support/",
        )
        for _ in range(2)
    ]
    member.refresh_from_db()
    assert member.stripe_customer_id.startswith("cus_")
    stripe_api.pay(urls[0])
    intent = json.loads(stripe_api.event("payment_intent.succeeded")["payload"])["data"]["object"]
    assert intent["customer"] == member.stripe_customer_id
    assert intent["metadata"] == {"newsdesk_kind": "donation"} and intent["amount"] == 1500


def test_a_declined_card_pays_nothing(stripe_api, monthly):
    url = start_checkout(
        request(),
        kind="membership",
        mode="subscription",
        line_items=[{"price": monthly.id}],
        email="reader@example.org",
        success_path="/",
        cancel_path="/",
    )
    with pytest.raises(AssertionError, match="declined"):
        stripe_api.pay(url, card="4000000000000002")
    assert not stripe_api.events("checkout.session.completed")


def test_stripe_refusing_is_payments_unavailable(stripe_api):
    with pytest.raises(PaymentsUnavailable):
        start_checkout(
            request(),
            kind="membership",
            mode="subscription",
            line_items=[{"price": "price_missing"}],
            email="reader@example.org",
            success_path="/",
            cancel_path="/",
        )
