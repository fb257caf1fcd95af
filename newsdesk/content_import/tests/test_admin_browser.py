"""An editor imports a WordPress export in the admin, in Debian's Chromium: upload, preview, run, report."""

import os
import re

import pytest
from playwright.sync_api import expect

from newsdesk.articles.models import ArticlePage
from newsdesk.content_import.tests.wxr import write_export
from newsdesk.newsletters.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_editor_uploads_previews_starts_and_reads_the_report(
    live_site, page, tmp_path, old_site, run_tasks, request, assert_accessible
):
    path = write_export(tmp_path, site=old_site)
    sign_in(page, live_site)
    page.get_by_role("button", name="Settings").click()
    page.get_by_role("link", name="Import content").click()
    page.get_by_label("Export file").set_input_files(path)
    assert_accessible(page)
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.locator("#import-status")).to_contain_text("Reading the file")

    # The worker reads the file; the page follows it and shows the preview.
    run_tasks()
    expect(page.locator("#import-format")).to_have_text("WordPress WXR 1.2", timeout=60_000)
    expect(page.locator("#import-preview td")).to_have_text(["6", "2", "3", "2", "3", "4"])
    expect(page.locator("#import-titles li").first).to_have_text(
        "Council votes to rebuild the bridge"
    )
    assert_accessible(page)
    if os.environ.get("NEWSDESK_SCREENSHOTS"):
        for width, height in ((390, 844), (1280, 800)):
            page.set_viewport_size({"width": width, "height": height})
            page.screenshot(
                path=f"{os.environ['NEWSDESK_SCREENSHOTS']}/preview-{width}.png", full_page=True
            )
    assert not ArticlePage.objects.exists()

    page.get_by_role("button", name="Start the import").click()
    expect(page.locator("#import-status")).to_contain_text("Waiting for the task worker")
    stop_worker = request.getfixturevalue(
        "task_worker"
    )  # now a worker starts and picks the task up
    report = page.locator("#import-report")
    expect(report).to_be_visible(timeout=60_000)
    expect(page.locator("#import-status")).to_contain_text("Done")
    stories = report.get_by_role("row", name=re.compile("^Stories"))
    expect(stories.get_by_role("cell")).to_have_text(["6", "0", "0"])
    expect(page.locator("#import-warnings")).to_contain_text("A gallery names the picture 99")
    assert_accessible(page)
    if os.environ.get("NEWSDESK_SCREENSHOTS"):
        for width, height in ((390, 844), (1280, 800)):
            page.set_viewport_size({"width": width, "height": height})
            page.screenshot(
                path=f"{os.environ['NEWSDESK_SCREENSHOTS']}/report-{width}.png", full_page=True
            )
    page.wait_for_load_state("networkidle")
    stop_worker()
    assert ArticlePage.objects.count() == 6
