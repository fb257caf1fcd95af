"""The synthetic archive, and the promise it is made for: pages cost the same at any size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from newsdesk.articles.models import ArticlePage
from newsdesk.demo.archive import generate_archive
from newsdesk.feed.models import NewsItem

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/city/",
    "/news/",
    "/sitemap.xml",
    "/sitemap-pages.xml",
    "/sitemap-news.xml",
    "/feeds/rss/",
]


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        response.getvalue()  # a streamed sitemap runs its queries as it is sent
    assert response.status_code == 200, url
    return len(captured)


def test_the_archive_is_a_sound_page_tree_of_live_articles(client):
    generate_archive(40, feed_items=12, search_index=False)
    assert ArticlePage.objects.live().count() == 40
    assert NewsItem.objects.published().count() == 12
    bad_alpha, bad_path, orphans, bad_depth, bad_numchild = Page.find_problems()
    assert [bad_alpha, bad_path, orphans, bad_depth, bad_numchild] == [[], [], [], [], []]
    article = ArticlePage.objects.live().order_by("?").first()
    assert article.reading_time >= 1 and article.bylines.count() == 1 and article.tags.exists()
    assert client.get(article.url).status_code == 200


def test_listing_pages_run_the_same_number_of_queries_at_10_and_1000_articles(client):
    generate_archive(10, feed_items=10, search_index=False)
    for url in PAGES:
        client.get(url)  # renditions and caches made once
    small = {url: queries_for(client, url) for url in PAGES}

    generate_archive(990, feed_items=990, seed=2, search_index=False)
    assert ArticlePage.objects.count() == 1000
    for url in PAGES:
        client.get(url)
    large = {url: queries_for(client, url) for url in PAGES}
    assert large == small


def test_the_query_planner_knows_the_new_archive_size_at_once():
    generate_archive(40, feed_items=12, search_index=False)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'wagtailcore_page'")
        else:  # SQLite's ANALYZE: the first figure of a table's statistics is its row count
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'wagtailcore_page' LIMIT 1")
        rows = float(str(cursor.fetchone()[0]).split()[0])
    assert rows >= 40
