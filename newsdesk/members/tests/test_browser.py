"""A reader joins from the membership page, signs in from the mailed link, reads a members' story and signs out, in Debian's Chromium."""

import os
import re

import pytest
from playwright.sync_api import expect

from newsdesk.members.models import Member, StoryAccess

from .conftest import LINK

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GATED_TEXT = "What the samples showed stays between us and our members."


@pytest.fixture
def story(live_site, mail_catcher, settings, publish_article):
    settings.NEWSDESK_SITE_URL = live_site.url  # links in the mail lead back to this server
    body = [{"type": "paragraph", "value": f"<p>Open paragraph {n}.</p>"} for n in range(1, 4)]
    body.append({"type": "paragraph", "value": f"<p>{GATED_TEXT}</p>"})
    story = publish_article("Microplastics in the river", body=body)
    StoryAccess.objects.create(page=story)
    return story


def screenshots(page, name):
    """For a person to look at: set NEWSDESK_SCREENSHOTS to a folder."""
    folder = os.environ.get("NEWSDESK_SCREENSHOTS")
    if not folder:
        return
    for width, height in ((390, 844), (1366, 800)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=f"{folder}/{name}-{width}.png", full_page=True)


def test_a_reader_joins_signs_in_from_the_mail_reads_for_members_and_signs_out(
    story, live_site, page, run_tasks, mail_catcher, assert_accessible
):
    page.goto(live_site.url + story.url, timeout=60_000)
    expect(
        page.get_by_role("heading", name="The rest of this story is for members")
    ).to_be_visible()
    expect(page.get_by_text(GATED_TEXT)).to_have_count(0)
    assert_accessible(page)
    screenshots(page, "gated-story")

    page.get_by_role("link", name="Become a member").click()
    expect(page.get_by_role("heading", name="Become a member")).to_be_visible()
    expect(page.get_by_text("Payments are not set up yet")).to_be_visible()
    assert_accessible(page)
    screenshots(page, "membership")
    page.get_by_role("link", name="Sign up free").click()

    expect(page.get_by_role("heading", name="Sign in or join")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Your email address").fill("Reader@example.org")
    page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_role("status")).to_contain_text(
        "If Reader@example.org can be used here, we have sent a link"
    )
    assert not Member.objects.exists()

    run_tasks()
    [message] = mail_catcher()
    assert message.header("To") == "Reader@example.org"
    assert message.subject.startswith("Finish joining")
    page.goto(LINK.search(message.text).group(0))
    expect(page.get_by_role("heading", name="Finish joining")).to_be_visible()
    assert_accessible(page)
    assert not Member.objects.exists()  # opening the link is not pressing its button
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="Your account", exact=True)).to_be_visible()
    expect(page.get_by_text("Signed in as Reader@example.org")).to_be_visible()
    expect(page.get_by_role("region", name="Membership")).to_contain_text("Free")
    assert_accessible(page)
    screenshots(page, "account")

    page.goto(live_site.url + story.url)
    expect(page.get_by_text(GATED_TEXT)).to_be_visible()

    page.get_by_role("link", name="Account").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("status")).to_contain_text("You have signed out")
    page.goto(live_site.url + "/account/")
    expect(page).to_have_url(re.compile(r"/account/sign-in/\?next=/account/$"))
    page.goto(live_site.url + story.url)
    expect(page.get_by_text(GATED_TEXT)).to_have_count(0)
    page.wait_for_load_state("networkidle")


def test_the_members_admin_and_a_newsletter_for_members_look_right(
    live_site, page, tiers, newsroom, assert_accessible
):
    from django.core.management import call_command

    from newsdesk.members.models import NewsletterAccess
    from newsdesk.newsletters.models import Newsletter
    from newsdesk.newsletters.tests.test_browser import sign_in as sign_in_to_admin

    for number, slug in enumerate(["patron", "supporter", "supporter"]):
        call_command("grant_membership", f"member{number}@example.org", slug)
    for slug, name in [("briefing", "The Briefing"), ("inside", "Inside the Newsroom")]:
        Newsletter.objects.create(
            slug=slug,
            name=name,
            description=f"All about {name}.",
            host=newsroom["reporter"],
            cadence="Every Friday",
            sender_name=name,
            sender_address=f"{slug}@example.org",
        )
    NewsletterAccess.objects.create(newsletter=Newsletter.objects.get(slug="inside"))

    page.goto(live_site.url + "/newsletters/")
    page.wait_for_load_state("networkidle")
    inside = page.locator("#newsletter-inside").locator("..")
    expect(inside.get_by_text("For members.")).to_be_visible()
    expect(inside.get_by_role("link", name="Become a member")).to_have_attribute(
        "href", "/membership/"
    )
    assert_accessible(page)
    screenshots(page, "newsletters-for-members")

    sign_in_to_admin(page, live_site)
    page.goto(live_site.url + "/admin/snippets/members/member/")
    page.wait_for_load_state("networkidle")
    expect(page.get_by_text("member0@example.org")).to_be_visible()
    screenshots(page, "admin-members")
    member = Member.objects.get(email="member0@example.org")
    page.goto(live_site.url + f"/admin/snippets/members/member/inspect/{member.pk}/")
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", name="Memberships")).to_be_visible()
    screenshots(page, "admin-member")
