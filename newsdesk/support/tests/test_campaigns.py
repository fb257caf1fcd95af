"""Campaigns: progress in their window, the meter on the site (kept pages stay kept) and in the admin."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from newsdesk.members.models import Member, Membership, Payment
from newsdesk.support import campaigns
from newsdesk.support.models import Campaign

pytestmark = pytest.mark.django_db


def member_with(tiers, email, source, started_at, tier="supporter"):
    member = Member.objects.create(email=email)
    return Membership.objects.create(
        member=member, tier=tiers[tier], source=source, started_at=started_at
    )


def test_members_progress_counts_paid_and_gift_memberships_started_in_the_window(tiers, campaign):
    inside = campaign.starts_at + timedelta(hours=1)
    member_with(tiers, "a@example.org", "paid", inside)
    member_with(tiers, "b@example.org", "gift", inside)
    member_with(tiers, "c@example.org", "free", inside, tier="free")
    member_with(tiers, "d@example.org", "comp", inside)
    member_with(tiers, "e@example.org", "paid", campaign.starts_at - timedelta(seconds=1))
    member_with(tiers, "f@example.org", "paid", campaign.ends_at)
    assert campaign.progress() == 2


def test_amount_progress_sums_paid_payments_in_its_currency_and_window(campaign):
    campaign.goal_kind, campaign.goal, campaign.currency = "amount", 10_000, "EUR"
    inside = campaign.starts_at + timedelta(hours=1)
    for amount, currency, status, paid_at, kind in [
        (500, "EUR", "paid", inside, "donation"),
        (1500, "EUR", "paid", inside, "gift"),
        (2000, "EUR", "paid", inside, "membership"),
        (9999, "USD", "paid", inside, "donation"),
        (9999, "EUR", "refunded", inside, "donation"),
        (9999, "EUR", "paid", campaign.starts_at - timedelta(seconds=1), "donation"),
    ]:
        Payment.objects.create(
            email="x@example.org",
            kind=kind,
            amount=amount,
            currency=currency,
            status=status,
            paid_at=paid_at,
        )
    assert campaign.progress() == 4000
    meter = campaigns.measure(campaign)
    assert (meter.goal, meter.percent, meter.summary) == (
        1_000_000,
        0,
        "€40.00 of €10,000.00 raised",
    )


def test_a_campaign_ends_after_it_starts_and_an_amount_has_a_currency():
    from django.core.exceptions import ValidationError

    now = timezone.now()
    with pytest.raises(ValidationError):
        Campaign(name="x", goal=1, starts_at=now, ends_at=now).full_clean()
    with pytest.raises(ValidationError):
        Campaign(
            name="x", goal=1, goal_kind="amount", starts_at=now, ends_at=now + timedelta(days=1)
        ).full_clean()


def test_the_meter_on_support_membership_and_the_front_page(
    client, tiers, campaign, newsroom, settings
):
    settings.STRIPE_SECRET_KEY = "sk_test_x"
    member_with(tiers, "a@example.org", "paid", timezone.now())
    cache.clear()
    for path in ("/support/", "/membership/", "/"):
        page = client.get(path).content.decode()
        assert "1,000 new members by spring" in page, path
        assert "<strong>1</strong> of 1,000 new members" in page, path
        assert '<progress class="campaign-meter__bar" max="100" value="0"' in page


def test_no_meter_without_a_running_campaign(client, campaign):
    Campaign.objects.filter(pk=campaign.pk).update(ends_at=timezone.now() - timedelta(seconds=1))
    cache.clear()
    assert "campaign-meter" not in client.get("/support/").content.decode()


def test_the_meter_fragment_is_short_lived_and_counted_at_most_so_often(client, tiers, campaign):
    cache.clear()
    response = client.get("/support/campaign/meter/")
    assert response.status_code == 200
    assert "max-age=15" in response["Cache-Control"] and "public" in response["Cache-Control"]
    assert "<strong>0</strong> of 1,000" in response.content.decode()
    member_with(tiers, "a@example.org", "paid", timezone.now())
    # Counted again once METER_SECONDS have passed, not on every request.
    assert "<strong>0</strong> of 1,000" in client.get("/support/campaign/meter/").content.decode()
    cache.delete("support:meter:running")
    assert "<strong>1</strong> of 1,000" in client.get("/support/campaign/meter/").content.decode()


def test_kept_pages_stay_kept_as_payments_come_and_are_renewed_when_the_campaign_changes(
    client, tiers, campaign, settings, commit
):
    settings.PAGE_CACHE_SECONDS = 60
    assert client.get("/support/")["X-Page-Cache"] == "miss"
    commit(lambda: member_with(tiers, "a@example.org", "paid", timezone.now()))
    assert client.get("/support/")["X-Page-Cache"] == "hit"
    campaign.name = "Spring drive"
    commit(campaign.save)
    response = client.get("/support/")
    assert response["X-Page-Cache"] == "miss" and "Spring drive" in response.content.decode()
    membership = client.get("/membership/")
    assert "Spring drive" in membership.content.decode()


def test_the_admin_dashboard_shows_the_meter(editor_client, campaign):
    cache.clear()
    page = editor_client.get("/admin/").content.decode()
    assert "1,000 new members by spring" in page and "0 of 1,000 new members" in page
