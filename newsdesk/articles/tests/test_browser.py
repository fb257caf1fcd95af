"""What a reader and an editor do with an article, in Debian's Chromium."""

import re

import pytest
from playwright.sync_api import expect

from newsdesk.articles.models import ArticlePage
from newsdesk.demo.loader import ensure_demo_editor, load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(live_site):
    load_demo()


def cited_article():
    """A demo story that another story's related-story card points at."""
    for article in ArticlePage.objects.live():
        for block in article.body:
            if block.block_type == "related_story":
                return block.value["article"].specific
    raise AssertionError("the demo has no related-story card")


def test_a_reader_goes_from_the_home_page_to_a_complete_article(
    demo, live_site, page, assert_accessible
):
    article = ArticlePage.objects.live().filter(corrections__isnull=False).get()
    page.goto(live_site.url + "/", timeout=60_000)
    expect(page.get_by_role("heading", name="Latest stories")).to_be_visible()
    assert_accessible(page)

    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()

    page.get_by_role("link", name=article.title).first.click()
    expect(page).to_have_url(live_site.url + article.url)
    story = page.locator("article.article")
    expect(story.get_by_role("heading", level=1)).to_have_text(article.title)
    expect(story.locator(".article__standfirst")).to_have_text(article.standfirst)
    expect(story.locator(".byline")).to_contain_text("By ")
    expect(story.locator(".article__times time").first).to_have_attribute(
        "datetime", re.compile(r"\+0[23]:00$")
    )
    expect(story.locator(".article__times")).to_contain_text("min read")
    lead = story.locator("figure.article__lead-image")
    expect(lead.locator("img")).to_have_attribute("alt", article.lead_image.description)
    expect(lead.locator("figcaption")).to_contain_text(article.lead_image.credit)
    lead_img = lead.locator("img").element_handle()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=lead_img)
    expect(story.locator(".article__body p").first).to_be_visible()
    expect(story.locator("section.corrections")).to_contain_text("Corrections")
    expect(page.locator(".edit-link")).to_have_count(0)
    assert "/admin/" not in page.content()

    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("main#content")).to_be_focused()
    assert_accessible(page)


def test_a_page_with_quotes_and_cards_passes_axe_on_a_phone(
    demo, live_site, browser, assert_accessible
):
    source = next(
        a
        for a in ArticlePage.objects.live()
        if {"related_story", "block_quote"} <= {b.block_type for b in a.body}
    )
    context = browser.new_context(viewport={"width": 375, "height": 800}, is_mobile=True)
    page = context.new_page()
    page.goto(live_site.url + source.url, timeout=60_000)
    expect(page.locator(".related-story").first).to_be_visible()
    expect(page.locator(".block-quote").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(page)
    context.close()


def test_an_editor_changes_a_headline_from_the_live_page(demo, live_site, page):
    ensure_demo_editor("editor-password-1")
    target = cited_article()
    citing = [
        article
        for article in ArticlePage.objects.live()
        if any(
            b.block_type == "related_story" and b.value["article"].pk == target.pk
            for b in article.body
        )
    ]

    page.goto(live_site.url + "/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("editor-password-1")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))

    page.goto(live_site.url + target.url, timeout=60_000)
    page.locator(".edit-link").click()
    expect(page).to_have_url(live_site.url + f"/admin/pages/{target.pk}/edit/")

    new_headline = "Updated: " + target.title
    page.locator("#id_title").fill(new_headline)
    # Publish is a story's main button; its dialog publishes now unless a time is chosen.
    page.locator('footer button[name="action-publish"]').click()
    page.get_by_role("dialog", name="Publish this story").get_by_role(
        "button", name="Publish now"
    ).click()
    expect(page.locator(".messages")).to_contain_text("published")

    page.goto(live_site.url + target.url)
    expect(page.get_by_role("heading", level=1)).to_have_text(new_headline)
    for article in citing:
        page.goto(live_site.url + article.url, timeout=60_000)
        expect(
            page.locator(".related-story").get_by_role("link", name=new_headline)
        ).to_be_visible()
