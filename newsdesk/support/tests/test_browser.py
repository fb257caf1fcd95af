"""A reader gives once from /support/, pays on the Stripe stand-in's page and lands on the thank-you page, in Debian's Chromium."""

import os
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import expect

from newsdesk.members.models import Payment
from newsdesk.support import gifts
from newsdesk.support.models import Campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def screenshots(page, name):
    """For a person to look at: set NEWSDESK_SCREENSHOTS to a folder."""
    folder = os.environ.get("NEWSDESK_SCREENSHOTS")
    if not folder:
        return
    for width, height in ((390, 844), (1366, 900)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=f"{folder}/{name}-{width}.png", full_page=True)


@pytest.fixture
def stand_in_checkout(stripe_api, settings):
    """The payment forms may lead to the stand-in's Checkout page, as to Stripe's."""
    policy = settings.CONTENT_SECURITY_POLICY
    directives = {**policy["DIRECTIVES"]}
    directives["form-action"] = [*directives["form-action"], stripe_api.url]
    settings.CONTENT_SECURITY_POLICY = {**policy, "DIRECTIVES": directives}
    return stripe_api


@pytest.fixture
def running_campaign(db):
    now = timezone.now()
    return Campaign.objects.create(
        name="1,000 new members this month",
        description="Help us reach a thousand new members before the month is out.",
        goal=1000,
        starts_at=now - timedelta(days=3),
        ends_at=now + timedelta(days=27),
    )


# The stand-in first: its server starts its event loop from this thread, which
# Playwright's, once running, would forbid.
def test_a_reader_gives_once_and_gets_a_receipt(
    stand_in_checkout, live_site, page, run_tasks, mail_catcher, assert_accessible, running_campaign
):
    page.goto(live_site.url + "/support/", timeout=60_000)
    expect(page.get_by_role("heading", name="Support our reporting")).to_be_visible()
    expect(page.get_by_role("region", name="1,000 new members this month")).to_contain_text(
        "0 of 1,000 new members"
    )
    assert_accessible(page)
    screenshots(page, "support")
    page.get_by_label("Once").check()
    page.get_by_label("€25.00").check()
    page.get_by_role("button", name="Continue to payment").click()

    expect(page.get_by_role("heading", name="Checkout (test stand-in)")).to_be_visible()
    page.get_by_label("Email").fill("giver@example.org")
    page.get_by_role("button", name="Pay").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    assert page.url == live_site.url + "/support/thanks/"
    page.wait_for_load_state("networkidle")

    payment = Payment.objects.get()
    assert (payment.kind, payment.amount, payment.recurring) == ("donation", 2500, False)
    run_tasks()
    [receipt] = mail_catcher()
    assert receipt.recipients == "giver@example.org"
    assert "€25.00" in receipt.text


def test_the_gift_claim_and_revenue_pages(
    stripe_api, live_site, page, tiers, running_campaign, assert_accessible
):
    page.goto(live_site.url + "/membership/gift/", timeout=60_000)
    expect(page.get_by_role("heading", name="Give a membership")).to_be_visible()
    assert_accessible(page)
    screenshots(page, "gift")
    page.get_by_role("button", name="Continue to payment").click()
    expect(page.get_by_text("This field is required.").first).to_be_visible()
    screenshots(page, "gift-errors")

    gift = gifts.Gift.objects.create(
        buyer_email="buyer@example.org",
        recipient_email="friend@example.org",
        tier=tiers["supporter"],
        months=6,
        message="Happy birthday! Read everything.",
    )
    _, token = gifts.issue_claim_token(gift.pk)
    page.goto(live_site.url + f"/membership/gift/claim/{token}/")
    expect(page.get_by_role("button", name="Claim my membership")).to_be_visible()
    assert_accessible(page)
    screenshots(page, "claim")
    page.get_by_role("button", name="Claim my membership").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_text("friend@example.org").first).to_be_visible()
    page.goto(live_site.url + f"/membership/gift/claim/{token}/")
    expect(page.get_by_text("This gift has been claimed already.")).to_be_visible()
    screenshots(page, "claim-used")

    User.objects.create_superuser("chief", "chief@example.org", "pw")
    page.goto(live_site.url + "/admin/login/")
    page.get_by_label("Username").fill("chief")
    page.get_by_label("Password").fill("pw")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")
    page.goto(live_site.url + "/admin/support/revenue/")
    expect(page.get_by_role("heading", name="Monthly recurring revenue")).to_be_visible()
    page.wait_for_load_state("networkidle")
    screenshots(page, "revenue")
    page.goto(live_site.url + "/admin/")
    page.wait_for_load_state("networkidle")
    expect(page.get_by_text("1,000 new members this month").first).to_be_visible()
    screenshots(page, "dashboard")
