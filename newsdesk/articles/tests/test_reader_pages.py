"""What the article and section pages offer besides the story: share row, tags, next stories, a lead."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from newsdesk.articles.models import ARTICLES_PER_PAGE, NEXT_STORIES, ArticlePage
from newsdesk.core.links import absolute_url

pytestmark = pytest.mark.django_db


def soup_of(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def test_the_share_row_is_plain_links_and_a_copy_button_for_scripts(client, publish_article):
    article = publish_article("Bridge & tunnel reopen")
    soup = soup_of(client.get(article.url))
    share = soup.find("section", class_="share")
    url = absolute_url(article.url)
    links = {a.get_text(): a["href"] for a in share.find_all("a")}
    assert list(links) == ["Email", "X", "Bluesky", "Facebook", "LinkedIn", "WhatsApp", "Telegram"]
    assert parse_qs(urlsplit(links["Email"]).query) == {
        "subject": ["Bridge & tunnel reopen"],
        "body": [url],
    }
    assert links["Email"].startswith("mailto:?")
    assert parse_qs(urlsplit(links["X"]).query)["url"] == [url]
    assert parse_qs(urlsplit(links["Facebook"]).query)["u"] == [url]
    assert parse_qs(urlsplit(links["LinkedIn"]).query)["url"] == [url]
    assert parse_qs(urlsplit(links["Telegram"]).query)["url"] == [url]
    for network in ("Bluesky", "WhatsApp"):
        assert parse_qs(urlsplit(links[network]).query)["text"] == [f"Bridge & tunnel reopen {url}"]
    # Their pages only: no script, frame or picture of the networks on ours.
    assert all(link.startswith(("https://", "mailto:")) for link in links.values())
    page = soup.decode()
    for host in ("x.com", "facebook.com", "linkedin.com", "bsky.app", "t.me", "wa.me"):
        assert not soup.find(
            ["script", "img", "iframe", "link"], src=lambda s, h=host: s and h in s
        )
        assert page.count(host) == (1 if host != "x.com" else page.count("x.com"))
    # The copy button waits, hidden, for share.js (in the pages' one script): without scripts it
    # would do nothing.
    assert share.find("button", string="Copy link").find_parent("li").has_attr("hidden")
    assert soup.find("script", src="/static/newsdesk/js/bundle.js")


def test_tags_link_to_their_pages(client, publish_article):
    article = publish_article(tags=["Road works", "bridges"])
    tags = soup_of(client.get(article.url)).select(".article__tags a.tag")
    assert {(a.get_text(), a["href"]) for a in tags} == {
        ("Road works", "/tags/road-works/"),
        ("bridges", "/tags/bridges/"),
    }
    for tag in tags:
        assert client.get(tag["href"]).status_code == 200


def large_image():
    """A picture as a newsroom uploads it: larger than the widest rendition."""
    from io import BytesIO

    from django.core.files.images import ImageFile
    from PIL import Image

    from newsdesk.images.models import NewsImage

    buffer = BytesIO()
    Image.new("RGB", (2400, 1350), (40, 90, 140)).save(buffer, format="JPEG")
    return NewsImage.objects.create(
        title="The river",
        description="The river at dusk",
        caption="The river at dusk.",
        credit="Ira Test / Test Agency",
        file=ImageFile(buffer, name="river.jpg"),
    )


def test_captions_and_credits_read_the_same_for_the_lead_and_inline_pictures(
    client, newsroom, publish_article
):
    image = large_image()
    article = publish_article(
        lead_image=image,
        body=[{"type": "image", "value": {"image": image.pk, "caption": "", "credit": ""}}],
    )
    soup = soup_of(client.get(article.url))
    lead, inline = soup.select("figure.figure")
    for figure in (lead, inline):
        caption = figure.figcaption
        assert caption.find(class_="figure__caption").get_text() == "The river at dusk."
        assert caption.find(class_="figure__credit").get_text() == "Photo: Ira Test / Test Agency"
        assert "·" not in caption.get_text()
    assert lead.img["loading"] == "eager" and lead.img["fetchpriority"] == "high"
    assert "2000w" in lead.img["srcset"]
    assert inline.img["loading"] == "lazy" and not inline.img.get("fetchpriority")


def test_an_article_ends_with_the_section_s_next_stories(client, newsroom, publish_article):
    stories = [publish_article(f"Story {number}") for number in range(NEXT_STORIES + 2)]
    for age, story in enumerate(reversed(stories)):
        ArticlePage.objects.filter(pk=story.pk).update(
            first_published_at=stories[-1].first_published_at - timedelta(minutes=age)
        )
    newest = stories[-1]
    soup = soup_of(client.get(newest.url))
    block = soup.find("section", class_="next-stories")
    assert block.h2.get_text() == "More from City"
    assert [a.get_text() for a in block.select(".story-card__headline a")] == [
        f"Story {number}" for number in range(NEXT_STORIES, 0, -1)
    ]  # the newest besides this one
    lone = publish_article("Alone")
    lone.move(newsroom["home"].add_child(instance=type(newsroom["section"])(title="Sport")))
    assert not soup_of(client.get(ArticlePage.objects.get(pk=lone.pk).url)).find(
        class_="next-stories"
    )


def test_a_section_page_leads_with_its_newest_story_beside_the_rail(client, publish_article):
    for number in range(ARTICLES_PER_PAGE + 2):
        publish_article(f"Story {number}")
    soup = soup_of(client.get("/city/"))
    lead = soup.select_one(".section-page__lead .story-card--lead .story-card__headline a")
    listed = [
        a.get_text() for a in soup.select(".section-page .story-list .story-card__headline a")
    ]
    assert lead.get_text() not in listed
    assert len(listed) + 1 == ARTICLES_PER_PAGE
    assert soup.find("aside", class_="rail").find(id="news-feed-heading")
    assert soup.find("aside", class_="newsletter-aside")
    assert soup.find("nav", class_="pagination").find("a", rel="next")
    # The next page is a list: no lead.
    soup = soup_of(client.get("/city/", {"page": 2}))
    assert not soup.find(class_="section-page__lead")
    assert len(soup.select(".section-page .story-card")) == 2
