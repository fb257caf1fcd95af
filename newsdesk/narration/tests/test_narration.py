"""Publishing narrates an article in the worker, with the real voice; failures stay contained."""

import itertools
import re
from datetime import timedelta

import feedparser
import pytest
from django.utils import timezone
from mutagen.mp3 import MP3

from newsdesk.core.storage import private_storage
from newsdesk.narration import audio, tasks
from newsdesk.narration.models import Narration, Pronunciation
from newsdesk.narration.tests.conftest import paragraphs

pytestmark = pytest.mark.django_db

BODY = paragraphs(
    "The old bridge reopened on Nov. 7 after six weeks of repairs costing $1.2 million.",
    "Engineers replaced 40 m of railing, and the first tram crossed at 8:50 a.m.",
)


def cue_times(vtt):
    def seconds(stamp):
        hours, minutes, rest = stamp.split(":")
        return int(hours) * 3600 + int(minutes) * 60 + float(rest)

    return [(seconds(a), seconds(b)) for a, b in re.findall(r"([\d:.]+) --> ([\d:.]+)", vtt)]


@pytest.fixture
def narrated(publish_narrated):
    article = publish_narrated("Bridge reopens", body=BODY)
    article.narration.refresh_from_db()
    return article


def test_publishing_narrates_the_article_into_an_mp3_at_a_speaking_pace(narrated):
    narration = narrated.narration
    assert narration.status == Narration.Status.READY, narration.status_text
    assert narration.voice == "en_US-joe-medium"
    assert narration.made_at and len(narration.checksum) == 64

    with private_storage.open(narration.audio.name) as file:
        mp3 = MP3(file)
    assert narration.audio_bytes == private_storage.size(narration.audio.name)
    assert mp3.info.channels == 1 and mp3.info.bitrate == 64_000
    assert abs(mp3.info.length - narration.duration) < 0.2

    vtt = private_storage.open(narration.captions.name).read().decode()
    spoken_words = sum(
        len(line.split()) for line in vtt.split("\n\n")[1:] for line in line.split("\n")[2:]
    )
    words_per_minute = spoken_words / (mp3.info.length / 60)
    assert 120 <= words_per_minute <= 220, words_per_minute


def test_captions_have_a_cue_per_sentence_of_spoken_text_ending_with_the_audio(narrated, client):
    narration = narrated.narration
    response = client.get(f"/narration/{narrated.pk}/captions.vtt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vtt; charset=utf-8"
    vtt = response.content.decode()
    assert vtt.startswith("WEBVTT\n")
    # Headline, byline, standfirst, then the body, normalised.
    assert "Bridge reopens.\n" in vtt
    assert "By Ira Test.\n" in vtt
    assert (
        "on November seventh after six weeks of repairs costing one point two million dollars."
        in vtt
    )
    assert "forty meters of railing, and the first tram crossed at eight fifty AM." in vtt
    times = cue_times(vtt)
    assert len(times) == 5
    assert all(start < end for start, end in times)
    assert all(earlier[1] <= later[0] for earlier, later in itertools.pairwise(times))
    assert abs(times[-1][1] - narration.duration) <= 1.0


def test_the_article_page_has_the_player_with_captions_and_a_disclosure(narrated, client):
    html = client.get(narrated.url).content.decode()
    assert f'src="{narrated.narration.audio_url}"' in html
    # The length is known before a byte of audio is fetched, which waits for a reader who plays it.
    assert re.search(r'<audio class="narration__player" controls preload="none"', html)
    assert "autoplay" not in html
    assert "{#" not in html and "{%" not in html  # the template's comments stay in the template
    assert (
        f'<track kind="captions" src="/narration/{narrated.pk}/captions.vtt" srclang="en"' in html
    )
    assert "synthetic (AI) voice" in html
    assert re.search(r'<time datetime="PT0M\d+S">\d+ s</time>', html)
    seconds = round(narrated.narration.duration)
    assert f'max="{seconds}"' in html
    assert f'aria-valuetext="0 s of {seconds} s"' in html
    assert f"<span data-total>0:{seconds:02d}</span>" in html
    assert "data-captions" in html


def test_a_narration_without_captions_offers_no_captions(narrated, client):
    Narration.objects.filter(pk=narrated.pk).update(captions="")
    html = client.get(narrated.url).content.decode()
    assert "<audio" in html
    assert "<track" not in html
    assert "data-captions" not in html


def test_no_player_without_audio(publish_article, client):
    article = publish_article("Not narrated yet", body=BODY)
    assert "<audio" not in client.get(article.url).content.decode()


def test_the_podcast_feed_lists_the_episode_with_its_true_length(narrated, client, settings):
    response = client.get("/feeds/podcast/")
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "rss20"
    assert b"<itunes:explicit>false</itunes:explicit>" in response.content
    assert [tag.term for tag in feed.feed.tags] == ["News"]
    assert feed.feed.author == "The Test Ledger"
    assert feed.feed.image.href == settings.NEWSDESK_SITE_URL + "/feeds/podcast/artwork.png"
    (entry,) = feed.entries
    assert entry.title == "Bridge reopens"
    (enclosure,) = entry.enclosures
    assert enclosure.type == "audio/mpeg"
    assert int(enclosure.length) == private_storage.size(narrated.narration.audio.name)
    assert enclosure.href == settings.NEWSDESK_SITE_URL + narrated.narration.audio_url
    assert re.fullmatch(r"0:00:\d\d", entry.itunes_duration)
    assert "image" not in entry  # no lead image, so no episode artwork of its own

    section = feedparser.parse(client.get("/feeds/podcast/section/city/").content)
    assert [e.title for e in section.entries] == ["Bridge reopens"]
    assert client.get("/feeds/podcast/section/nowhere/").status_code == 404
    artwork = client.get("/feeds/podcast/artwork.png")
    assert artwork["Content-Type"] == "image/png"


def test_every_page_links_the_podcast_and_a_section_page_its_own(narrated, client):
    home = client.get("/").content.decode()
    assert 'href="/feeds/podcast/"' in home
    section = client.get("/city/").content.decode()
    assert 'href="/feeds/podcast/section/city/"' in section


def test_an_unchanged_republish_does_not_narrate_again(narrated, republish, monkeypatch):
    before = Narration.objects.get(pk=narrated.pk)

    def must_not_speak(*args):
        raise AssertionError("narrated again")

    monkeypatch.setattr(audio, "speak", must_not_speak)
    after = republish(narrated)
    assert after.status == Narration.Status.READY
    assert (after.audio.name, after.made_at, after.checksum) == (
        before.audio.name,
        before.made_at,
        before.checksum,
    )


def test_a_changed_text_is_narrated_again_and_the_old_audio_removed(narrated, republish):
    old_audio = narrated.narration.audio.name
    narrated.title = "Bridge reopens to trams"
    after = republish(narrated)
    assert after.status == Narration.Status.READY
    assert after.audio.name != old_audio
    assert not private_storage.exists(old_audio)
    assert "Bridge reopens to trams." in private_storage.open(after.captions.name).read().decode()


def test_a_pronunciation_changes_what_is_said_but_not_the_captions(narrated, republish):
    checksum = narrated.narration.checksum
    Pronunciation.objects.create(word="tram", say_as="trahm")
    after = republish(narrated)
    assert after.checksum != checksum
    assert "the first tram crossed" in private_storage.open(after.captions.name).read().decode()


def test_a_failure_leaves_the_article_published_and_is_retried_later(
    publish_narrated, monkeypatch, client, queued_tasks
):
    def broken(voice, recording, sentences):
        raise RuntimeError("the voice model crashed")

    def retries():
        return [at for path, _, at in queued_tasks() if path.endswith("narrate_article")]

    monkeypatch.setattr(audio, "speak", broken)
    article = publish_narrated("Bridge reopens", body=BODY)
    narration = Narration.objects.get(pk=article.pk)
    assert article.live
    assert client.get(article.url).status_code == 200
    assert narration.status == Narration.Status.FAILED
    assert narration.reason == "RuntimeError: the voice model crashed"
    assert narration.attempts == 1 and narration.retry_at
    assert "Failed: RuntimeError: the voice model crashed (trying again at" in narration.status_text
    [run_after] = retries()
    assert abs(run_after - narration.retry_at) < timedelta(
        seconds=1
    )  # RQ's scheduler keeps whole seconds

    narration.attempts = tasks.MAX_ATTEMPTS - 1
    narration.save()
    with pytest.raises(RuntimeError):
        tasks.narrate_article.call(article.pk)
    narration.refresh_from_db()
    assert narration.attempts == tasks.MAX_ATTEMPTS and narration.retry_at is None
    assert len(retries()) == 1  # no further retry queued


def test_an_article_in_a_language_without_a_voice_gets_no_audio(narrated, republish):
    Narration.objects.filter(pk=narrated.pk).update(language="uk")
    after = republish(narrated)
    assert after.status == Narration.Status.NO_VOICE
    assert after.status_text == "No voice for uk"
    assert not after.audio


def test_narration_switched_off_removes_the_audio(narrated, republish, client):
    audio_name = narrated.narration.audio.name
    Narration.objects.filter(pk=narrated.pk).update(enabled=False)
    after = republish(narrated)
    assert after.status == Narration.Status.OFF
    assert not private_storage.exists(audio_name)
    assert "<audio" not in client.get(narrated.url).content.decode()
    assert client.get(f"/narration/{narrated.pk}/captions.vtt").status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        [],
        [{"type": "image", "value": {"image": None, "caption": "A bridge.", "credit": "Agency"}}],
        paragraphs("🎉🎉 👍", "<b></b>"),
    ],
    ids=["empty body", "only images", "only emoji and markup"],
)
def test_nothing_to_read(publish_narrated, newsroom, body):
    for block in body:
        if block["type"] == "image":
            block["value"]["image"] = newsroom["image"].pk
    article = publish_narrated("Pictures of the bridge", body=body)
    narration = Narration.objects.get(pk=article.pk)
    assert narration.status == Narration.Status.EMPTY
    assert narration.status_text == "Nothing to read"
    assert not narration.audio


def narrations_queued(queued_tasks):
    return [args for path, args, _ in queued_tasks() if path.endswith(".narrate_article")]


def test_a_narration_left_by_a_killed_worker_is_queued_again_once_its_lease_is_over(
    publish_article, django_capture_on_commit_callbacks, run_tasks, queued_tasks, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=True):
        article = publish_article("Bridge reopens", body=BODY)
    run_tasks("default")  # the page's index updates: what is queued now is narration only

    def killed(voice, recording, sentences):
        raise SystemExit("SIGKILL")  # not an error the task sees: the worker is gone

    with monkeypatch.context() as patched:
        patched.setattr(audio, "speak", killed)
        run_tasks("narration")
    narration = Narration.objects.get(pk=article.pk)
    assert narration.status == Narration.Status.NARRATING and narration.heartbeat_at
    [(_, args, check_at)] = [
        task for task in queued_tasks() if task[0].endswith(".take_up_stalled_narration")
    ]
    assert args == [article.pk, False]
    assert abs(check_at - (narration.heartbeat_at + tasks.LEASE)) < timedelta(seconds=1)

    # Within its lease the worker may still be on it: nothing is queued twice.
    assert tasks.take_up_stalled_narration.call(article.pk) == "still narrating"
    assert narrations_queued(queued_tasks) == []

    Narration.objects.filter(pk=article.pk).update(
        heartbeat_at=narration.heartbeat_at - tasks.LEASE - timedelta(seconds=1)
    )
    assert tasks.take_up_stalled_narration.call(article.pk) == "queued again"
    assert tasks.take_up_stalled_narration.call(article.pk) == "not narrating"
    assert Narration.objects.get(pk=article.pk).status == Narration.Status.QUEUED
    assert narrations_queued(queued_tasks) == [[article.pk, False]]

    run_tasks("narration")
    narration.refresh_from_db()
    assert narration.status == Narration.Status.READY and narration.audio
    assert narration.heartbeat_at is None


def test_a_worker_taken_for_dead_stops_at_its_next_part_and_keeps_nothing(
    publish_article, monkeypatch
):
    article = publish_article("Bridge reopens", body=BODY)
    speak = audio.speak

    def slow(voice, recording, sentences):
        speak(voice, recording, sentences)
        # Meanwhile its lease ran out and another worker took the narration.
        Narration.objects.filter(pk=article.pk).update(heartbeat_at=timezone.now())

    monkeypatch.setattr(audio, "speak", slow)
    assert tasks.narrate_article.call(article.pk) == "taken over"
    narration = Narration.objects.get(pk=article.pk)
    assert narration.status == Narration.Status.NARRATING and narration.chunks_done == 0
    assert not narration.audio
    assert not private_storage.exists(f"narration/{article.pk}")


def test_a_narration_done_is_told_to_the_person_running_the_site(publish_narrated, caplog):
    with caplog.at_level("INFO", logger="newsdesk.events"):
        publish_narrated("Bridge reopens", body=BODY)
    told = [r.getMessage() for r in caplog.records if r.name == "newsdesk.events"]
    assert told[0].startswith("Published “Bridge reopens”: http")
    assert re.fullmatch(r"Narrated “Bridge reopens” \(0:[0-5]\d\)", told[1])
    assert len(told) == 2
