import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

from newsdesk.articles.models import ArticlePage
from newsdesk.syndication.sitemaps import PagesSitemap

pytestmark = pytest.mark.django_db

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS_NS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def xml(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "xml" in response["Content-Type"]
    return ET.fromstring(response.getvalue())


@pytest.fixture
def stories(publish_article):
    fresh = publish_article("Fresh \x0b story & more")
    old = publish_article("Old story")
    ArticlePage.objects.filter(pk=old.pk).update(
        first_published_at=timezone.now() - timedelta(hours=49)
    )
    return fresh, old


def test_the_sitemap_index_names_the_page_and_news_sitemaps(client, settings, stories):
    root = xml(client, "/sitemap.xml")
    assert root.tag == f"{SITEMAP_NS}sitemapindex"
    locations = [loc.text for loc in root.iter(f"{SITEMAP_NS}loc")]
    assert locations == [
        f"{settings.NEWSDESK_SITE_URL}/sitemap-pages.xml",
        f"{settings.NEWSDESK_SITE_URL}/sitemap-news.xml",
    ]


def test_the_pages_sitemap_lists_every_public_page_on_the_site_url(
    client, settings, newsroom, stories
):
    fresh = stories[0]
    root = xml(client, "/sitemap-pages.xml")
    locations = [loc.text for loc in root.iter(f"{SITEMAP_NS}loc")]
    base = settings.NEWSDESK_SITE_URL
    assert locations == [
        f"{base}/",
        f"{base}/city/",
        f"{base}/city/fresh-story-more/",
        f"{base}/city/old-story/",
    ]
    articles = [
        url
        for url in root.iter(f"{SITEMAP_NS}url")
        if "-story" in url.find(f"{SITEMAP_NS}loc").text
    ]
    assert all(url.find(f"{SITEMAP_NS}lastmod") is not None for url in articles)
    fresh.unpublish()
    assert f"{base}/city/fresh-story-more/" not in xml(client, "/sitemap-pages.xml").itertext()


def test_the_pages_sitemap_is_streamed_in_pages_of_its_limit(
    client, settings, monkeypatch, newsroom, stories
):
    monkeypatch.setattr(PagesSitemap, "limit", 3)
    base = settings.NEWSDESK_SITE_URL
    index = [loc.text for loc in xml(client, "/sitemap.xml").iter(f"{SITEMAP_NS}loc")]
    assert index[:2] == [f"{base}/sitemap-pages.xml", f"{base}/sitemap-pages.xml?p=2"]
    assert client.get("/sitemap-pages.xml").streaming
    second = [loc.text for loc in xml(client, "/sitemap-pages.xml?p=2").iter(f"{SITEMAP_NS}loc")]
    assert second == [f"{base}/city/old-story/"]
    for page in ("3", "0", "two"):
        assert client.get(f"/sitemap-pages.xml?p={page}").status_code == 404


def test_the_news_sitemap_has_the_last_48_hours_by_the_news_rules(client, settings, stories):
    root = xml(client, "/sitemap-news.xml")
    urls = list(root.iter(f"{SITEMAP_NS}url"))
    assert [url.find(f"{SITEMAP_NS}loc").text for url in urls] == [
        f"{settings.NEWSDESK_SITE_URL}/city/fresh-story-more/"
    ]
    news = urls[0].find(f"{NEWS_NS}news")
    assert news.find(f"{NEWS_NS}publication/{NEWS_NS}name").text == "The Test Ledger"
    assert news.find(f"{NEWS_NS}publication/{NEWS_NS}language").text == "en"
    assert news.find(f"{NEWS_NS}title").text == "Fresh  story & more"
    published = news.find(f"{NEWS_NS}publication_date").text
    assert published.startswith(str(timezone.localdate().year)) and (
        "+" in published[10:] or published.endswith("Z")
    )


def test_robots_txt_names_the_sitemaps(client, settings):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert f"Sitemap: {settings.NEWSDESK_SITE_URL}/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines
