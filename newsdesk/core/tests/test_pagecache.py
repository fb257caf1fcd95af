"""The page cache: anonymous readers get kept pages; changes reach exactly the pages that show them."""

import pytest
from django.test import Client

from newsdesk.core.tests.conftest import republish
from newsdesk.curation.models import EditorsPick, EditorsPicks
from newsdesk.feed.models import NewsItem

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 60


def state(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    response.getvalue()  # a streamed page is kept once it has all been sent
    return response.get("X-Page-Cache")


def warm(client, *urls):
    for url in urls:
        state(client, url)
        assert state(client, url) == "hit", url


def test_a_reader_gets_the_kept_page_without_a_query(client, stories, django_assert_num_queries):
    first, _ = stories
    assert state(client, first.url) == "miss"
    with django_assert_num_queries(0):
        assert state(client, first.url) == "hit"


def test_a_signed_in_editor_always_gets_the_live_page(editor_client, stories):
    first, _ = stories
    client = Client()  # a reader beside the editor
    warm(client, first.url)
    response = editor_client.get(first.url)
    assert "X-Page-Cache" not in response
    assert "/admin/pages/" in response.content.decode()  # the edit link, for editors only
    assert "/admin/pages/" not in client.get(first.url).content.decode()


def test_publishing_refreshes_exactly_the_pages_that_show_the_story(
    client, newsroom, stories, commit
):
    first, second = stories
    shows_it = [
        first.url,
        "/",
        newsroom["section"].url,
        "/tags/bridges/",
        "/authors/ira-test/",
        second.url,
        "/feeds/rss/",
        "/sitemap-news.xml",
        "/search/?q=bridge",
    ]
    unrelated = ["/tags/trams/", "/authors/news-desk/", "/news/"]
    warm(client, *shows_it, *unrelated)

    republish(first, commit, title="Old bridge reopens to trams")

    for url in shows_it:
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss", url
        assert "Old bridge reopens to trams" in response.content.decode(), url
    for url in unrelated:
        assert state(client, url) == "hit", url


def test_the_streamed_sitemap_is_kept_and_renewed_by_a_new_story(
    client, stories, publish_article, commit
):
    warm(client, "/sitemap-pages.xml")
    assert (
        client.get("/sitemap-pages.xml").getvalue() == client.get("/sitemap-pages.xml").getvalue()
    )
    story = commit(publish_article, "Ferry timetable changes")
    response = client.get("/sitemap-pages.xml")
    assert response["X-Page-Cache"] == "miss"
    assert story.url in response.getvalue().decode()
    assert state(client, "/sitemap-pages.xml") == "hit"


def test_a_story_taken_off_a_tag_leaves_that_tag_page_at_once(client, stories, commit):
    first, _ = stories
    warm(client, "/tags/bridges/")
    first.tags.set(["rivers"])
    republish(first, commit)
    assert "Bridge reopens" not in client.get("/tags/bridges/").content.decode()
    assert "Bridge reopens" in client.get("/tags/rivers/").content.decode()


def test_unpublishing_removes_the_story_at_once(client, newsroom, stories, commit):
    first, _ = stories
    warm(client, first.url, newsroom["section"].url)
    commit(first.unpublish)
    assert client.get(first.url).status_code == 404
    assert "Bridge reopens" not in client.get(newsroom["section"].url).content.decode()


def test_editors_picks_beside_every_page_follow_the_picked_story(client, newsroom, stories, commit):
    first, second = stories
    picks = EditorsPicks.for_site(newsroom["home"].get_site())
    picks.picks = [EditorsPick(article=first, sort_order=0)]
    commit(picks.save)
    run_after_picks = client.get(second.url).content.decode()
    assert "Bridge reopens" in run_after_picks
    warm(client, second.url, "/tags/trams/")

    republish(first, commit, title="Picked bridge story")
    assert "Picked bridge story" in client.get(second.url).content.decode()
    assert state(client, "/tags/trams/") == "hit"  # listings carry no picks


def test_a_news_item_reaches_the_updates_endpoint_at_once_and_leaves_pages_kept(
    client, stories, commit
):
    first, _ = stories
    warm(client, first.url, "/news/updates/", "/news/")
    commit(
        NewsItem.objects.create,
        headline="Power back in the east",
        summary="All districts have power.",
        live=True,
        first_published_at=first.first_published_at,
    )
    assert "Power back in the east" in client.get("/news/updates/").content.decode()
    assert "Power back in the east" in client.get("/news/").content.decode()
    assert (
        state(client, first.url) == "hit"
    )  # within PAGE_CACHE_SECONDS; live-feed.js brings the item


def test_headers_let_browsers_and_proxies_revalidate(client, stories):
    first, _ = stories
    response = client.get(first.url)
    cache_control = response["Cache-Control"]
    assert "public" in cache_control and "s-maxage=60" in cache_control
    assert "stale-while-revalidate=30" in cache_control and "max-age=0" in cache_control
    hit = client.get(first.url)
    assert hit["ETag"] == response["ETag"] and hit["Last-Modified"] == response["Last-Modified"]
    assert client.get(first.url, headers={"If-None-Match": response["ETag"]}).status_code == 304
    assert (
        client.get(first.url, headers={"If-Modified-Since": response["Last-Modified"]}).status_code
        == 304
    )


def test_cached_pages_carry_no_one_s_csrf_token_and_their_forms_still_post(
    client, newsroom, publish_article, page_cache
):
    from newsdesk.newsletters.models import Newsletter, Subscription

    Newsletter.objects.create(
        name="The Briefing",
        slug="briefing",
        description="Every morning.",
        host=newsroom["reporter"],
    )
    article = publish_article("Bridge reopens")
    first = client.get(article.url)
    assert not first.cookies and "csrfmiddlewaretoken" not in first.content.decode()
    assert 'action="/newsletters/subscribe/"' in first.content.decode()
    hit = client.get(article.url)
    assert hit["X-Page-Cache"] == "hit"

    from newsdesk.newsletters.subscribers.forms import started_token

    reader = Client(enforce_csrf_checks=True)  # another reader, no cookie at all
    response = reader.post(
        "/newsletters/subscribe/",
        {
            "email": "reader@example.org",
            "newsletter": "briefing",
            "started": started_token(0),
            "website": "",
        },
    )
    assert response.status_code == 200
    assert Subscription.objects.get().subscriber.email == "reader@example.org"


def test_a_page_rendered_while_its_story_changed_is_not_kept(client, stories, monkeypatch):
    """A tag renewed during rendering: this reader gets the page, nobody else gets it from the cache."""
    from newsdesk.core import pagecache

    first, _ = stories
    real = pagecache.current_generations

    def renewed_meanwhile(tags):
        return {tag: float("inf") for tag in real(tags)}

    monkeypatch.setattr(pagecache, "current_generations", renewed_meanwhile)
    assert state(client, first.url) == "miss"
    assert state(client, first.url) == "miss"


@pytest.fixture
def purge_server():
    """A stand-in for Varnish or a CDN's purge endpoint: a real HTTP server that records what it is asked to purge."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    purged = []

    class Handler(BaseHTTPRequestHandler):
        def do_PURGE(self):
            purged.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", purged
    server.shutdown()


def test_a_cdn_in_front_is_purged_of_what_changed(
    settings, newsroom, stories, commit, run_tasks, purge_server
):
    location, purged = purge_server
    settings.WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": location,
        }
    }
    first, second = stories
    republish(first, commit, title="Bridge reopens to trams")
    run_tasks()
    for path in [
        first.url,
        "/",
        newsroom["section"].url,
        second.url,
        "/tags/bridges/",
        "/authors/ira-test/",
        "/feeds/rss/",
        "/sitemap.xml",
    ]:
        assert path in purged, path
    assert "/tags/trams/" not in purged


def test_a_forwarded_path_prefix_cannot_keep_one_page_under_another_s_address(client, stories):
    # The home page, reached as SCRIPT_NAME "/city" + path "/", as a proxy allowed to
    # set the prefix would send it: kept under what routing used, not as /city/.
    home = client.get("/", SCRIPT_NAME="/city")
    assert home.status_code == 200 and home.wsgi_request.path == "/city/"
    section = client.get("/city/")
    assert section.status_code == 200 and section["X-Page-Cache"] == "miss"
    assert section.content != home.content


def test_marketing_parameters_and_unread_ones_are_answered_from_one_entry(
    client, stories, django_assert_num_queries
):
    first, _ = stories
    assert state(client, first.url) == "miss"
    for query in ("?utm_source=newsletter&utm_medium=email", "?fbclid=abc", "?ref=home", "?x=1"):
        with django_assert_num_queries(0):
            assert state(client, first.url + query) == "hit", query


def test_pages_that_read_their_query_are_kept_by_the_parameters_they_read(client, stories):
    first, second = stories
    assert state(client, "/search/?q=bridge") == "miss"
    assert state(client, "/search/?q=bridge&utm_campaign=spring") == "hit"
    trams = client.get("/search/?q=trams&utm_campaign=spring")
    assert trams["X-Page-Cache"] == "miss"
    assert second.title in trams.content.decode() and first.title not in trams.content.decode()
    assert state(client, "/search/?q=trams") == "hit"


def test_a_page_that_sees_the_whole_query_is_kept_by_all_of_it(rf, stories):
    from newsdesk.core.pagecache import ALL_PARAMETERS, ReadRecordingQueryDict

    query = ReadRecordingQueryDict("page=2&sort=new")
    assert query.get("page") == "2" and "order" not in query
    assert query.read_names() == ["order", "page"]
    query.urlencode()
    assert query.read_names() == ALL_PARAMETERS
