"""A newcomer buys a membership through Checkout (the Stripe stand-in's page), signs in from the mail and reads a story for that tier, in Debian's Chromium."""

import os

import pytest
from playwright.sync_api import expect

from newsdesk.members.models import Member, Payment, StoryAccess, Tier

from .conftest import LINK

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GATED_TEXT = "The council's own figures tell another story."
SHOTS = os.environ.get("NEWSDESK_SCREENSHOTS")


def shoot(page, name):
    """For a person to look at: set NEWSDESK_SCREENSHOTS to a folder."""
    if not SHOTS:
        return
    for width, height in ((390, 844), (1366, 800)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)


@pytest.fixture
def supporters_story(live_site, mail_catcher, settings, publish_article):
    settings.NEWSDESK_SITE_URL = live_site.url  # links in the mail lead back to this server
    supporter = Tier.objects.create(
        name="Supporter", slug="supporter", monthly_price=500, yearly_price=5000, sort_order=1
    )
    body = [{"type": "paragraph", "value": f"<p>Open paragraph {n}.</p>"} for n in range(1, 4)]
    body.append({"type": "paragraph", "value": f"<p>{GATED_TEXT}</p>"})
    story = publish_article("Where the budget went", body=body)
    StoryAccess.objects.create(page=story, level=StoryAccess.Level.TIERS).tiers.add(supporter)
    return story


def test_a_newcomer_pays_at_checkout_signs_in_and_reads_for_their_tier(
    supporters_story, stripe_api, live_site, page, run_tasks, mail_catcher, assert_accessible
):
    page.goto(live_site.url + "/membership/", timeout=60_000)
    page.get_by_label("€50.00 yearly").check()
    shoot(page, "membership-paid")
    assert_accessible(page)
    page.get_by_role("button", name="Join as Supporter").click()

    # The stand-in's Checkout page: it asks the newcomer's address.
    expect(page.get_by_role("heading", name="Checkout (test stand-in)")).to_be_visible()
    expect(page.get_by_text("5000 EUR a year")).to_be_visible()
    page.get_by_label("Email").fill("newcomer@example.org")
    page.get_by_role("button", name="Pay").click()

    # Stripe's webhooks were handled before the browser came back.
    expect(page.get_by_role("heading", name="Welcome, Supporter")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text(
        "We have sent a link to newcomer@example.org"
    )
    page.wait_for_load_state("networkidle")
    shoot(page, "welcome")
    assert_accessible(page)
    member = Member.objects.get()
    assert member.membership.tier.slug == "supporter" and member.membership.interval == "year"
    assert Payment.objects.get().amount == 5000

    # Not signed in yet: the story stays closed.
    page.goto(live_site.url + supporters_story.url)
    expect(page.get_by_text(GATED_TEXT)).to_have_count(0)

    run_tasks()
    messages = {message.subject: message for message in mail_catcher()}
    assert set(messages) == {"Sign in to The Test Ledger", "Your receipt from The Test Ledger"}
    page.goto(LINK.search(messages["Sign in to The Test Ledger"].text).group(0))
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="Your account", exact=True)).to_be_visible()
    membership = page.get_by_role("region", name="Membership")
    expect(membership).to_contain_text("Supporter")
    expect(membership).to_contain_text("You pay €50.00 a year")
    expect(membership).to_contain_text("Renews on")
    expect(membership.get_by_role("listitem")).to_contain_text("Membership, €50.00")
    expect(page.get_by_role("button", name="Manage payment and cancel")).to_be_visible()
    page.wait_for_load_state("networkidle")
    shoot(page, "account-paid")
    assert_accessible(page)

    page.goto(live_site.url + supporters_story.url)
    expect(page.get_by_text(GATED_TEXT)).to_be_visible()

    # The customer portal: cancel at the period end, and back to the account.
    page.goto(live_site.url + "/account/")
    page.get_by_role("button", name="Manage payment and cancel").click()
    expect(page.get_by_role("heading", name="Billing (test stand-in)")).to_be_visible()
    page.get_by_role("button", name="Cancel plan").click()
    expect(page.get_by_role("heading", name="Your account", exact=True)).to_be_visible()
    expect(page.get_by_role("region", name="Membership")).to_contain_text("Ends on")
    page.wait_for_load_state("networkidle")
