"""The reader pages in Debian's Chromium, on a phone and a laptop: pictures sharp, axe clean, sharing."""

import pytest
from playwright.sync_api import expect

from newsdesk.articles.tests.test_reader_pages import large_image
from newsdesk.core.links import absolute_url
from newsdesk.home.models import HomeFeaturedStory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture
def front(live_site, newsroom, publish_article, run_tasks):
    """A front page led by a story with a large picture, tags and an inline picture; others around it."""
    image = large_image()
    lead = publish_article(
        "Substation back at full capacity",
        lead_image=image,
        tags=["power cuts"],
        body=[
            {"type": "paragraph", "value": "<p>The substation is back at full capacity.</p>"},
            {"type": "image", "value": {"image": image.pk, "caption": "", "credit": ""}},
        ],
    )
    for number in range(6):
        picture = newsroom["image"] if number % 2 else None
        publish_article(f"Substation story {number}", lead_image=picture)
    home = newsroom["home"]
    home.featured_stories = [HomeFeaturedStory(article=lead, sort_order=0)]
    home.save_revision().publish()
    run_tasks("default")  # the search index
    return lead


def open_page(browser, url, viewport, scale=1, **options):
    context = browser.new_context(viewport=viewport, device_scale_factor=scale, **options)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return context, page


def chosen_rendition(page, selector):
    image = page.locator(selector)
    expect(image).to_be_visible()
    page.wait_for_function(
        "s => { const i = document.querySelector(s); return i.complete && i.naturalWidth > 0 }",
        arg=selector,
    )
    # The element's naturalWidth is corrected by the density srcset and sizes give it:
    # the rendition the browser chose says its own width when loaded alone.
    return image.evaluate(
        """async i => {
            const chosen = new Image();
            chosen.src = i.currentSrc;
            await chosen.decode();
            return {natural: chosen.naturalWidth, shown: i.clientWidth, scale: devicePixelRatio};
        }"""
    )


@pytest.mark.parametrize("scale", [1, 2])
@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_the_lead_picture_is_never_stretched(front, live_site, browser, viewport, scale):
    for url, selector in [("/", ".front__lead img"), (front.url, ".article__lead-image img")]:
        context, page = open_page(browser, live_site.url + url, viewport, scale)
        size = chosen_rendition(page, selector)
        assert size["scale"] == scale
        assert size["natural"] >= size["shown"] * scale, (url, size)
        context.close()


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_the_reader_pages_pass_axe(front, live_site, browser, viewport, assert_accessible):
    pages = ["/", "/city/", front.url, "/search/?q=substation", "/authors/ira-test/"]
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(30_000)
    for url in pages:
        page.goto(live_site.url + url)
        page.wait_for_load_state("networkidle")
        assert_accessible(page)
    context.close()


def test_the_front_page_s_first_screen_has_the_lead_top_stories_and_feed(front, live_site, browser):
    context, page = open_page(browser, live_site.url + "/", LAPTOP)
    for block in (".front__lead", ".front__top-stories", "#news-feed-heading"):
        assert page.locator(block).bounding_box()["y"] < LAPTOP["height"], block
    context.close()
    context, page = open_page(browser, live_site.url + "/", PHONE)
    for block in (".front__lead", ".front__top-stories", "#news-feed-heading"):
        assert page.locator(block).bounding_box()["y"] < 2 * PHONE["height"], block
    context.close()


def test_copy_link_copies_where_scripts_run_and_the_links_stay_without(front, live_site, browser):
    context, page = open_page(
        browser,
        live_site.url + front.url,
        LAPTOP,
        permissions=["clipboard-read", "clipboard-write"],
    )
    page.get_by_role("button", name="Copy link").click()
    expect(page.locator(".share [role=status]")).to_have_text("Link copied.")
    assert page.evaluate("navigator.clipboard.readText()") == absolute_url(front.url)
    context.close()

    context, page = open_page(browser, live_site.url + front.url, LAPTOP, java_script_enabled=False)
    expect(page.get_by_role("button", name="Copy link")).to_be_hidden()
    expect(page.locator(".share").get_by_role("link", name="Email")).to_be_visible()
    expect(page.locator(".article__tags").get_by_role("link", name="power cuts")).to_be_visible()
    context.close()
