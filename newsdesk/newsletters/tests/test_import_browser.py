"""An editor imports a subscriber list in the admin, in Debian's Chromium, and watches it finish."""

import re

import pytest
from playwright.sync_api import expect

from newsdesk.newsletters.models import Subscription
from newsdesk.newsletters.tests.test_browser import sign_in
from newsdesk.newsletters.tests.test_import import MAILCHIMP, mailchimp_row

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROWS = 3000  # six batches of the import, and still quick


def test_an_editor_uploads_checks_the_mapping_starts_and_watches_the_import_finish(
    live_site, newsletters, page, tmp_path, request, assert_accessible
):
    rows = [
        mailchimp_row(f"reader{n}@example.org", "Reader", str(n), "2020-05-06 07:08:09")
        for n in range(ROWS)
    ]
    rows[41] = mailchimp_row("not-an-address", "Broken", "Row")
    path = tmp_path / "mailchimp-subscribed.csv"
    path.write_text("\r\n".join([MAILCHIMP, *rows]) + "\r\n")

    sign_in(page, live_site)
    page.get_by_role("button", name="Newsletters").click()
    page.get_by_role("link", name="Import subscribers").click()
    page.locator("main").get_by_label("Newsletter").select_option(label="The Briefing")
    page.get_by_label("Subscriber list").set_input_files(path)
    assert_accessible(page)
    page.get_by_role("button", name="Upload and preview").click()
    assert_accessible(page)

    expect(page.locator("#import-format")).to_have_text("Mailchimp")
    mapping = page.locator("#import-mapping")
    expect(mapping.get_by_role("row", name=re.compile("^Email"))).to_contain_text("Email Address")
    expect(mapping.get_by_role("row", name=re.compile("^Name"))).to_contain_text(
        "First Name + Last Name"
    )
    expect(mapping.get_by_role("row", name=re.compile("^Signed up"))).to_contain_text("OPTIN_TIME")
    expect(page.locator("#import-rows")).to_contain_text("reader0@example.org")
    assert not Subscription.objects.exists()

    page.get_by_role("radio", name=re.compile("Confirmed: they agreed")).check()
    page.get_by_role("button", name="Start the import").click()
    expect(page.get_by_text("Say where these readers agreed")).to_be_visible()
    page.get_by_label("Where and how they agreed").fill("Mailchimp signup form, 2018–2025")
    page.get_by_role("button", name="Start the import").click()

    expect(page.locator("#import-status")).to_contain_text("Waiting for the task worker")
    expect(page.locator("progress")).to_have_attribute("value", "0")
    assert_accessible(page)
    stop_worker = request.getfixturevalue(
        "task_worker"
    )  # now a worker starts and picks the task up
    # The page follows the worker by itself and shows the report when it is done.
    report = page.locator("#import-report")
    expect(report).to_be_visible(timeout=60_000)
    expect(page.locator("#import-status")).to_contain_text("Done")
    assert re.sub(r"\s+", " ", report.inner_text()).startswith(
        f"Rows read {ROWS} Imported {ROWS - 1} Merged with existing subscribers 0 Skipped 1"
    )
    expect(page.locator("#import-skipped")).to_contain_text("43")  # the header is row 1
    assert_accessible(page)
    stop_worker()
    assert Subscription.objects.filter(status="confirmed").count() == ROWS - 1
