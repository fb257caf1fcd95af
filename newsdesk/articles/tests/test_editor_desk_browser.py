"""An editor writes a story with a picture in Debian's Chromium: previews, checklist, publishing now or at a time.

The first test is also the timed "write and publish a story with a picture" path that
docs/performance.md reports (clicks and seconds; set EDITOR_PATH_FIGURES to a file to keep them).
"""

import json
import os
import re
import time
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import expect

from newsdesk.articles.models import ArticlePage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("EDITOR_SHOTS", "")


class TimedPath:
    """Counts the clicks of a path through the admin and the seconds it takes."""

    def __init__(self):
        self.clicks, self.started = 0, time.monotonic()

    def click(self, locator):
        self.clicks += 1
        locator.click()

    def figures(self, name):
        figures = {
            "path": name,
            "clicks": self.clicks,
            "seconds": round(time.monotonic() - self.started, 1),
        }
        if os.environ.get("EDITOR_PATH_FIGURES"):
            with open(os.environ["EDITOR_PATH_FIGURES"], "a") as out:
                out.write(json.dumps(figures) + "\n")
        return figures


def sign_in(page, live_site):
    User.objects.create_superuser("editor", "editor@example.org", "editor-password-1")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(live_site.url + "/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("editor-password-1")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    page.wait_for_load_state("networkidle")


def write_story(page, path, headline):
    """From the dashboard: find the section, add a story, type it, choose the picture."""
    path.click(page.get_by_role("button", name="Pages"))
    path.click(page.get_by_role("link", name="View child pages of 'Home'"))
    path.click(page.locator(".c-page-explorer__item__link", has_text="City"))
    path.click(page.get_by_role("link", name="Add child page"))
    page.get_by_placeholder("Headline*").fill(headline)
    page.locator("#id_standfirst").fill("Three routes run again after midnight.")
    # A new story opens with an empty paragraph: one click to type into it, not "+" then "Paragraph".
    path.click(page.locator("[data-contentpath='body'] .public-DraftEditor-content").first)
    page.keyboard.type("The first night bus left at half past midnight.")
    path.click(page.get_by_role("button", name="Choose an image"))
    path.click(page.locator(".modal-content").get_by_role("link", name="A river at dusk").first)


def test_an_editor_writes_and_publishes_a_story_with_a_picture(newsroom, live_site, page):
    sign_in(page, live_site)
    path = TimedPath()
    write_story(page, path, "Night buses return to the river line")
    # The previews follow the story as it is typed.
    expect(page.locator("[data-editor-desk-count]")).to_have_text("36 of 255 characters")
    expect(page.locator('[data-preview="url"]')).to_have_text(
        re.compile(r"/city/night-buses-return-to-the-river-line/$")
    )
    expect(page.locator('[data-preview="title"]')).to_have_text(
        "Night buses return to the river line"
    )
    expect(page.locator('[data-preview="image"]')).to_be_visible()
    path.click(page.locator('footer button[name="action-publish"]'))
    dialog = page.get_by_role("dialog", name="Publish this story")
    expect(dialog.get_by_text("Lead picture has alt text")).to_be_visible()
    expect(dialog.get_by_text("Lead picture has a credit")).to_be_visible()
    expect(dialog.get_by_text("Section: City")).to_be_visible()
    path.click(dialog.get_by_role("button", name="Publish now"))
    expect(page.locator(".messages")).to_contain_text("published")
    print(path.figures("new: write and publish a story with a picture"))
    # Published before Wagtail's autosave answered, the new form may have been sent twice: the
    # second draft is never live, and slugs.py keeps it out of the published story's address.
    story = ArticlePage.objects.live().get()
    assert story.lead_image == newsroom["image"]
    assert story.url.endswith("/city/night-buses-return-to-the-river-line/")


def test_an_editor_schedules_a_story_at_a_local_time_in_one_step(
    newsroom, live_site, page, assert_accessible
):
    sign_in(page, live_site)
    path = TimedPath()
    write_story(page, path, "Bridge reopens to trams at ten in the morning, the city says")
    expect(page.locator('[data-preview="image"]')).to_be_visible()
    if SHOTS:
        page.locator("[data-editor-desk]").scroll_into_view_if_needed()
        page.screenshot(path=f"{SHOTS}/editor-previews-1366.png")
    path.click(page.locator('footer button[name="action-publish"]'))
    dialog = page.get_by_role("dialog", name="Publish this story")
    path.click(dialog.get_by_label("At a time"))
    label = dialog.get_by_text(re.compile(r"Go live at \(.+ time\)")).text_content()
    zone = ZoneInfo(re.search(r"\((.+) time\)", label)[1])
    tomorrow = timezone.now().astimezone(zone).date() + timedelta(days=1)
    dialog.get_by_label(re.compile("Go live at")).fill(f"{tomorrow.isoformat()}T10:00")
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/publish-dialog-1366.png")
    # The desk's own parts (previews, dialog); Wagtail's editor around them is Wagtail's.
    assert_accessible(page, within="[data-editor-desk]")
    path.click(dialog.get_by_role("button", name="Schedule"))
    expect(page.locator(".messages")).to_contain_text("scheduled")
    print(path.figures("new: write a story with a picture and schedule it"))
    # Published before autosave answered, the new form may have been sent twice (see slugs.py).
    [story] = [a for a in ArticlePage.objects.all() if a.get_latest_revision().approved_go_live_at]
    assert not story.live
    go_live = story.get_latest_revision().approved_go_live_at.astimezone(zone)
    assert (go_live.date(), go_live.hour, go_live.minute) == (tomorrow, 10, 0)


def test_the_checklist_shows_a_missing_alt_text_and_still_publishes(
    newsroom, publish_article, live_site, page, picture_maker
):
    picture = picture_maker(title="Harbour at noon", credit="")
    picture.description = ""
    picture.save()
    draft = publish_article("Harbour dredging starts", lead_image=picture, published=False)
    sign_in(page, live_site)
    page.goto(live_site.url + f"/admin/pages/{draft.pk}/edit/")
    page.locator('footer button[name="action-publish"]').click()
    dialog = page.get_by_role("dialog", name="Publish this story")
    expect(dialog.get_by_text("Lead picture has no alt text")).to_be_visible()
    expect(dialog.get_by_text("Lead picture has no credit")).to_be_visible()
    expect(dialog.get_by_text("You can still publish")).to_be_visible()
    dialog.get_by_role("button", name="Publish now").click()
    expect(page.locator(".messages")).to_contain_text("published")
    assert ArticlePage.objects.get().live
