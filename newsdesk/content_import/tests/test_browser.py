"""An imported Ghost story and page as a reader sees them, in Debian's Chromium."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from newsdesk.content_import.tests.ghost_exports import lexical, paragraph, post, text, write_export
from newsdesk.content_import.writer import import_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

POLITICS = [{"id": "pt1", "post_id": "p1", "tag_id": "t2", "sort_order": 0}]


def test_an_imported_story_with_an_embed_and_a_static_page_read_well(
    live_site, page, assert_accessible, tmp_path
):
    body = lexical(
        paragraph(text("The council met on Tuesday to agree the winter budget.")),
        {
            "type": "embed",
            "url": "https://www.youtube.com/watch?v=abc123",
            "html": "<iframe src='https://www.youtube.com/embed/abc123'></iframe>",
            "caption": "The session, as streamed",
        },
        {"type": "aside", "children": [text("We will not close a single shelter.")]},
        {"type": "quote", "children": [text("The heating comes first.")]},
    )
    path = write_export(
        tmp_path / "g.json",
        [
            post("p1", "budget-agreed", title="Council agrees the winter budget", body=body),
            post("p2", "about", type="page", title="About us"),
        ],
        posts_tags=POLITICS,
    )
    import_file(path)
    shots = Path(os.environ.get("NEWSDESK_SCREENSHOTS", tmp_path))
    for width, height in ((390, 844), (1280, 800)):
        page.set_viewport_size({"width": width, "height": height})
        response = page.goto(live_site.url + "/budget-agreed/")
        assert (
            response.url == live_site.url + "/politics/budget-agreed/"
        )  # the old address, redirected
        page.wait_for_load_state("networkidle")
        card = page.locator(".embed-card")
        expect(card.get_by_role("link")).to_have_attribute(
            "href", "https://www.youtube.com/watch?v=abc123"
        )
        expect(card).to_contain_text("On YouTube")
        expect(card.locator("figcaption")).to_have_text("The session, as streamed")
        expect(page.locator(".pull-quote")).to_contain_text("We will not close a single shelter.")
        assert page.locator("iframe").count() == 0
        assert_accessible(page)
        page.screenshot(path=shots / f"imported-story-{width}.png", full_page=True)

        page.goto(live_site.url + "/about/")
        page.wait_for_load_state("networkidle")
        expect(page.get_by_role("heading", level=1)).to_have_text("About us")
        assert_accessible(page)
        page.screenshot(path=shots / f"imported-page-{width}.png", full_page=True)
