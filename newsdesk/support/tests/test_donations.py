"""/support/: one-time and monthly donations, preset and custom amounts within bounds, recorded from Stripe's events."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from wagtail.models import ModelLogEntry

from newsdesk.members.models import Payment
from newsdesk.support import donations, log_actions
from newsdesk.support.models import DonationSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def checkouts(settings, monkeypatch):
    """Payments set up; each Checkout the page would open, recorded instead of asked of Stripe."""
    settings.STRIPE_SECRET_KEY = "sk_test_x"
    opened = []

    def open_checkout(request, **kwargs):
        opened.append(kwargs)
        return "https://checkout.example/session"

    monkeypatch.setattr(donations, "checkout_url", open_checkout)
    return opened


def test_without_keys_the_page_says_payments_are_not_set_up(client, settings):
    settings.STRIPE_SECRET_KEY = ""
    page = client.get("/support/").content.decode()
    assert "Payments are not set up yet" in page
    assert "support-form" not in page
    response = client.post("/support/", {"frequency": "once", "amount": "1000"})
    assert response.status_code == 400


def test_presets_in_the_newsrooms_currency(client, checkouts):
    page = client.get("/support/").content.decode()
    for shown in ("€5.00", "€10.00", "€25.00", "€50.00", "Other"):
        assert shown in page
    assert 'value="1000" checked' in page or 'value="1000"' in page


@pytest.mark.parametrize(
    "post, amount, monthly",
    [
        ({"frequency": "once", "amount": "2500"}, 2500, False),
        ({"frequency": "monthly", "amount": "500"}, 500, True),
        ({"frequency": "once", "amount": "custom", "custom_amount": "12.50"}, 1250, False),
        ({"frequency": "once", "amount": "custom", "custom_amount": "7,5"}, 750, False),
        ({"frequency": "monthly", "amount": "custom", "custom_amount": "5000"}, 500000, True),
    ],
)
def test_a_good_amount_goes_to_checkout(client, checkouts, post, amount, monthly):
    response = client.post("/support/", {**post, "email": "giver@example.org"})
    assert response.status_code == 303
    assert response["Location"] == "https://checkout.example/session"
    assert checkouts == [{"amount": amount, "monthly": monthly, "email": "giver@example.org"}]


@pytest.mark.parametrize(
    "post, error",
    [
        ({"frequency": "once"}, "Choose an amount, or give your own."),
        ({"frequency": "once", "amount": "custom"}, "Give the amount you want to give."),
        (
            {"frequency": "once", "amount": "custom", "custom_amount": "1.99"},
            "The smallest amount is €2.00.",
        ),
        (
            {"frequency": "once", "amount": "custom", "custom_amount": "5000.01"},
            "The largest amount at once is €5,000.00.",
        ),
        (
            {"frequency": "once", "amount": "custom", "custom_amount": "-10"},
            "The smallest amount is €2.00.",
        ),
        (
            {"frequency": "once", "amount": "custom", "custom_amount": "ten"},
            "Give the amount as a number",
        ),
        (
            {"frequency": "once", "amount": "custom", "custom_amount": "NaN"},
            "Give the amount as a number",
        ),
        (
            {"frequency": "once", "amount": "custom", "custom_amount": "1.005"},
            "Give the amount as a number",
        ),
        (
            {"frequency": "once", "amount": "custom", "custom_amount": "9" * 12},
            "The largest amount",
        ),
        # A preset that is not offered is no amount at all: the form offers the presets only.
        ({"frequency": "once", "amount": "1"}, "Select a valid choice"),
        ({"frequency": "yearly", "amount": "500"}, "Select a valid choice"),
    ],
)
def test_a_bad_amount_is_a_clear_error_and_opens_nothing(client, checkouts, post, error):
    response = client.post("/support/", post)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert checkouts == []
    assert not Payment.objects.exists()


def test_editors_presets_and_bounds_are_checked():
    settings = DonationSettings(preset_amounts="5, 10", minimum=2, maximum=100)
    settings.full_clean()
    assert settings.presets == [500, 1000] and settings.bounds == (200, 10000)
    for bad in ("5, ten", "1, 5", "5, 500", "", "1,2,3,4,5,6,7"):
        with pytest.raises(ValidationError):
            DonationSettings(preset_amounts=bad, minimum=2, maximum=100).full_clean()
    with pytest.raises(ValidationError):
        DonationSettings(preset_amounts="5", minimum=10, maximum=5).full_clean()


def session(session_id="cs_1", *, mode="payment", amount=2500, kind="donation", **extra):
    return {
        "id": session_id,
        "object": "checkout.session",
        "mode": mode,
        "payment_status": "paid",
        "amount_total": amount,
        "currency": "eur",
        "customer_details": {"email": "giver@example.org"},
        "metadata": {"newsdesk_kind": kind},
        "payment_intent": "pi_1" if mode == "payment" else None,
        "invoice": "in_1" if mode == "subscription" else None,
        **extra,
    }


def invoice(invoice_id="in_1", *, kind="donation", amount=500):
    return {
        "id": invoice_id,
        "object": "invoice",
        "amount_paid": amount,
        "currency": "eur",
        "customer_email": "giver@example.org",
        "status_transitions": {"paid_at": 1_764_100_000},
        "parent": {"subscription_details": {"metadata": {"newsdesk_kind": kind}}},
    }


def test_a_one_time_donation_is_recorded_once_with_one_receipt(deliver, run_tasks):
    assert deliver("evt_1", "checkout.session.completed", session()).status_code == 200
    assert deliver("evt_1", "checkout.session.completed", session()).status_code == 200
    # The same charge in another event (Stripe's retry of a lost answer has the same id; this does not).
    assert (
        deliver("evt_2", "checkout.session.async_payment_succeeded", session()).status_code == 200
    )
    payment = Payment.objects.get()
    assert (
        payment.kind,
        payment.amount,
        payment.currency,
        payment.recurring,
        payment.stripe_id,
    ) == ("donation", 2500, "EUR", False, "pi_1")
    run_tasks()
    run_tasks()
    assert len(mail.outbox) == 1
    receipt = mail.outbox[0]
    assert (
        receipt.to == ["giver@example.org"] and "€25.00" in receipt.body and "pi_1" in receipt.body
    )
    payment.refresh_from_db()
    assert payment.receipt_sent_at is not None
    entry = ModelLogEntry.objects.get(action=log_actions.DONATION)
    assert entry.label == "Donation of €25.00" and entry.user is None


def test_each_charge_of_a_monthly_donation_is_recorded_from_its_invoice(deliver):
    deliver("evt_session", "checkout.session.completed", session(mode="subscription", amount=500))
    assert not Payment.objects.exists()
    deliver("evt_invoice", "invoice.paid", invoice("in_1"))
    deliver("evt_invoice", "invoice.paid", invoice("in_1"))
    payment = Payment.objects.get()
    assert (payment.stripe_id, payment.recurring, payment.amount) == ("in_1", True, 500)
    # Next month's charge is another payment.
    deliver("evt_next", "invoice.paid", invoice("in_2"))
    assert list(Payment.objects.order_by("stripe_id").values_list("stripe_id", flat=True)) == [
        "in_1",
        "in_2",
    ]


def test_other_kinds_are_left_to_their_own_handlers(deliver):
    deliver("evt_1", "invoice.paid", invoice("in_9", kind="someone_elses"))
    deliver("evt_2", "checkout.session.completed", session("cs_9", kind="someone_elses"))
    deliver("evt_3", "checkout.session.completed", session("cs_10", payment_status="unpaid"))
    assert not Payment.objects.exists()


def test_the_thank_you_page(client):
    assert "Thank you" in client.get("/support/thanks/").content.decode()
