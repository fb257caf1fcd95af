"""Gated stories: a preview for everyone, the rest for readers with access, through the page cache."""

import json
import re

import pytest
from django.test import Client

from newsdesk.core.tests.test_pagecache import state
from newsdesk.members import accounts, sessions
from newsdesk.members.models import StoryAccess

pytestmark = pytest.mark.django_db

PARAGRAPHS = [f"Paragraph {number} of the investigation." for number in range(1, 6)]
OPEN = PARAGRAPHS[:3]
GATED = PARAGRAPHS[3:]


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 60


@pytest.fixture
def story(publish_article, commit):
    body = [{"type": "paragraph", "value": f"<p>{text}</p>"} for text in PARAGRAPHS]
    return publish_article("Inside the water deal", body=body)


@pytest.fixture
def gate(commit):
    def make(story, *tiers):
        def save():
            rule = StoryAccess.objects.create(
                page=story, level=StoryAccess.Level.TIERS if tiers else StoryAccess.Level.MEMBERS
            )
            rule.tiers.set(tiers)
            return rule

        return commit(save)

    return make


@pytest.fixture
def member(sign_in, tiers):
    """A client signed in as a member with the free tier."""

    def make(email="member@example.org", tier=None):
        client = Client()
        sign_in(client, email)
        if tier is not None:
            accounts.grant_membership(email, tiers[tier], None)
        return client

    return make


def structured(page):
    data = re.search(
        r'<script type="application/ld\+json">(.*?"NewsArticle".*?)</script>', page, re.S
    )
    return json.loads(data.group(1))


def shows(page, texts):
    return [text in page for text in texts]


def test_a_gated_story_shows_everyone_the_opening_then_the_box(client, story, gate, tiers):
    gate(story)
    page = client.get(story.url).content.decode()
    assert shows(page, OPEN) == [True] * 3 and shows(page, GATED) == [False] * 2
    assert "The rest of this story is for members" in page
    assert "Become a member" in page and "/account/sign-in/?next=" in page
    assert "Inside the water deal" in page and "Traffic returns" in page  # headline, standfirst
    data = structured(page)
    assert data["isAccessibleForFree"] is False
    assert data["hasPart"] == {
        "@type": "WebPageElement",
        "isAccessibleForFree": False,
        "cssSelector": ".article__gated",
    }


def test_a_public_story_says_nothing_of_access(client, story):
    page = client.get(story.url).content.decode()
    assert shows(page, PARAGRAPHS) == [True] * 5
    assert "isAccessibleForFree" not in page and "article__gated" not in page


def test_a_member_reads_it_all_live_and_nobody_else_gets_their_page(client, story, gate, member):
    gate(story)
    assert state(client, story.url) == "miss"
    assert state(client, story.url) == "hit"
    reader = member()
    response = reader.get(story.url)
    page = response.content.decode()
    assert shows(page, PARAGRAPHS) == [True] * 5
    assert '<div class="article__body article__gated">' in page
    assert response.get("X-Page-Cache") is None  # rendered for them, not the kept page
    assert "private" in response["Cache-Control"]
    # The anonymous page is still the kept one, without the gated text.
    response = client.get(story.url)
    assert response["X-Page-Cache"] == "hit"
    assert shows(response.content.decode(), GATED) == [False] * 2


def test_a_members_page_is_never_kept_even_when_rendered_first(client, story, gate, member):
    gate(story)
    reader = member()
    assert shows(reader.get(story.url).content.decode(), GATED) == [True] * 2
    response = client.get(story.url)
    assert response["X-Page-Cache"] == "miss"
    assert shows(response.content.decode(), GATED) == [False] * 2


def test_a_story_for_chosen_tiers(story, gate, member, tiers):
    gate(story, tiers["supporter"], tiers["patron"])
    free, supporter = member("free@example.org"), member("supporter@example.org", "supporter")
    page = free.get(story.url).content.decode()
    assert shows(page, GATED) == [False] * 2
    assert "for members of Supporter or Patron" in page
    assert shows(supporter.get(story.url).content.decode(), GATED) == [True] * 2
    # The free member's page was theirs alone: the supporter still reads it all, and back.
    assert shows(free.get(story.url).content.decode(), GATED) == [False] * 2


def test_a_lapsed_member_reads_only_the_opening(story, gate, member, tiers):
    from datetime import timedelta

    from django.utils import timezone

    from newsdesk.members.models import Membership

    gate(story, tiers["supporter"])
    reader = member("lapsed@example.org", "supporter")
    Membership.objects.filter(tier=tiers["supporter"]).update(
        ends_at=timezone.now() - timedelta(minutes=1)
    )
    assert shows(reader.get(story.url).content.decode(), GATED) == [False] * 2


def test_gating_a_kept_story_renews_it(client, story, gate):
    assert state(client, story.url) == "miss"
    assert state(client, story.url) == "hit"
    gate(story)
    response = client.get(story.url)
    assert response["X-Page-Cache"] == "miss"
    assert shows(response.content.decode(), GATED) == [False] * 2


def test_a_signed_in_members_public_page_comes_from_the_page_cache(client, story, member):
    reader = member()
    anonymous = client.get(story.url)
    assert anonymous["X-Page-Cache"] == "miss"
    response = reader.get(story.url)
    assert response["X-Page-Cache"] == "hit"
    assert response.content == client.get(story.url).content
    for url in ("/", "/membership/"):
        client.get(url)
        assert reader.get(url)["X-Page-Cache"] == "hit", url


def test_kept_fragments_are_kept_apart_by_access(settings, story, gate, member):
    settings.FRAGMENT_CACHE_SECONDS = 300
    gate(story)
    editor_like = Client()  # the session cookie: past the page cache, to the fragments
    editor_like.cookies["sessionid"] = "no-such-session"
    reader = member()
    reader.cookies["sessionid"] = "no-such-session"
    assert shows(reader.get(story.url).content.decode(), GATED) == [True] * 2
    assert shows(editor_like.get(story.url).content.decode(), GATED) == [False] * 2
    assert shows(reader.get(story.url).content.decode(), GATED) == [True] * 2


def test_the_header_account_link_is_the_same_for_everyone(client, story, member):
    reader = member()
    for who in (client, reader):
        page = who.get(story.url).content.decode()
        assert '<a class="site-header__account" href="/account/">Account</a>' in page
    assert sessions.MEMBER_COOKIE in reader.cookies


def test_feeds_with_full_text_and_search_snippets_carry_only_the_open_part(
    client, story, gate, newsroom
):
    from newsdesk.core.models import NewsroomSettings

    newsroom_settings = NewsroomSettings.for_site(newsroom["home"].get_site())
    newsroom_settings.feeds_full_text = True
    newsroom_settings.save()
    gate(story)
    feed = client.get("/feeds/rss/").content.decode()
    assert shows(feed, OPEN) == [True] * 3 and shows(feed, GATED) == [False] * 2
    results = client.get("/search/", {"q": "investigation"}).content.decode()
    assert "Inside the water deal" in results and shows(results, GATED) == [False] * 2


def test_editors_read_a_gated_story_whole_and_live(story, gate, editor_client):
    gate(story)
    client = Client()  # a reader beside the editor
    assert state(client, story.url) == "miss"  # the anonymous version, kept
    response = editor_client.get(story.url)
    assert shows(response.content.decode(), GATED) == [True] * 2
    assert "private" in response["Cache-Control"] and response.get("X-Page-Cache") is None
    response = client.get(story.url)
    assert response["X-Page-Cache"] == "hit"
    assert shows(response.content.decode(), GATED) == [False] * 2


def test_a_word_only_in_the_gated_part_finds_the_story_but_quotes_only_its_opening(
    client, publish_article, gate
):
    """A gated story may be found by any of its words, as search engines index it (its JSON-LD
    marks the gated part); what the results quote comes from the open part only."""
    body = [{"type": "paragraph", "value": f"<p>{text}</p>"} for text in OPEN]
    body.append({"type": "paragraph", "value": "<p>The aquifer contract was signed in secret.</p>"})
    story = publish_article("Inside the water deal", body=body)
    gate(story)
    results = client.get("/search/", {"q": "aquifer"}).content.decode()
    assert "Inside the water deal" in results
    assert "contract was signed" not in results and "<mark>aquifer" not in results.lower()


@pytest.fixture
def narrated(story):
    """The story's narration, made while it was public: it reads every paragraph aloud."""
    from django.core.files.base import ContentFile

    from newsdesk.narration.models import Narration

    narration, _ = Narration.objects.get_or_create(page=story)
    narration.audio.save("abc123.mp3", ContentFile(b"ID3" + bytes(2000)), save=False)
    narration.captions.save("abc123.vtt", ContentFile(b"WEBVTT\n\n" + GATED[0].encode()))
    narration.status, narration.duration = Narration.Status.READY, 12
    narration.save()
    return narration


def test_a_gated_storys_narration_reaches_only_readers_with_access(
    client, story, gate, member, narrated, monkeypatch
):
    monkeypatch.setattr("newsdesk.narration.voices.voice_installed", lambda: True)
    audio, captions = narrated.audio_url, f"/narration/{story.pk}/captions.vtt"
    # Public while the story is.
    assert client.get(audio).status_code == 200
    assert audio in client.get(story.url).content.decode()
    assert audio in client.get("/feeds/podcast/").content.decode()
    gate(story)
    for url in (audio, captions):
        assert client.get(url).status_code == 404
    page = client.get(story.url).content.decode()
    assert audio not in page and "captions.vtt" not in page
    podcast = client.get("/feeds/podcast/").content.decode()
    assert audio not in podcast and "Inside the water deal" not in podcast

    reader = member()
    assert audio in reader.get(story.url).content.decode()
    response = reader.get(audio)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]
    assert GATED[0] in reader.get(captions).content.decode()
