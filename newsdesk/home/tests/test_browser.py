"""A reader finding their way around the front of the site, in Debian's Chromium."""

import re

import pytest
from playwright.sync_api import expect

from newsdesk.articles.models import ArticlePage
from newsdesk.demo.loader import load_demo
from newsdesk.feed.models import NewsItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(live_site, run_tasks):
    load_demo()
    run_tasks("default")  # the search index, as the worker keeps it (narration is not needed here)


def test_a_reader_browses_home_section_article_author_and_search(
    demo, live_site, page, assert_accessible
):
    article = (
        ArticlePage.objects.live()
        .filter(bylines__contributor__kind="person")
        .order_by("-first_published_at")
        .first()
    )
    section = article.get_parent()
    author = article.bylines.first().contributor

    page.goto(live_site.url + "/", timeout=60_000)
    expect(page.get_by_role("heading", name="News feed")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("navigation", name="Sections").get_by_role("link", name=section.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(section.title)
    assert_accessible(page)

    page.locator(".story-card__headline a", has_text=article.title).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(article.title)

    page.locator(".byline").get_by_role("link", name=author.name).click()
    expect(page).to_have_url(re.compile(rf"/authors/{author.slug}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(author.name)
    assert_accessible(page)

    word = next(w for w in re.findall(r"[A-Za-z]{7,}", article.standfirst))
    page.locator(".header-search summary").click()  # the search icon opens the field
    page.get_by_role("searchbox", name="Search stories").fill(word)
    page.get_by_role("searchbox", name="Search stories").press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q="))
    expect(page.locator(".search-result__snippet mark").first).to_be_visible()
    assert_accessible(page)
    page.locator(".search-result__headline a", has_text=article.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(article.title)

    page.get_by_role("link", name="More news").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("News feed")
    assert_accessible(page)


def test_a_new_feed_item_reaches_an_open_article_without_a_reload(demo, live_site, page):
    article = ArticlePage.objects.live().first()
    page.goto(live_site.url + article.url, timeout=60_000)
    page.evaluate("window.loadedAt = performance.timeOrigin")
    expect(page.locator(".news-feed .feed-item").first).to_be_visible()

    item = NewsItem.objects.create(
        headline="Trams stop for an hour", summary="A power fault on line 2.", live=False
    )
    item.save_revision().publish()

    expect(page.locator(".news-feed .feed-item__headline").first).to_have_text(
        "Trams stop for an hour", timeout=15_000
    )
    expect(page.locator(".news-feed [role=status]")).to_have_text("1 new item in the news feed")
    assert page.evaluate(
        "window.loadedAt === performance.timeOrigin"
    )  # the same page, never reloaded


def test_the_feed_works_without_javascript(demo, live_site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_site.url + "/news/", timeout=60_000)
    first = page.locator(".feed-item__headline").first.inner_text()
    item = NewsItem.objects.create(
        headline="Posted while reading", summary="Seen after a reload.", live=False
    )
    item.save_revision().publish()
    page.reload()
    expect(page.locator(".feed-item__headline").first).to_have_text("Posted while reading")
    expect(page.locator(".feed-item__headline").nth(1)).to_have_text(first)
    context.close()
