"""An editor's morning from the dashboard, in Debian's Chromium: a feed post, a new story."""

import os
import re
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from newsdesk.desk import roles
from newsdesk.feed.models import NewsItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def screenshots(page, name):
    folder = os.environ.get("NEWSDESK_SCREENSHOTS")
    if not folder:
        return
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=f"{folder}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})


def test_an_editor_posts_to_the_feed_and_starts_a_story_from_the_dashboard(
    live_site, page, newsroom, publish_article, assert_accessible
):
    publish_article("Bridge reopens after repairs")
    editor = User.objects.create_user("olena", password="desk-password-1", first_name="Olena")
    editor.groups.add(Group.objects.get(name=roles.EDITOR))

    page.goto(live_site.url + "/admin/login/")
    page.get_by_label("Username").fill("olena")
    page.get_by_label("Password").fill("desk-password-1")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    page.wait_for_load_state("networkidle")
    expect(page.get_by_text("Times are in Europe/Kyiv")).to_be_visible()
    assert_accessible(page)
    screenshots(page, "dashboard")

    posting = page.locator("#panel-post-to-feed")
    posting.get_by_role("button", name="Post now").click()
    expect(posting.get_by_text("This field is required.").first).to_be_visible()
    posting.get_by_label("Headline").fill("Air raid alert lifted in the city")
    posting.get_by_label("Text").fill("The all-clear sounded after two hours.")
    posting.get_by_role("button", name="Post now").click()
    expect(page.get_by_text("Posted to the news feed")).to_be_visible()
    page.wait_for_load_state("networkidle")

    item = NewsItem.objects.get()
    local = item.first_published_at.astimezone(ZoneInfo("Europe/Kyiv")).strftime("%H:%M")
    page.goto(live_site.url + "/news/")
    shown = page.locator(".feed-item", has_text="Air raid alert lifted in the city")
    expect(shown.locator(".feed-item__time")).to_have_text(local)
    page.wait_for_load_state("networkidle")

    page.goto(live_site.url + "/admin/")
    page.get_by_label("Section").select_option(label="City")
    page.get_by_role("button", name="Write a new story").click()
    expect(page).to_have_url(
        re.compile(rf"/admin/pages/add/articles/articlepage/{newsroom['section'].pk}/$")
    )
    expect(page.get_by_role("textbox", name=re.compile("Headline"))).to_be_visible()
    page.wait_for_load_state("networkidle")

    page.goto(live_site.url + "/admin/stories/")
    expect(
        page.get_by_role("link", name=re.compile("Bridge reopens after repairs"))
    ).to_be_visible()
    page.wait_for_load_state("networkidle")
    screenshots(page, "stories")
