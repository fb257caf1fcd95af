"""Gift memberships: bought through Checkout, claimed once with a button, expiring, never renewing."""

import re
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from newsdesk.members.models import Member, Membership, Payment
from newsdesk.members.sessions import MEMBER_COOKIE
from newsdesk.support import gifts
from newsdesk.support.models import Gift

pytestmark = pytest.mark.django_db

CLAIM_LINK = re.compile(r"https?://\S+/membership/gift/claim/[\w-]+/")


def gift_session(tiers, months="3", session_id="cs_gift", **metadata):
    return {
        "id": session_id,
        "object": "checkout.session",
        "mode": "payment",
        "payment_status": "paid",
        "amount_total": tiers["supporter"].monthly_price * int(months),
        "currency": "eur",
        "customer_details": {"email": "buyer@example.org"},
        "payment_intent": f"pi_{session_id}",
        "metadata": {
            "newsdesk_kind": "gift",
            "recipient_email": "friend@example.org",
            "tier": "supporter",
            "months": months,
            "message": "Happy birthday!",
            **metadata,
        },
    }


@pytest.fixture
def bought(deliver, tiers, run_tasks):
    """A gift paid for through the webhook; the claim link mailed to its recipient."""
    assert deliver("evt_gift", "checkout.session.completed", gift_session(tiers)).status_code == 200
    run_tasks()
    to_friend = next(m for m in mail.outbox if m.to == ["friend@example.org"])
    return Gift.objects.get(), CLAIM_LINK.search(to_friend.body).group(0)


@pytest.fixture
def checkouts(settings, monkeypatch):
    settings.STRIPE_SECRET_KEY = "sk_test_x"
    opened = []

    def open_checkout(request, **kwargs):
        opened.append(kwargs)
        return "https://checkout.example/gift"

    monkeypatch.setattr(gifts, "checkout_url", open_checkout)
    return opened


def test_the_gift_form_goes_to_checkout(client, tiers, checkouts):
    page = client.get("/membership/gift/").content.decode()
    assert "Supporter, €5.00 a month" in page and "Free" not in page
    response = client.post(
        "/membership/gift/",
        {
            "buyer_email": "buyer@example.org",
            "recipient_email": "friend@example.org",
            "tier": "supporter",
            "months": "6",
            "message": "Enjoy",
        },
    )
    assert response.status_code == 303 and response["Location"] == "https://checkout.example/gift"
    assert checkouts[0]["tier"] == tiers["supporter"] and checkouts[0]["months"] == 6


@pytest.mark.parametrize(
    "changes, error",
    [
        ({"months": "5"}, "Choose 1, 3, 6 or 12 months."),
        ({"months": "99999999999999999999"}, "Choose 1, 3, 6 or 12 months."),
        ({"tier": "free"}, "Choose one of the memberships offered."),
        ({"tier": "nonsense"}, "Choose one of the memberships offered."),
        ({"recipient_email": "BUYER@example.org"}, "A gift is for someone else"),
        ({"recipient_email": "not an address"}, "Enter a valid email address."),
        ({"message": "x" * 501}, "Ensure this value has at most 500 characters"),
    ],
)
def test_a_bad_gift_form_is_a_clear_error_and_opens_nothing(
    client, tiers, checkouts, changes, error
):
    post = {
        "buyer_email": "buyer@example.org",
        "recipient_email": "friend@example.org",
        "tier": "supporter",
        "months": "3",
        **changes,
    }
    response = client.post("/membership/gift/", post)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert checkouts == []


def test_a_paid_gift_is_recorded_once_with_a_receipt_and_a_link(deliver, tiers, run_tasks):
    deliver("evt_gift", "checkout.session.completed", gift_session(tiers))
    deliver("evt_gift", "checkout.session.completed", gift_session(tiers))
    run_tasks()
    run_tasks()
    gift = Gift.objects.get()
    assert (gift.buyer_email, gift.recipient_email, gift.tier, gift.months) == (
        "buyer@example.org",
        "friend@example.org",
        tiers["supporter"],
        3,
    )
    payment = Payment.objects.get()
    assert (payment.kind, payment.amount, gift.payment) == ("gift", 1500, payment)
    assert sorted(m.to[0] for m in mail.outbox) == ["buyer@example.org", "friend@example.org"]
    to_friend = next(m for m in mail.outbox if m.to == ["friend@example.org"])
    assert "Happy birthday!" in to_friend.body and "3 months of Supporter" in to_friend.body
    # Only the token's hash is kept.
    token = CLAIM_LINK.search(to_friend.body).group(0).rstrip("/").rsplit("/", 1)[1]
    assert token not in gift.claim_token_hash and len(gift.claim_token_hash) == 64


def test_opening_the_link_claims_nothing_pressing_the_button_does(client, bought):
    gift, link = bought
    page = client.get(link)
    assert page.status_code == 200 and "Claim my membership" in page.content.decode()
    assert "no-cache" in page["Cache-Control"] or "private" in page["Cache-Control"]
    gift.refresh_from_db()
    assert gift.claimed_at is None and not Member.objects.exists()

    before = timezone.now()
    response = client.post(link)
    assert response.status_code == 302 and response["Location"] == "/account/?gift=claimed"
    assert response.cookies[MEMBER_COOKIE].value
    member = Member.objects.get(email="friend@example.org")
    membership = member.membership
    assert (membership.tier.slug, membership.source, membership.renews_at) == (
        "supporter",
        "gift",
        None,
    )
    assert gifts.add_months(before, 3) <= membership.ends_at <= gifts.add_months(timezone.now(), 3)
    gift.refresh_from_db()
    assert (gift.claimed_by, gift.membership) == (member, membership)
    assert "friend@example.org" in client.get("/account/").content.decode()


def test_claiming_twice_changes_nothing(client, bought):
    _gift, link = bought
    client.post(link)
    membership = Membership.objects.get(source="gift")
    again = client.post(link)
    assert again.status_code == 400
    assert "This gift has been claimed already." in again.content.decode()
    assert Membership.objects.get(source="gift") == membership
    assert client.get(link).status_code == 400


def test_a_tampered_or_expired_link_claims_nothing(client, bought):
    gift, link = bought
    tampered = client.post(link[:-3] + "xx/")
    assert tampered.status_code == 400 and "not one we sent" in tampered.content.decode()
    assert client.post("/membership/gift/claim/" + "a" * 5000 + "/").status_code == 400
    Gift.objects.filter(pk=gift.pk).update(created_at=timezone.now() - gifts.CLAIM_WITHIN)
    expired = client.post(link)
    assert expired.status_code == 400 and "expired" in expired.content.decode()
    assert not Membership.objects.filter(source="gift").exists()
    assert MEMBER_COOKIE not in expired.cookies


def test_a_gift_waits_while_a_membership_runs_until_cancelled(client, bought, tiers):
    gift, link = bought
    friend = Member.objects.create(email="friend@example.org")
    Membership.objects.create(member=friend, tier=tiers["patron"], source="paid")
    response = client.post(link)
    assert response.status_code == 400 and "runs until it is cancelled" in response.content.decode()
    gift.refresh_from_db()
    assert gift.claimed_at is None and friend.membership.source == "paid"


def test_a_gift_extends_a_gift_in_force_and_replaces_a_free_membership(client, bought, tiers):
    _gift, link = bought
    friend = Member.objects.create(email="friend@example.org")
    ends = timezone.now() + timedelta(days=10)
    Membership.objects.create(member=friend, tier=tiers["supporter"], source="gift", ends_at=ends)
    client.post(link)
    assert friend.membership.ends_at == gifts.add_months(ends, 3)
    assert friend.memberships.filter(status="active").count() == 1


def test_months_are_added_as_calendar_months():
    assert gifts.add_months(datetime(2026, 1, 31), 1) == datetime(2026, 2, 28)
    assert gifts.add_months(datetime(2026, 11, 15), 3) == datetime(2027, 2, 15)
    assert gifts.add_months(datetime(2028, 2, 29), 12) == datetime(2029, 2, 28)
