"""Listings in words: the stories with byline, section, status, time and narration; the
feed's items "Live" with their local time; narrations' lengths in minutes and seconds."""

from datetime import UTC, datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from newsdesk.feed.models import NewsItem
from newsdesk.narration.models import Narration

pytestmark = pytest.mark.django_db


def rows(response):
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return [" ".join(row.get_text(" ").split()) for row in soup.select("table tbody tr")]


def test_the_stories_listing_shows_byline_section_status_time_and_narration(
    editor_client, newsroom, publish_article
):
    live = publish_article("Bridge reopens")
    live.__class__.objects.filter(pk=live.pk).update(
        first_published_at=datetime(2026, 11, 30, 7, 43, tzinfo=UTC)
    )
    Narration.objects.update_or_create(page=live, defaults={"status": Narration.Status.FAILED})
    publish_article("Budget draft", published=False, bylines=[newsroom["desk"]])

    listing = rows(editor_client.get(reverse("stories:index")))
    bridge = next(row for row in listing if "Bridge reopens" in row)
    assert "Ira Test" in bridge and "City" in bridge and "Failed" in bridge
    assert "30 Nov 2026, 09:43" in bridge  # the site's time in Kyiv, not 07:43 UTC
    draft = next(row for row in listing if "Budget draft" in row)
    assert "News desk" in draft and "Not narrated" in draft

    by_status = rows(editor_client.get(reverse("stories:index"), {"status": "draft"}))
    assert [row for row in by_status if "Bridge reopens" in row] == []
    by_author = rows(editor_client.get(reverse("stories:index"), {"author": newsroom["desk"].pk}))
    assert any("Budget draft" in row for row in by_author)
    assert not any("Bridge reopens" in row for row in by_author)
    by_section = rows(
        editor_client.get(reverse("stories:index"), {"section": newsroom["section"].pk})
    )
    assert len([row for row in by_section if "reopens" in row or "draft" in row]) == 2
    assert editor_client.get(reverse("stories:index"), {"section": "nope"}).status_code == 200


def test_feed_items_read_live_with_the_sites_time(editor_client, newsroom):
    item = NewsItem.objects.create(headline="Air raid alert lifted", summary="x", live=False)
    item.save_revision().publish()
    NewsItem.objects.filter(pk=item.pk).update(
        first_published_at=datetime(2026, 11, 30, 7, 43, tzinfo=UTC)
    )
    listing = rows(editor_client.get(reverse("wagtailsnippets_feed_newsitem:list")))
    assert any("30 Nov 2026, 09:43" in row and "Live" in row for row in listing)
    assert not any("True" in row for row in listing)


def test_narration_lengths_read_in_minutes_and_seconds(editor_client, newsroom, publish_article):
    article = publish_article()
    Narration.objects.update_or_create(
        page=article,
        defaults={"status": Narration.Status.READY, "duration": 430, "audio": "narration/1/a.mp3"},
    )
    listing = rows(editor_client.get(reverse("narration_admin")))
    assert any("7 min 10 s" in row for row in listing)
