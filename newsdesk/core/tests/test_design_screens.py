"""The public design, page by page: phone, tablet and laptop, light and dark (issue 16's checks).

Each page is pictured whole under test-results/screens/ for review, and axe finds
nothing to fault in either colour scheme. The header on a phone is one compact bar,
and its menu and search open without JavaScript.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from newsdesk.articles.models import ArticlePage, SectionPage
from newsdesk.demo.loader import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = Path(__file__).resolve().parents[3] / "test-results" / "screens"
WIDTHS = (390, 768, 1366)
SCHEMES = ("light", "dark")
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo(live_site, run_tasks):
    load_demo()
    run_tasks("default")  # the search index, as the worker keeps it


def reader_pages():
    article = ArticlePage.objects.live().order_by("-first_published_at").first()
    section = SectionPage.objects.live().first()
    word = next(w for w in re.findall(r"[A-Za-z]{7,}", article.standfirst))
    return {
        "home": "/",
        "section": section.url,
        "article": article.url,
        "search": f"/search/?q={word}",
        "news": "/news/",
        "newsletters": "/newsletters/",
        "account": "/account/",
        "membership": "/membership/",
    }


def test_every_reader_page_at_three_widths_in_both_schemes_has_no_accessibility_fault(
    demo, live_site, browser, assert_accessible
):
    SCREENS.mkdir(parents=True, exist_ok=True)
    pages = reader_pages()
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.set_default_timeout(30_000)
        for name, path in pages.items():
            page.goto(live_site.url + path)
            page.wait_for_load_state("networkidle")
            for scheme in SCHEMES:
                page.emulate_media(color_scheme=scheme)
                background = page.evaluate("getComputedStyle(document.body).backgroundColor")
                assert background == (
                    "rgb(18, 18, 18)" if scheme == "dark" else "rgb(255, 255, 255)"
                )
                page.screenshot(path=SCREENS / f"{name}-{width}-{scheme}.png", full_page=True)
                assert_accessible(page)
        context.close()


def test_the_phone_header_is_one_compact_bar_whose_menu_and_search_open_without_javascript(
    demo, live_site, browser
):
    section = SectionPage.objects.live().first()
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_site.url + "/")
    page.wait_for_load_state("networkidle")

    assert page.locator(".site-header").bounding_box()["height"] <= 110
    sections = page.get_by_role("navigation", name="Sections")
    expect(sections).to_be_hidden()
    expect(page.locator(".site-header__tagline")).to_be_hidden()

    page.locator(".site-menu summary").click()
    expect(sections.get_by_role("link", name=section.title)).to_be_visible()

    search_field = page.get_by_role("searchbox", name="Search stories")
    expect(search_field).to_be_hidden()
    page.locator(".header-search summary").click()
    expect(search_field).to_be_visible()
    search_field.fill("bridge")
    search_field.press("Enter")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/search/?q=bridge")
    context.close()


def test_on_a_laptop_the_sections_are_a_row_aligned_with_the_content_and_paper_gets_the_story(
    demo, live_site, browser
):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(live_site.url + "/")
    page.wait_for_load_state("networkidle")

    expect(page.locator(".site-menu summary")).to_be_hidden()
    links = page.get_by_role("navigation", name="Sections").get_by_role("link")
    expect(links.first).to_be_visible()
    brand = page.locator(".site-header__brand").bounding_box()
    content = page.locator("main > *").first.bounding_box()
    assert abs(brand["x"] - content["x"]) <= 1  # the same column, to the rounding of a pixel
    assert links.first.bounding_box()["y"] == links.nth(1).bounding_box()["y"]

    # On paper: the story alone, each link followed by its address.
    article = ArticlePage.objects.live().order_by("-first_published_at").first()
    page.goto(live_site.url + article.url)
    page.wait_for_load_state("networkidle")
    page.emulate_media(media="print")
    expect(page.get_by_role("heading", level=1)).to_have_text(article.title)
    for furniture in (".site-menu", ".site-header__tools", ".rail", ".site-footer", "main form"):
        expect(page.locator(furniture).first).to_be_hidden()
    byline_link = page.locator(".byline a").first
    after = byline_link.evaluate("link => getComputedStyle(link, '::after').content")
    assert after == '" (" attr(href) ")"' or byline_link.get_attribute("href") in after
    context.close()
