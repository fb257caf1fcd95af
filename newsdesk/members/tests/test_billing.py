"""Paid memberships against the Stripe stand-in: Checkout, and Stripe's events however they come."""

import io
import json
import urllib.request
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import ModelLogEntry

from newsdesk.members import accounts, billing, log_actions
from newsdesk.members.models import Member, Membership, Payment, StripeEvent, Tier
from newsdesk.members.payments import stripe_client
from newsdesk.members.tests.stripe_standin import signature
from newsdesk.newsletters.models import Subscriber

from .conftest import LINK

pytestmark = pytest.mark.django_db

Status = Membership.Status


@pytest.fixture
def deliver(client, stripe_api, django_capture_on_commit_callbacks):
    """Posts the stand-in's events (those waiting, or the ones given) through the test client;
    what they queue after their transaction is queued."""

    def post(events=None):
        with django_capture_on_commit_callbacks(execute=True):
            return stripe_api.deliver(client, events)

    return post


def join(client, stripe_api, tier="supporter", interval="month", email="reader@example.org"):
    """Chooses a paid tier on /membership/ and pays on the stand-in's Checkout page; the events wait."""
    response = client.post("/membership/checkout/", {"tier": tier, "interval": interval})
    assert response.status_code == 302, response.content
    assert response["Location"].startswith(stripe_api.url + "/checkout/")
    landing = stripe_api.pay(response["Location"], email=email)
    assert landing.startswith("http://testserver/membership/welcome/?session=cs_")
    return landing


def payload(event):
    return json.loads(event["payload"])["data"]["object"]


def subscription_id(stripe_api):
    return payload(stripe_api.event("customer.subscription.created"))["id"]


def the_state():
    """What newsdesk holds of members, memberships and payments, to compare runs by."""
    return (
        sorted(Member.objects.values_list("email", "stripe_customer_id")),
        sorted(
            Membership.objects.values_list(
                "tier__slug", "status", "source", "renews_at", "ends_at", "amount", "interval"
            ),
            key=str,
        ),
        sorted(Payment.objects.values_list("stripe_id", "amount", "currency", "kind")),
    )


def test_a_newcomer_pays_and_becomes_a_member_of_the_tier(
    deliver, client, stripe_api, tiers, run_tasks
):
    Subscriber.objects.create(email="Reader@Example.org")  # the newsletters' record of them
    landing = join(client, stripe_api, interval="year")
    responses = deliver()
    assert [r.status_code for r in responses] == [200] * len(responses)

    member = Member.objects.get()
    assert member.email == "reader@example.org"
    assert member.stripe_customer_id == payload(stripe_api.event("customer.created"))["id"]
    membership = member.membership
    period_end = payload(stripe_api.event("customer.subscription.created"))["current_period_end"]
    assert (membership.tier.slug, membership.source, membership.status) == (
        "supporter",
        "paid",
        "active",
    )
    assert (membership.amount, membership.currency, membership.interval) == (5000, "EUR", "year")
    assert membership.renews_at == datetime.fromtimestamp(period_end, tz=UTC)
    assert membership.ends_at is None
    # The free membership the account began with gave way to the paid one.
    assert member.memberships.get(tier__is_free=True).status == Status.CANCELLED
    payment = Payment.objects.get()
    assert (payment.kind, payment.amount, payment.currency, payment.member) == (
        "membership",
        5000,
        "EUR",
        member,
    )
    assert payment.stripe_id == payload(stripe_api.event("invoice.paid"))["id"]

    run_tasks()
    subjects = sorted(message.subject for message in mail.outbox)
    assert subjects == ["Sign in to newsdesk", "Your receipt from newsdesk"]
    assert LINK.search(next(m for m in mail.outbox if "Sign in" in m.subject).body)
    receipt = next(m for m in mail.outbox if "receipt" in m.subject)
    assert receipt.to == ["reader@example.org"]
    assert "€50.00" in receipt.body and payment.stripe_id in receipt.body
    assert "€50.00" in receipt.alternatives[0][0]
    assert Payment.objects.get().receipt_sent_at is not None

    page = client.get(landing)
    assert page.status_code == 200
    assert b"We have sent a link to <strong>reader@example.org</strong>" in page.content
    actions = set(
        ModelLogEntry.objects.filter(object_id=str(member.pk)).values_list("action", flat=True)
    )
    assert {log_actions.JOIN, log_actions.SUBSCRIBE, log_actions.PAYMENT} <= actions


def test_a_signed_in_member_pays_as_their_customer_and_goes_back_to_the_account(
    deliver, client, sign_in, stripe_api, tiers, run_tasks
):
    sign_in(client)
    mail.outbox.clear()
    landing = join(client, stripe_api, tier="patron")
    session = payload(stripe_api.event("checkout.session.completed"))
    member = Member.objects.get()
    assert session["customer"] == member.stripe_customer_id
    assert session["client_reference_id"] == str(member.key)
    deliver()
    response = client.get(landing)
    assert response["Location"] == "/account/?done=joined"
    page = client.get("/account/?done=joined").content.decode()
    assert "Patron" in page and "You pay €20.00 a month" in page
    assert "Manage payment and cancel" in page
    assert Payment.objects.get().stripe_id in page
    run_tasks()
    # A member who is signed in needs no link: only the receipt.
    assert [m.subject for m in mail.outbox] == ["Your receipt from newsdesk"]


def test_every_event_twice_changes_nothing_the_second_time(
    deliver, client, stripe_api, tiers, run_tasks
):
    join(client, stripe_api)
    deliver()
    once = the_state()
    logged = ModelLogEntry.objects.count()
    responses = deliver(stripe_api.events())
    assert {r.status_code for r in responses} == {200}
    assert the_state() == once
    assert ModelLogEntry.objects.count() == logged
    run_tasks()
    assert len([m for m in mail.outbox if "receipt" in m.subject]) == 1


def test_events_in_reverse_order_end_the_same(deliver, client, stripe_api, tiers):
    join(client, stripe_api)
    deliver(list(reversed(stripe_api.events())))
    reversed_state = the_state()
    assert reversed_state[1][-1][:3] == ("supporter", "active", "paid") or any(
        row[:3] == ("supporter", "active", "paid") for row in reversed_state[1]
    )
    assert len(reversed_state[2]) == 1
    # The same events in their own order, to a newsdesk that saw none, end the same.
    StripeEvent.objects.all().delete()
    Payment.objects.all().delete()
    Member.objects.all().delete()
    deliver(stripe_api.events())
    assert the_state() == reversed_state


def test_a_late_event_does_not_undo_a_later_change(deliver, client, stripe_api, tiers):
    join(client, stripe_api)
    deliver()
    stripe_api.cancel(subscription_id(stripe_api))
    deleted = stripe_api.event("customer.subscription.deleted")
    deliver([deleted])
    membership = Membership.objects.get(source="paid")
    assert membership.status == Status.CANCELLED and membership.ended_at is not None
    # The subscription's creation, and its first invoice, arrive again, late (new event ids).
    for event_type in ("customer.subscription.created", "invoice.paid"):
        late = dict(stripe_api.event(event_type))
        body = json.loads(late["payload"])
        body["id"] += "_late"
        late["payload"] = json.dumps(body)
        late["id"] = body["id"]
        assert deliver([late])[0].status_code == 200
    membership.refresh_from_db()
    assert membership.status == Status.CANCELLED
    assert Member.objects.get().membership is None


def test_a_failed_renewal_tells_the_member_and_lapses_at_the_paid_periods_end(
    monkeypatch, deliver, client, stripe_api, tiers, run_tasks
):
    join(client, stripe_api)
    deliver()
    run_tasks()
    mail.outbox.clear()
    sub = subscription_id(stripe_api)
    paid_until = Membership.objects.get(source="paid").renews_at
    stripe_api.renew(sub, fail=True)
    deliver()
    membership = Membership.objects.get(source="paid")
    assert membership.ends_at == paid_until and membership.renews_at is None
    run_tasks()
    [told] = mail.outbox
    assert told.subject == "Your newsdesk membership payment failed"
    assert "Manage payment and cancel" in told.body
    assert ModelLogEntry.objects.filter(action=log_actions.PAYMENT_FAILED).count() == 1
    assert Member.objects.get().membership == membership  # in force until then
    # The paid period's end comes: the lapse job ends it.
    monkeypatch.setattr(timezone, "now", lambda: paid_until + timedelta(seconds=1))
    assert accounts.lapse_ended_memberships() == 1
    monkeypatch.undo()
    membership.refresh_from_db()
    assert membership.status == Status.LAPSED
    # Stripe's retry pays it: the membership is in force again, and a second payment is kept.
    open_invoice = payload(stripe_api.event("invoice.payment_failed"))["id"]
    stripe_client().v1.invoices.pay(open_invoice)
    deliver()
    membership.refresh_from_db()
    assert membership.status == Status.ACTIVE and membership.ends_at is None
    assert membership.renews_at > paid_until
    assert Payment.objects.count() == 2


def test_a_payment_failure_delivered_after_the_retry_paid_is_ignored(
    deliver, client, stripe_api, tiers
):
    join(client, stripe_api)
    deliver()
    stripe_api.renew(subscription_id(stripe_api), fail=True)
    failed = stripe_api.event("invoice.payment_failed")
    stripe_client().v1.invoices.pay(payload(failed)["id"])
    later = [e for e in stripe_api.events() if not e["deliveries"] and e["id"] != failed["id"]]
    deliver([*later, failed])
    membership = Membership.objects.get(source="paid")
    assert membership.status == Status.ACTIVE and membership.ends_at is None
    assert not ModelLogEntry.objects.filter(action=log_actions.PAYMENT_FAILED).exists()


def test_cancelling_at_the_period_end_then_the_end(deliver, client, stripe_api, tiers):
    join(client, stripe_api)
    deliver()
    sub = subscription_id(stripe_api)
    renews_at = Membership.objects.get(source="paid").renews_at
    stripe_api.cancel(sub, at_period_end=True)
    deliver()
    membership = Membership.objects.get(source="paid")
    assert (membership.status, membership.renews_at, membership.ends_at) == (
        Status.ACTIVE,
        None,
        renews_at,
    )
    entry = ModelLogEntry.objects.filter(action=log_actions.SUBSCRIPTION_CHANGE).get()
    assert any(change.startswith("ends_at") for change in entry.data["changes"])
    stripe_api.renew(sub)  # the period's end: Stripe ends it
    deliver()
    membership.refresh_from_db()
    assert membership.status == Status.CANCELLED


def test_a_change_of_price_in_the_portal_changes_the_tier(deliver, client, stripe_api, tiers):
    join(client, stripe_api)
    deliver()
    patron_price = billing.tier_price(tiers["patron"], "year")
    stripe_client().v1.subscriptions.update(
        subscription_id(stripe_api), params={"items": [{"price": patron_price}]}
    )
    deliver()
    membership = Membership.objects.get(source="paid")
    assert (membership.tier.slug, membership.amount, membership.interval) == (
        "patron",
        20000,
        "year",
    )


def test_a_new_price_makes_a_new_stripe_price(stripe_api, tiers):
    tier = tiers["supporter"]
    first = billing.tier_price(tier, "month")
    assert billing.tier_price(Tier.objects.get(pk=tier.pk), "month") == first
    tier.monthly_price = 700
    tier.save()
    second = billing.tier_price(tier, "month")
    assert second != first
    client = stripe_client()
    assert client.v1.prices.retrieve(second).unit_amount == 700
    assert client.v1.prices.retrieve(first).active is False
    assert Tier.objects.get(pk=tier.pk).stripe_monthly_price_id == second


def test_events_of_other_kinds_are_left_to_their_handlers(deliver, client, stripe_api, tiers):
    from django.test import RequestFactory

    from newsdesk.members.checkout import start_checkout

    request = RequestFactory().get("/", HTTP_HOST="testserver")
    url = start_checkout(
        request,
        kind="donation",
        mode="subscription",
        line_items=[
            {
                "price_data": {
                    "currency": "eur",
                    "unit_amount": 300,
                    "product_data": {"name": "Monthly donation"},
                    "recurring": {"interval": "month"},
                }
            }
        ],
        email="donor@example.org",
        success_path="/",
        cancel_path="/",
    )
    stripe_api.pay(url)
    assert {r.status_code for r in deliver()} == {200}
    # No membership and no membership payment: the donation is support's to record.
    assert not Membership.objects.exists()
    assert not Payment.objects.filter(kind=Payment.Kind.MEMBERSHIP).exists()


def test_a_forged_event_is_refused_and_changes_nothing(client, stripe_api, tiers):
    join(client, stripe_api)
    event = stripe_api.event("checkout.session.completed")
    response = client.post(
        "/members/stripe/webhook/",
        event["payload"],
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signature(event["payload"], "whsec_not_ours"),
    )
    assert response.status_code == 400
    assert not Member.objects.exists() and not StripeEvent.objects.exists()


def test_the_portal_is_for_members_with_a_customer(deliver, client, sign_in, stripe_api, tiers):
    assert (
        client.post("/account/payments/")["Location"] == "/account/sign-in/?next=/account/payments/"
    )
    sign_in(client)
    assert client.get("/account/payments/").status_code == 405
    # No Stripe customer yet: nothing to manage.
    assert client.post("/account/payments/")["Location"] == "/account/"
    join(client, stripe_api)
    deliver()
    response = client.post("/account/payments/")
    assert response.status_code == 302
    assert response["Location"].startswith(stripe_api.url + "/portal/bps_")
    with urllib.request.urlopen(response["Location"]) as portal:
        page = portal.read()
    assert b"Cancel plan" in page and b"http://testserver/account/" in page


def test_stripe_sync_brings_in_what_webhooks_missed_and_again_changes_nothing(
    deliver, client, stripe_api, tiers
):
    join(client, stripe_api)
    stripe_api.renew(subscription_id(stripe_api))
    # None of the events reached newsdesk (an outage).
    out = io.StringIO()
    call_command("stripe_sync", stdout=out)
    report = out.getvalue()
    assert "reader@example.org: paid membership of Supporter, active" in report
    assert report.count("payment €5.00") == 2 and report.endswith("3 changes.\n")
    membership = Membership.objects.get(source="paid")
    assert membership.renews_at > timezone.now() + timedelta(days=50)
    assert Member.objects.get().stripe_customer_id
    again = io.StringIO()
    call_command("stripe_sync", stdout=again)
    assert again.getvalue() == "0 changes.\n"
    # The events coming in afterwards change nothing either.
    before = the_state()
    deliver()
    assert the_state() == before


def test_without_keys_nothing_is_offered_and_nothing_is_called(client, tiers, settings):
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_WEBHOOK_SECRET = ""
    response = client.post("/membership/checkout/", {"tier": "supporter", "interval": "month"})
    assert response["Location"] == "/membership/"
    assert client.get("/membership/welcome/?session=cs_test_x").status_code == 400
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not set up"):
        call_command("stripe_sync")


@pytest.mark.parametrize(
    "data",
    [
        {"tier": "free", "interval": "month"},
        {"tier": "nobody", "interval": "month"},
        {"tier": "supporter", "interval": "week"},
        {"tier": "supporter", "interval": "month", "price": "1"},
    ],
)
def test_a_tampered_choice_is_a_400_that_calls_nobody(client, stripe_api, tiers, data):
    response = client.post("/membership/checkout/", data)
    assert response.status_code == 400
    assert not stripe_api.events()


def test_a_welcome_page_for_a_session_nobody_made_is_a_400(client, stripe_api):
    assert client.get("/membership/welcome/?session=cs_test_nothing").status_code == 400
    assert client.get("/membership/welcome/?session=../../x").status_code == 400


def test_the_membership_page_offers_each_paid_tier_by_month_or_year(client, stripe_api, tiers):
    page = client.get("/membership/").content.decode()
    assert page.count('action="/membership/checkout/"') == 2
    assert "Join as Supporter" in page and "€50.00 yearly" in page


def test_deleting_the_account_cancels_the_subscription_and_keeps_the_payments(
    deliver, client, sign_in, stripe_api, tiers
):
    sign_in(client)
    join(client, stripe_api)
    deliver()
    page = client.get("/account/delete/").content.decode()
    assert "Your paid Supporter membership is cancelled at once" in page
    assert "your 1 payment stays with your address" in page
    assert client.post("/account/delete/", {"confirm": "yes"}).status_code == 200
    assert stripe_client().v1.subscriptions.retrieve(subscription_id(stripe_api)).status == (
        "canceled"
    )
    payment = Payment.objects.get()
    assert payment.member is None and payment.email == "reader@example.org"
    # Stripe's word of the cancellation makes no one again.
    deliver()
    assert not Member.objects.exists() and not Membership.objects.exists()


def test_stripe_sync_confirms_a_member_imported_from_ghost_as_paid(stripe_api, tiers):
    client = stripe_client()
    customer = client.v1.customers.create({"email": "paid@example.org"})
    # Ghost's own product and price: no newsdesk tier, no newsdesk kind.
    product = client.v1.products.create({"name": "Ghost Supporter"})
    price = client.v1.prices.create(
        {
            "product": product.id,
            "currency": "eur",
            "unit_amount": 500,
            "recurring": {"interval": "month"},
        }
    )
    session = client.v1.checkout.sessions.create(
        {
            "mode": "subscription",
            "customer": customer.id,
            "line_items": [{"price": price.id, "quantity": 1}],
            "success_url": "http://testserver/",
            "cancel_url": "http://testserver/",
        }
    )
    stripe_api.pay(session.url)
    member = Member.objects.create(email="paid@example.org", stripe_customer_id=customer.id)
    imported = Membership.objects.create(
        member=member, tier=tiers["supporter"], source="paid", to_confirm=True
    )
    out = io.StringIO()
    call_command("stripe_sync", stdout=out)
    report = out.getvalue()
    assert "paid@example.org: " in report and "imported payment confirmed" in report
    assert "paid@example.org: payment €5.00" in report
    imported.refresh_from_db()
    assert (imported.to_confirm, imported.status, imported.tier.slug) == (
        False,
        "active",
        "supporter",
    )
    assert imported.stripe_subscription_id.startswith("sub_")
    assert imported.renews_at > timezone.now()
    assert Membership.objects.filter(member=member).count() == 1
    assert Payment.objects.get(member=member).amount == 500
    again = io.StringIO()
    call_command("stripe_sync", stdout=again)
    assert again.getvalue() == "0 changes.\n"
