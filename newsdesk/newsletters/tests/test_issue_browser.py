"""An editor composes an issue in the admin, previews it, sends it and watches it finish, in Debian's Chromium."""

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from newsdesk.newsletters.models import Issue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_editor_composes_previews_sends_and_watches_an_issue(
    live_site, page, sink, audience, publish_article, run_tasks, settings
):
    settings.NEWSDESK_SITE_URL = live_site.url
    publish_article("Night buses return to four routes")
    people = audience(confirmed=3)
    User.objects.create_superuser("editor", "editor@example.org", "editor-password-1")

    page.goto(live_site.url + "/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("editor-password-1")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))

    page.goto(live_site.url + "/admin/snippets/newsletters/issue/add/", timeout=60_000)
    page.locator("#id_newsletter").select_option(label="The Briefing")
    page.locator("#id_subject").fill("Buses are back")
    page.locator("#id_preheader").fill("And what else happened overnight")
    intro = page.locator("[data-contentpath='intro'] .public-DraftEditor-content")
    intro.click()
    page.keyboard.type("Good morning from the night desk.")
    expect(intro).to_contain_text("Good morning from the night desk.")
    # Draftail writes the field a moment after the last keystroke.
    expect(page.locator("#id_intro")).to_have_value(re.compile("Good morning from the night desk."))
    page.get_by_role("button", name="Save").first.click()
    expect(page.get_by_text("Buses are back").first).to_be_visible()
    issue = Issue.objects.get(subject="Buses are back")
    assert "Good morning from the night desk." in issue.intro

    page.goto(live_site.url + f"/admin/newsletters/issues/{issue.pk}/send/")
    preview = page.frame_locator("iframe[title='Preview of the email']")
    expect(preview.get_by_role("link", name="Night buses return to four routes")).to_be_visible()
    expect(preview.get_by_text("Good morning from the night desk.")).to_be_visible()

    page.get_by_role("button", name="Send now or schedule…").click()
    expect(
        page.get_by_role("heading", name="Send “Buses are back” to 3 subscribers of The Briefing?")
    ).to_be_visible()
    page.get_by_role("button", name="Send to 3 subscribers now").click()
    expect(page.get_by_text("Sending has started.")).to_be_visible()
    expect(page.locator("[data-progress=total]")).to_have_text("3")

    run_tasks()  # the worker sends; the open page follows along by itself
    expect(page.locator("[data-progress=status_label]")).to_have_text("Sent", timeout=20_000)
    expect(page.locator("[data-progress=sent]")).to_have_text("3")
    expect(page.locator("[data-progress=remaining]")).to_have_text("0")
    assert sorted(sink.ids_by_recipient()) == sorted(people["confirmed"])
