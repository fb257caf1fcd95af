"""Every change renews the kept pages and fragments that show it, at once, and purges a CDN once."""

from collections import Counter

import pytest
from taggit.models import Tag

from newsdesk.core.models import NewsroomSettings
from newsdesk.core.tests.test_fragments import text
from newsdesk.core.tests.test_pagecache import purge_server, state, warm  # noqa: F401 (a fixture)
from newsdesk.curation.models import EditorsPick, EditorsPicks
from newsdesk.newsletters.models import Newsletter

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept(settings):
    settings.PAGE_CACHE_SECONDS = 60
    settings.FRAGMENT_CACHE_SECONDS = 300


@pytest.fixture
def newsletter(newsroom):
    return Newsletter.objects.create(
        name="The Briefing",
        slug="briefing",
        description="Every morning.",
        host=newsroom["reporter"],
    )


@pytest.fixture
def stories(kept, newsroom, newsletter, publish_article, commit, run_tasks):
    """A story with a picture, a tag, a signup block, by the reporter; another by the desk, elsewhere."""
    first = commit(
        publish_article,
        "Bridge reopens",
        tags=["bridges"],
        lead_image=newsroom["image"],
        body=[
            {"type": "paragraph", "value": "<p>The old bridge reopened.</p>"},
            {
                "type": "newsletter_signup",
                "value": {"heading": "Bridge news", "newsletters": [newsletter.pk]},
            },
        ],
    )
    second = commit(publish_article, "Trams return", tags=["trams"], bylines=[newsroom["desk"]])
    run_tasks()  # the reference index, as the worker keeps it
    return first, second


def test_a_contributor_s_edit_renews_their_stories_and_author_page(
    client, reader, newsroom, stories, commit
):
    first, second = stories
    warm(client, second.url, "/authors/news-desk/", first.url, "/tags/bridges/")
    text(reader, second.url)
    desk = newsroom["desk"]
    desk.name, desk.role = "Night desk", "Overnight news"
    commit(desk.save)
    assert "Night desk" in text(client, second.url)
    assert "Night desk" in text(reader, second.url)
    assert "Overnight news" in text(client, "/authors/news-desk/")
    assert state(client, first.url) == "hit"  # the reporter's story shows no desk
    assert state(client, "/tags/bridges/") == "hit"


def test_a_newsletter_host_s_edit_renews_every_form_that_names_them(
    client, newsroom, stories, commit
):
    first, second = stories
    warm(client, first.url, second.url, "/tags/trams/")
    reporter = newsroom["reporter"]
    reporter.name = "Ira Renamed"
    commit(reporter.save)
    assert "Ira Renamed" in text(client, second.url)  # the host, beside the desk's story
    assert state(client, "/tags/trams/") == "hit"


def test_the_newsroom_s_settings_renew_every_kept_page(client, reader, newsroom, stories, commit):
    first, _ = stories
    warm(client, first.url, "/tags/trams/", "/feeds/rss/")
    assert "+02:00" in text(client, first.url)
    text(reader, first.url)
    newsroom_settings = NewsroomSettings.for_site(newsroom["home"].get_site())
    newsroom_settings.name, newsroom_settings.time_zone = "The Renamed Ledger", "Asia/Tokyo"
    commit(newsroom_settings.save)
    for url in (first.url, "/tags/trams/", "/feeds/rss/"):
        assert "The Renamed Ledger" in text(client, url), url
    assert "+09:00" in text(client, first.url)
    assert "+09:00" in text(reader, first.url)


def test_a_newsletter_s_edit_renews_the_forms_that_offer_it(
    client, reader, newsletter, stories, commit
):
    first, second = stories
    warm(client, first.url, second.url, "/tags/trams/")
    text(reader, first.url)
    newsletter.name, newsletter.description = "The Morning Briefing", "Before breakfast."
    commit(newsletter.save)
    for page in (client, reader):
        body = text(page, first.url)  # the body's signup block, and the aside
        assert "The Morning Briefing" in body and "The Briefing" not in body
    assert "The Morning Briefing" in text(client, second.url)
    assert state(client, "/tags/trams/") == "hit"  # no form on listings


def test_a_tag_s_edit_renews_its_page_and_its_stories(client, reader, stories, commit):
    first, second = stories
    warm(client, first.url, "/tags/bridges/", second.url)
    text(reader, first.url)
    tag = Tag.objects.get(slug="bridges")
    tag.name = "Bridges and tunnels"
    commit(tag.save)
    assert "Bridges and tunnels" in text(client, first.url)
    assert "Bridges and tunnels" in text(reader, first.url)
    assert "Bridges and tunnels" in text(client, "/tags/bridges/")
    assert state(client, second.url) == "hit"


def test_an_image_s_edit_renews_the_pages_that_show_it(client, reader, newsroom, stories, commit):
    first, second = stories
    section = newsroom["section"].url
    warm(client, first.url, section, "/tags/bridges/", second.url, "/tags/trams/")
    text(reader, first.url)
    image = newsroom["image"]
    image.caption, image.credit = "The bridge at dawn.", "Ola Test / Other Agency"
    commit(image.save)
    for page in (client, reader):
        body = text(page, first.url)
        assert "The bridge at dawn." in body and "Ola Test / Other Agency" in body
    card = text(client, section)
    image.focal_point_x, image.focal_point_y = 100, 100
    image.focal_point_width, image.focal_point_height = 50, 50
    commit(image.save)
    assert text(client, section) != card  # the card's crop follows the focal point
    assert state(client, "/tags/bridges/") == "miss"
    assert state(client, second.url) == "miss"  # its "More from" cards show the first story's
    assert state(client, "/tags/trams/") == "hit"


def test_editors_picks_renew_every_page_beside_which_they_stand(
    client, reader, newsroom, stories, commit
):
    first, second = stories
    warm(client, first.url, second.url, "/tags/trams/")
    text(reader, first.url)
    picks = EditorsPicks.for_site(newsroom["home"].get_site())
    picks.picks = [EditorsPick(article=second, sort_order=0)]
    commit(picks.save)
    assert "Editors' Picks" in text(client, first.url)
    assert "Editors' Picks" in text(reader, first.url)
    picks.picks = []
    commit(picks.save)
    assert "Editors' Picks" not in text(client, first.url)
    assert "Editors' Picks" not in text(reader, first.url)
    assert state(client, "/tags/trams/") == "hit"  # listings carry no picks


@pytest.fixture
def cdn(settings, purge_server):  # noqa: F811
    location, purged = purge_server
    settings.WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": location,
        }
    }
    return purged


def republish(article, commit, **fields):
    for name, value in fields.items():
        setattr(article, name, value)
    commit(lambda: article.save_revision().publish())


def test_a_change_purges_each_url_once_after_the_commit(
    newsroom, stories, commit, run_tasks, cdn, django_capture_on_commit_callbacks
):
    first, _ = stories
    with django_capture_on_commit_callbacks() as callbacks:
        first.save_revision().publish()
        run_tasks()
        assert cdn == []  # nothing before the commit
    for callback in callbacks:
        callback()
    run_tasks()
    counts = Counter(cdn)
    assert {first.url, "/", newsroom["section"].url, "/tags/bridges/", "/feeds/rss/"} <= set(counts)
    assert max(counts.values()) == 1, counts


def test_an_edit_outside_the_page_tree_purges_what_shows_it_once(
    newsroom, stories, commit, run_tasks, cdn
):
    _, second = stories
    desk = newsroom["desk"]
    desk.name = "Night desk"
    commit(desk.save)
    run_tasks()
    assert Counter(cdn) == Counter([second.url, "/authors/news-desk/"])


def test_a_new_story_renews_the_next_stories_of_its_section_s_others(
    client, reader, newsroom, stories, commit, publish_article
):
    first, _ = stories
    warm(client, first.url)
    text(reader, first.url)
    commit(publish_article, "Ferry returns")
    assert "Ferry returns" in text(client, first.url)  # "More from City"
    assert "Ferry returns" in text(reader, first.url)


def test_a_pick_leaves_the_front_page_s_lists_at_once(client, reader, newsroom, stories, commit):
    first, second = stories
    warm(client, "/")
    text(reader, "/")
    picks = EditorsPicks.for_site(newsroom["home"].get_site())
    picks.picks = [EditorsPick(article=first, sort_order=0)]
    commit(picks.save)
    for who in (client, reader):
        home = text(who, "/")
        assert home.count(f'href="{first.url}"') == 1, "shown once: in the picks"
        assert home.count(f'href="{second.url}"') == 1
