"""/membership/: the active tiers, their prices in their currency; no dead buttons without payments."""

import pytest

from newsdesk.members.models import Tier, format_price

pytestmark = pytest.mark.django_db


def test_the_tiers_with_prices_and_benefits(client, tiers):
    Tier.objects.create(
        name="Retired", slug="retired", monthly_price=100, yearly_price=1000, active=False
    )
    page = client.get("/membership/").content.decode()
    assert page.index("Free") < page.index("Supporter") < page.index("Patron")
    assert "€5.00 a month, or €50.00 a year" in page
    assert "€20.00 a month, or €200.00 a year" in page
    assert "<li>The members&#x27; newsletter</li>" in page
    assert "Retired" not in page


def test_without_stripe_keys_paid_tiers_say_payments_are_not_set_up(client, tiers, settings):
    settings.STRIPE_SECRET_KEY = ""
    page = client.get("/membership/").content.decode()
    assert "Payments are not set up yet" in page
    assert page.count("Not available yet: payments are not set up.") == 2
    # The free tier's button signs up; nothing else is a button.
    assert page.count('class="button"') == 1
    assert '<a class="button" href="/account/sign-in/">Sign up free</a>' in page


def test_with_a_key_the_message_goes(client, tiers, settings):
    settings.STRIPE_SECRET_KEY = "sk_test_x"
    assert "not set up" not in client.get("/membership/").content.decode()


def test_the_page_is_kept_and_renewed_when_a_tier_changes(client, tiers, settings, commit):
    settings.PAGE_CACHE_SECONDS = 60
    assert client.get("/membership/")["X-Page-Cache"] == "miss"
    assert client.get("/membership/")["X-Page-Cache"] == "hit"
    tier = tiers["patron"]
    tier.name = "Benefactor"
    commit(tier.save)
    response = client.get("/membership/")
    assert response["X-Page-Cache"] == "miss" and "Benefactor" in response.content.decode()


@pytest.mark.parametrize(
    "minor, currency, shown",
    [
        (500, "EUR", "€5.00"),
        (123456, "USD", "$1,234.56"),
        (900, "JPY", "900 JPY"),
        (5, "CHF", "0.05 CHF"),
    ],
)
def test_prices_in_minor_units(minor, currency, shown):
    assert format_price(minor, currency) == shown


def test_the_free_tier_is_there_from_the_migration(tiers):
    assert Tier.objects.filter(is_free=True).count() == 1
    assert tiers["free"].slug == "free"


def test_a_tier_must_be_priced_as_what_it_is(tiers):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        Tier(name="Odd", slug="odd", is_free=True, monthly_price=100).full_clean()
    with pytest.raises(ValidationError):
        Tier(name="Half", slug="half", monthly_price=100).full_clean()
