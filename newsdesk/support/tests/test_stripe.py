"""Each purchase end to end against the Stripe stand-in, with its real signed webhooks (members/tests/stripe_standin.py)."""

import json
import re

import pytest
from django.core import mail

from newsdesk.members.models import Member, Payment
from newsdesk.support.models import Gift

pytestmark = pytest.mark.django_db

CLAIM_LINK = re.compile(r"https?://\S+/membership/gift/claim/[\w-]+/")


@pytest.fixture
def deliver(client, stripe_api, django_capture_on_commit_callbacks):
    """The stand-in's events posted to the webhook (those waiting, or those given), what waits for the commit run."""

    def post(events=None):
        with django_capture_on_commit_callbacks(execute=True):
            return stripe_api.deliver(client, events)

    return post


def checkout(client, path, post):
    response = client.post(path, post)
    assert response.status_code == 303, response.content.decode()
    return response["Location"]


def test_a_one_time_donation(client, stripe_api, deliver, run_tasks):
    url = checkout(
        client, "/support/", {"frequency": "once", "amount": "custom", "custom_amount": "12.50"}
    )
    assert url.startswith(stripe_api.url + "/checkout/")
    assert stripe_api.pay(url, email="giver@example.org") == "http://testserver/support/thanks/"
    assert all(r.status_code == 200 for r in deliver())
    # Stripe delivers everything again: nothing more is recorded.
    deliver(stripe_api.events())
    payment = Payment.objects.get()
    assert (payment.kind, payment.amount, payment.currency, payment.recurring, payment.email) == (
        "donation",
        1250,
        "EUR",
        False,
        "giver@example.org",
    )
    assert payment.stripe_id.startswith("pi_")
    run_tasks()
    assert [m.to for m in mail.outbox] == [["giver@example.org"]]
    assert "€12.50" in mail.outbox[0].body


def test_a_monthly_donation_and_its_later_charges(client, stripe_api, deliver, run_tasks):
    url = checkout(
        client,
        "/support/",
        {"frequency": "monthly", "amount": "1000", "email": "monthly@example.org"},
    )
    stripe_api.pay(url)
    deliver()
    first = Payment.objects.get()
    assert (first.amount, first.recurring, first.email) == (1000, True, "monthly@example.org")
    assert first.stripe_id.startswith("in_")
    session = stripe_api.event("checkout.session.completed")
    subscription_id = json.loads(session["payload"])["data"]["object"]["subscription"]
    stripe_api.renew(subscription_id)
    deliver()
    deliver(stripe_api.events("invoice.paid"))  # twice
    assert Payment.objects.filter(kind="donation", recurring=True).count() == 2
    run_tasks()
    assert len(mail.outbox) == 2


def test_a_gift_bought_and_claimed(client, stripe_api, deliver, run_tasks, tiers):
    url = checkout(
        client,
        "/membership/gift/",
        {
            "buyer_email": "buyer@example.org",
            "recipient_email": "friend@example.org",
            "tier": "patron",
            "months": "12",
            "message": "For the year ahead",
        },
    )
    assert stripe_api.pay(url) == "http://testserver/membership/gift/thanks/"
    deliver()
    deliver(stripe_api.events())
    gift = Gift.objects.get()
    assert (gift.tier.slug, gift.months, gift.payment.amount, gift.payment.kind) == (
        "patron",
        12,
        24000,
        "gift",
    )
    run_tasks()
    assert sorted(m.to[0] for m in mail.outbox) == ["buyer@example.org", "friend@example.org"]
    to_friend = next(m for m in mail.outbox if m.to == ["friend@example.org"])
    link = CLAIM_LINK.search(to_friend.body).group(0)
    assert client.post(link).status_code == 302
    membership = Member.objects.get(email="friend@example.org").membership
    assert (membership.tier.slug, membership.source, membership.renews_at) == (
        "patron",
        "gift",
        None,
    )
