import json

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.django_db


def soup_of(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def headlines(soup):
    return [a.get_text() for a in soup.select(".story-list .story-card__headline a")]


def test_a_tag_page_lists_its_stories(client, publish_article):
    publish_article("Tagged story", tags=["bridges"])
    publish_article("Other story", tags=["trams"])
    soup = soup_of(client.get("/tags/bridges/"))
    assert soup.h1.get_text() == "Stories tagged “bridges”"
    assert headlines(soup) == ["Tagged story"]
    assert client.get("/tags/no-such-tag/").status_code == 404


@pytest.mark.parametrize("feed_format", ["rss", "atom"])
def test_a_tag_only_drafts_carry_has_no_page_or_feed(client, publish_article, feed_format):
    """A guessed slug must not confirm an embargoed story: the tag's name is its subject."""
    story = publish_article("Minister to resign", tags=["minister-resigns"], published=False)
    for url in ("/tags/minister-resigns/", f"/feeds/tag/minister-resigns/{feed_format}/"):
        response = client.get(url)
        assert response.status_code == 404 and b"inister" not in response.content
    story.save_revision().publish()
    assert client.get("/tags/minister-resigns/").status_code == 200
    assert client.get(f"/feeds/tag/minister-resigns/{feed_format}/").status_code == 200
    story.refresh_from_db()
    story.unpublish()
    assert client.get("/tags/minister-resigns/").status_code == 404


@pytest.mark.parametrize("feed_format", ["rss", "atom"])
def test_a_contributor_with_no_published_story_has_no_page_or_feed(
    client, newsroom, publish_article, feed_format
):
    from newsdesk.people.models import Contributor

    guest = Contributor.objects.create(name="Olena Guest", slug="olena-guest")
    publish_article("Embargoed interview", bylines=[guest], published=False)
    for url in ("/authors/olena-guest/", f"/feeds/author/olena-guest/{feed_format}/"):
        response = client.get(url)
        assert response.status_code == 404 and b"Olena" not in response.content
    publish_article("Her first column", bylines=[guest])
    assert client.get("/authors/olena-guest/").status_code == 200
    assert client.get(f"/feeds/author/olena-guest/{feed_format}/").status_code == 200


def test_an_author_page_shows_bio_photo_person_data_and_their_stories(
    client, newsroom, publish_article
):
    reporter = newsroom["reporter"]
    reporter.bio = "Covers the city council."
    reporter.photo = newsroom["image"]
    reporter.save()
    publish_article("By the reporter")
    publish_article("By the desk", bylines=[newsroom["desk"]])
    soup = soup_of(client.get("/authors/ira-test/"))
    assert soup.h1.get_text() == "Ira Test"
    assert "Covers the city council." in soup.find(class_="author__bio").get_text()
    assert soup.find("img", class_="author__photo")
    assert headlines(soup) == ["By the reporter"]
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert (
        data["@type"] == "Person"
        and data["name"] == "Ira Test"
        and data["url"].endswith("/authors/ira-test/")
    )
    assert client.get("/authors/nobody/").status_code == 404


def test_bylines_link_to_author_pages(client, newsroom, publish_article):
    article = publish_article(bylines=[newsroom["reporter"], newsroom["desk"]])
    links = soup_of(client.get(article.url)).select(".byline a")
    assert [(a.get_text(), a["href"]) for a in links] == [
        ("Ira Test", "/authors/ira-test/"),
        ("News desk", "/authors/news-desk/"),
    ]


def test_articles_carry_a_breadcrumb_trail(client, settings, publish_article):
    article = publish_article()
    scripts = soup_of(client.get(article.url)).find_all("script", type="application/ld+json")
    crumbs = next(
        data
        for data in (json.loads(s.string) for s in scripts)
        if data["@type"] == "BreadcrumbList"
    )
    assert [item["name"] for item in crumbs["itemListElement"]] == [
        "The Test Ledger",
        "City",
        article.title,
    ]
    assert crumbs["itemListElement"][1]["item"] == settings.NEWSDESK_SITE_URL + "/city/"


def test_the_home_page_describes_the_newsroom(client, newsroom):
    soup = soup_of(client.get("/"))
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["@type"] == "NewsMediaOrganization" and data["name"] == "The Test Ledger"


@pytest.mark.parametrize(
    "url", ["/", "/city/", "/tags/bridges/", "/authors/ira-test/", "/news/", "/search/?q=bridge"]
)
def test_every_public_page_links_its_feeds(client, publish_article, url):
    publish_article(tags=["bridges"])
    soup = soup_of(client.get(url))
    feeds = {link["type"]: link["href"] for link in soup.find_all("link", rel="alternate")}
    assert feeds["application/rss+xml"] and feeds["application/atom+xml"]
    hrefs = [link["href"] for link in soup.find_all("link", rel="alternate")]
    assert "/feeds/rss/" in hrefs and "/feeds/atom/" in hrefs
    own = {
        "/city/": "/feeds/section/city/",
        "/tags/bridges/": "/feeds/tag/bridges/",
        "/authors/ira-test/": "/feeds/author/ira-test/",
        "/news/": "/feeds/news/",
    }.get(url)
    if own:
        assert own + "rss/" in hrefs and own + "atom/" in hrefs


@pytest.mark.parametrize("value", ["abc", "-1", "0", "99999", "", "1.5", "<b>", "9" * 50])
@pytest.mark.parametrize("url", ["/city/", "/tags/bridges/", "/authors/ira-test/"])
def test_any_page_number_gets_a_page(client, publish_article, url, value):
    publish_article(tags=["bridges"])
    response = client.get(url, {"page": value})
    assert response.status_code == 200
    assert "<b>" not in response.content.decode()


def test_pages_of_a_list_link_newer_and_older_stories_keeping_other_parameters(rf):
    from django.core.paginator import Paginator
    from django.template.loader import render_to_string

    request = rf.get("/city/", {"ref": "home", "page": "2"})
    page_obj = Paginator(range(60), 20).get_page(2)
    soup = BeautifulSoup(
        render_to_string(
            "articles/includes/pagination.html", {"page_obj": page_obj}, request=request
        ),
        "html.parser",
    )
    links = {a["rel"][0]: (a.get_text(), a["href"]) for a in soup.select(".pagination a")}
    assert links == {
        "prev": ("Newer stories", "?ref=home&page=1"),
        "next": ("Older stories", "?ref=home&page=3"),
    }
    assert soup.select_one(".pagination span").get_text() == "Page 2 of 3"
