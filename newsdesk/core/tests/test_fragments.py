"""Kept fragments: requests the page cache does not answer reuse the parts every reader shares, until they change."""

import pytest

from newsdesk.articles.models import ArticlePage, SectionPage
from newsdesk.core.tests.conftest import republish
from newsdesk.curation.models import EditorsPick, EditorsPicks
from newsdesk.feed.models import NewsItem

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fragments(settings):
    settings.FRAGMENT_CACHE_SECONDS = 300


def text(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def change_behind_wagtails_back(article, title):
    """A change no signal announces: kept fragments go on showing what was there."""
    ArticlePage.objects.filter(pk=article.pk).update(title=title)


def test_kept_fragments_save_queries_and_show_the_same_page(
    reader, newsroom, stories, django_assert_max_num_queries
):
    first, second = stories
    # The session, routing and view restrictions (the site and the newsroom's settings are
    # kept: core/sites.py); an article adds its bylines, its tags and the newsletters of its
    # subscribe form; the front page the ids of its own stories, which its rail's picks leave
    # out; a section its lead story (its page and view restrictions).
    expected = {first.url: 8, second.url: 8, "/": 5, newsroom["section"].url: 6, "/news/": 2}
    for url, queries in expected.items():
        rendered = text(reader, url)
        with django_assert_max_num_queries(queries):
            assert text(reader, url) == rendered, url


def test_a_fragment_is_kept_until_its_story_is_published_again(reader, newsroom, stories, commit):
    first, second = stories
    for url in (first.url, second.url, "/"):
        text(reader, url)
    change_behind_wagtails_back(first, "Unannounced headline")
    assert "Unannounced headline" not in text(reader, second.url)  # the card in its body was kept

    republish(
        first,
        commit,
        title="Old bridge reopens to trams",
        body=[{"type": "paragraph", "value": "<p>The bridge carries trams now.</p>"}],
    )
    assert "The bridge carries trams now." in text(reader, first.url)
    for url in (second.url, "/"):  # the card inside another story, the front page
        assert "Old bridge reopens to trams" in text(reader, url), url


def test_unpublishing_takes_the_story_off_the_front_page_the_picks_and_the_feed(
    reader, newsroom, stories, commit, run_tasks
):
    first, second = stories
    picks = EditorsPicks.for_site(newsroom["home"].get_site())
    picks.picks = [EditorsPick(article=first, sort_order=0)]
    commit(picks.save)
    commit(
        NewsItem.objects.create,
        headline="Bridge open",
        summary="Cars cross again.",
        live=True,
        article=first,
        first_published_at=first.first_published_at,
    )
    run_tasks()
    page = text(reader, second.url)
    assert f'<a href="{first.url}">Bridge reopens</a>' in page  # the pick
    assert f'<a href="{first.url}">Bridge open</a>' in page  # the news item's link
    assert "Bridge reopens" in text(reader, "/")

    commit(first.unpublish)
    page = text(reader, second.url)
    assert first.url not in page and "Bridge reopens" not in page
    assert "Bridge open" in page  # the item stays, without its link
    assert "Bridge reopens" not in text(reader, "/")


def test_a_news_item_reaches_the_feed_block_and_the_news_page_at_once(reader, stories, commit):
    first, _ = stories
    for url in (first.url, "/", "/news/"):
        assert "Power back in the east" not in text(reader, url)
    commit(
        NewsItem.objects.create,
        headline="Power back in the east",
        summary="All districts have power.",
        live=True,
        first_published_at=first.first_published_at,
    )
    for url in (first.url, "/", "/news/"):
        assert "Power back in the east" in text(reader, url), url


def test_a_kept_fragment_is_the_same_for_every_request_until_its_tag_is_renewed(
    rf, newsroom, fragments
):
    from newsdesk.core.fragments import cached_fragment
    from newsdesk.core.pagecache import bump

    request = rf.get("/")
    assert cached_fragment(request, "box", ["picks"], lambda: "first") == "first"
    assert cached_fragment(request, "box", ["picks"], lambda: "second") == "first"
    assert (
        cached_fragment(request, "box", ["picks"], lambda: "other", vary=("elsewhere",)) == "other"
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.db.transaction.on_commit", lambda renew: renew())
        bump({"picks"})
    assert cached_fragment(request, "box", ["picks"], lambda: "third") == "third"


def test_previews_are_never_kept_nor_served_from_the_cache(rf, newsroom, fragments):
    from newsdesk.core.fragments import cached_fragment

    request = rf.get("/")
    cached_fragment(request, "body", ["page:1"], lambda: "published")
    request.is_preview = True
    assert cached_fragment(request, "body", ["page:1"], lambda: "draft") == "draft"


def test_editors_picks_follow_the_editors(reader, newsroom, stories, commit):
    first, second = stories
    text(reader, first.url)
    picks = EditorsPicks.for_site(newsroom["home"].get_site())
    picks.picks = [EditorsPick(article=second, sort_order=0)]
    commit(picks.save)
    assert "Editors' Picks" in text(reader, first.url)


def test_a_new_section_reaches_the_navigation_and_each_page_marks_its_own(
    reader, newsroom, stories, commit
):
    first, _ = stories
    assert 'aria-current="true"' in text(reader, first.url)
    sport = newsroom["home"].add_child(instance=SectionPage(title="Sport", slug="sport"))
    commit(lambda: sport.save_revision().publish())
    page = text(reader, first.url)
    assert ">Sport</a>" in page and '<a href="/city/" aria-current="true">City</a>' in page
    assert '<a href="/sport/" aria-current="page">Sport</a>' in text(reader, "/sport/")
    assert "aria-current" not in text(reader, "/")


def test_fragments_hold_nothing_of_the_editor_who_rendered_them(editor_client, reader, stories):
    first, second = stories
    text(editor_client, "/")
    for url in (first.url, second.url):
        assert "/admin/pages/" in text(editor_client, url)  # the "Edit" link, outside the fragments
    for url in (first.url, second.url, "/"):
        assert "/admin/" not in text(reader, url), url


def test_without_the_cache_every_fragment_is_rendered(reader, stories, monkeypatch):
    """The cache away (generations read as infinite): pages are rendered whole and nothing stale is kept."""
    from newsdesk.core import fragments

    first, _ = stories
    monkeypatch.setattr(
        fragments, "current_generations", lambda tags: {tag: float("inf") for tag in tags}
    )
    text(reader, first.url)
    change_behind_wagtails_back(first, "Seen at once")
    assert "Seen at once" in text(reader, "/")


def test_each_page_of_the_news_page_is_kept_apart(reader, fragments, newsroom):
    import re
    from datetime import timedelta

    from django.utils import timezone

    from newsdesk.feed.views import ITEMS_PER_PAGE

    now = timezone.now()
    for number in range(ITEMS_PER_PAGE + 1):
        NewsItem.objects.create(
            headline=f"Item number {number}",
            summary="A summary.",
            live=True,
            first_published_at=now - timedelta(minutes=number),
        )
    first_page = text(reader, "/news/")
    older = re.search(r'href="(\?before=[^"]+)"', first_page).group(1)
    assert f"Item number {ITEMS_PER_PAGE}<" not in first_page
    assert f"Item number {ITEMS_PER_PAGE}<" in text(reader, "/news/" + older)
    assert text(reader, "/news/") == first_page
