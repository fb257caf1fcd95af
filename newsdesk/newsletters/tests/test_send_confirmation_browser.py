"""An editor sends a test to themself, then the issue after a confirmation naming count and subject, in Debian's Chromium."""

import os
import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("EDITOR_SHOTS", "")


def test_an_editor_sends_after_the_confirmation(
    issue, audience, live_site, page, mail_catcher, run_tasks, settings, assert_accessible
):
    settings.NEWSDESK_SITE_URL = live_site.url
    people = audience(confirmed=2)
    User.objects.create_superuser("editor", "desk@example.org", "editor-password-1")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(live_site.url + "/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("editor-password-1")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))

    page.goto(live_site.url + f"/admin/newsletters/issues/{issue.pk}/send/")
    page.get_by_role("button", name="Send a test to me (desk@example.org)").click()
    expect(
        page.get_by_text("A test of this issue is on its way to desk@example.org.")
    ).to_be_visible()
    run_tasks()
    [test] = mail_catcher()
    assert test.header("To") == "desk@example.org" and test.header("Subject").startswith("[Test]")

    page.get_by_role("button", name="Send now or schedule…").click()
    question = page.get_by_role(
        "heading", name="Send “Bridge reopens — and the budget” to 2 subscribers of The Briefing?"
    )
    expect(question).to_be_visible()
    expect(page.get_by_role("textbox", name=re.compile(r"Send at \(.+ time\)"))).to_be_visible()
    assert_accessible(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/send-confirmation-1366.png")
    page.get_by_role("button", name="Send to 2 subscribers now").click()
    expect(page.get_by_text("Sending has started.")).to_be_visible()
    run_tasks()
    expect(page.locator("[data-progress=status_label]")).to_have_text("Sent", timeout=20_000)
    received = sorted(message.header("To") for message in mail_catcher())
    assert received == sorted([*people["confirmed"], "desk@example.org"])
