"""An editor reorders the front page on the admin's Front page, in Debian's Chromium."""

import os
import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from newsdesk.home.models import HomeFeaturedStory, HomePage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("EDITOR_SHOTS", "")


def test_an_editor_reorders_the_front_page_and_adds_a_pick_at_the_top(
    newsroom, publish_article, live_site, browser, page, assert_accessible
):
    first, second, _ = (publish_article(f"Story {n}") for n in ("one", "two", "three"))
    home = HomePage.objects.get()
    for order, story in enumerate([first, second]):
        HomeFeaturedStory.objects.create(page=home, article=story, sort_order=order)
    home.save_revision().publish()
    User.objects.create_superuser("editor", "editor@example.org", "editor-password-1")

    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(live_site.url + "/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("editor-password-1")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    page.get_by_role("link", name="Front page").click()
    page.wait_for_load_state("networkidle")
    stories = page.locator('[data-list="stories"] [data-title]')
    expect(stories).to_have_text(["Story one", "Story two"])

    # By the buttons (the keyboard's way), then by dragging back and forth.
    page.get_by_role("button", name="Move “Story two” up").click()
    expect(stories).to_have_text(["Story two", "Story one"])
    expect(page.locator("[data-front-desk-status]")).to_have_text("“Story two” is now number 1.")
    items = page.locator('[data-list="stories"] li')
    items.nth(1).drag_to(items.nth(0))
    items.nth(1).drag_to(items.nth(0))
    expect(stories).to_have_text(["Story two", "Story one"])

    # A pick found among recent stories goes to the top of the picks.
    page.get_by_label("Headline has").fill("three")
    page.get_by_role("button", name="Add to picks: “Story three”").click()
    page.get_by_label("Headline has").fill("one")
    page.get_by_role("button", name="Add to picks: “Story one”").click()
    expect(page.locator('[data-list="picks"] [data-title]')).to_have_text(
        ["Story one", "Story three"]
    )
    assert_accessible(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/front-page-1366.png")
    page.get_by_role("button", name="Save and publish the front page").click()
    expect(page.get_by_text("The front page is saved and live.")).to_be_visible()
    page.wait_for_load_state("networkidle")

    # The page beside the lists, and the site itself, show the new order.
    preview = page.frame_locator("iframe[title='Preview of the front page']")
    expect(preview.locator(".front__lead")).to_contain_text("Story two")
    page.goto(live_site.url + "/")
    expect(page.locator(".front__lead")).to_contain_text("Story two")
    # The home page's picks leave out its own stories; a section's rail shows them all, in order.
    page.goto(live_site.url + "/city/")
    expect(page.locator(".editors-picks a")).to_have_text(["Story one", "Story three"])

    if SHOTS:
        phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
        small = phone.new_page()
        small.goto(live_site.url + "/admin/login/")
        small.get_by_label("Username").fill("editor")
        small.get_by_label("Password").fill("editor-password-1")
        small.get_by_role("button", name="Sign in").click()
        small.goto(live_site.url + "/admin/front-page/")
        small.wait_for_load_state("networkidle")
        small.screenshot(path=f"{SHOTS}/front-page-390.png", full_page=True)
        assert small.evaluate("document.documentElement.scrollWidth") <= 390
        phone.close()
