"""A story's audio and captions are the story's: withdrawn when it is unpublished or deleted, back when it returns."""

from pathlib import Path

import pytest
from django.contrib.auth.models import User

from newsdesk.core.storage import private_storage
from newsdesk.core.tests.servers import fetch
from newsdesk.narration.models import Narration
from newsdesk.narration.tests.conftest import paragraphs

# Every test here runs with the files on the disk and in an S3 bucket (conftest.media_storage).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_storage")]


@pytest.fixture
def narrated(publish_narrated):
    article = publish_narrated(
        "Bridge reopens", body=paragraphs("The old bridge reopened on Monday.")
    )
    article.narration.refresh_from_db()
    assert article.narration.audio, article.narration.status_text
    return article


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def addresses(article):
    return article.narration.audio_url, f"/narration/{article.pk}/captions.vtt"


def test_the_audio_has_no_public_file_address_only_its_checked_one(
    media_storage, narrated, client, settings
):
    narration = narrated.narration
    mp3 = private_storage.open(narration.audio.name).read()
    if media_storage:  # in the bucket, where no reader may fetch it
        assert fetch(f"{media_storage}/private/{narration.audio.name}")[0] == 403
    else:
        assert not Path(private_storage.path(narration.audio.name)).is_relative_to(
            settings.MEDIA_ROOT
        )
    assert client.get(f"/media/{narration.audio.name}").status_code == 404
    response = client.get(narration.audio_url)
    assert response.status_code == 200 and response["Content-Type"] == "audio/mpeg"
    assert body(response) == mp3 and "public" in response["Cache-Control"]
    response = client.get(narration.audio_url, headers={"Range": "bytes=0-2"})
    assert response.status_code == 206 and body(response) == mp3[:3]
    assert client.head(narration.audio_url).status_code == 200
    assert client.get(f"/narration/{narrated.pk}/0123456789abcdef.mp3").status_code == 404
    assert client.post(narration.audio_url).status_code == 405


def test_unpublishing_withdraws_the_audio_and_republishing_brings_it_back(
    narrated, client, republish
):
    narrated.unpublish()
    for address in addresses(narrated):
        assert client.get(address).status_code == 404
    # Its editors still hear it in the admin and in previews, and no cache keeps it.
    editors = client.__class__()
    editors.force_login(User.objects.create_superuser("chief", "chief@example.org", "pw"))
    for address in addresses(narrated):
        response = editors.get(address)
        assert response.status_code == 200 and "no-store" in response["Cache-Control"]

    narrated.refresh_from_db()
    narration = republish(narrated)
    assert narration.status == Narration.Status.READY
    for address in addresses(narrated):
        assert client.get(address).status_code == 200


def test_deleting_the_story_deletes_its_audio(narrated, client, django_capture_on_commit_callbacks):
    names = [narrated.narration.audio.name, narrated.narration.captions.name]
    urls = addresses(narrated)
    with django_capture_on_commit_callbacks(execute=True):
        narrated.delete()
    for address in urls:
        assert client.get(address).status_code == 404
    assert not any(private_storage.exists(name) for name in names)


def test_a_story_behind_a_sign_in_keeps_its_audio_behind_it(narrated, client):
    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(page=narrated, restriction_type=PageViewRestriction.LOGIN)
    for address in addresses(narrated):
        assert client.get(address).status_code == 404
    client.force_login(User.objects.create_user("reader", "reader@example.org", "pw"))
    for address in addresses(narrated):
        response = client.get(address)
        assert response.status_code == 200 and "private" in response["Cache-Control"]


def test_audio_made_before_is_moved_out_of_the_public_media_folder(publish_article):
    import importlib

    from django.apps import apps
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    migration = importlib.import_module("newsdesk.narration.migrations.0002_private_storage")
    article = publish_article("Old story")
    name = default_storage.save(f"narration/{article.pk}/0123456789abcdef.mp3", ContentFile(b"ID3"))
    Narration.objects.update_or_create(page=article, defaults={"audio": name})
    migration.move_to_private_storage(apps, None)
    assert not default_storage.exists(name)
    assert private_storage.open(name).read() == b"ID3"


def test_audio_gone_from_its_storage_is_a_404_not_an_error(narrated, client):
    private_storage.delete(narrated.narration.audio.name)
    assert client.get(narrated.narration.audio_url).status_code == 404
