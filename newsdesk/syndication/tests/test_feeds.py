import xml.etree.ElementTree as ET
from datetime import timedelta

import feedparser
import pytest
from django.utils import timezone

from newsdesk.articles.models import ArticlePage
from newsdesk.core.models import NewsroomSettings
from newsdesk.feed.models import NewsItem

pytestmark = pytest.mark.django_db

# Characters XML forbids (a vertical tab; no NUL, which PostgreSQL cannot store
# and Django's forms refuse), markup and a non-character.
HOSTILE = "Bridge \x0bopens <script>alert(1)</script> & “quotes” \ufffe"
FEEDS = [
    "/feeds/{f}/",
    "/feeds/section/city/{f}/",
    "/feeds/tag/bridges/{f}/",
    "/feeds/author/ira-test/{f}/",
]


@pytest.fixture
def stories(newsroom, publish_article):
    first = publish_article("Older story", tags=["bridges"])
    ArticlePage.objects.filter(pk=first.pk).update(
        first_published_at=timezone.now() - timedelta(hours=3)
    )
    second = publish_article(
        HOSTILE,
        standfirst="Standfirst with \x08 a control <b>character</b>.",
        tags=["bridges"],
        body=[
            {"type": "heading", "value": {"text": "What changed", "level": "h2"}},
            {"type": "paragraph", "value": "<p>Cars <b>returned</b> at dawn.</p>"},
            {"type": "block_quote", "value": {"quote": "At last.", "attribution": "A driver"}},
        ],
    )
    return first, second


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    ET.fromstring(response.content)  # well-formed XML, or this raises
    return feedparser.parse(response.content)


@pytest.mark.parametrize("feed_format", ["rss", "atom"])
@pytest.mark.parametrize("url", FEEDS)
def test_article_feeds_are_valid_and_list_stories_newest_first(
    client, settings, stories, url, feed_format
):
    feed = fetch(client, url.format(f=feed_format))
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == ("rss20" if feed_format == "rss" else "atom10")
    titles = [entry.title for entry in feed.entries]
    assert titles == ["Bridge opens <script>alert(1)</script> & “quotes”", "Older story"]
    entry = feed.entries[1]
    assert entry.link == settings.NEWSDESK_SITE_URL + "/city/older-story/"
    assert entry.author == "Ira Test"
    assert [tag.term for tag in entry.tags] == ["bridges"]
    assert "Traffic returns" in entry.summary


def test_feeds_carry_the_standfirst_or_by_setting_the_whole_text(
    client, newsroom, stories, django_capture_on_commit_callbacks
):
    entry = fetch(client, "/feeds/rss/").entries[0]
    # The standfirst is plain text: markup typed into it stays text in the feed reader too.
    assert entry.summary == "Standfirst with  a control &lt;b&gt;character&lt;/b&gt;."
    assert "returned" not in entry.summary

    newsroom_settings = NewsroomSettings.for_site(newsroom["home"].get_site())
    newsroom_settings.feeds_full_text = True
    # Committed, as the admin's save is: the kept settings (core/sites.py) are renewed then.
    with django_capture_on_commit_callbacks(execute=True):
        newsroom_settings.save()
    entry = fetch(client, "/feeds/rss/").entries[0]
    assert "<h2>What changed</h2>" in entry.summary
    assert "<p>Cars returned at dawn.</p>" in entry.summary
    assert "<blockquote><p>At last.</p><footer>A driver</footer></blockquote>" in entry.summary


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/section/nowhere/rss/",
        "/feeds/tag/nothing/atom/",
        "/feeds/author/x/rss/",
        "/feeds/json/",
    ],
)
def test_unknown_feeds_are_404s(client, stories, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("feed_format", ["rss", "atom"])
def test_the_news_feed_has_its_own_feed(client, newsroom, publish_article, feed_format):
    article = publish_article()
    for headline, target in (("Alert over", None), ("Bridge open \x0c again", article)):
        item = NewsItem.objects.create(
            headline=headline, summary="Short & sweet.", article=target, live=False
        )
        item.save_revision().publish()
    feed = fetch(client, f"/feeds/news/{feed_format}/")
    assert not feed.bozo
    assert [entry.title for entry in feed.entries] == ["Bridge open  again", "Alert over"]
    assert feed.entries[0].link.endswith(article.url)
    assert "/news/#item-" in feed.entries[1].link
    assert feed.entries[1].summary == "Short &amp; sweet."
