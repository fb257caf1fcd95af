"""Editors see each article's narration, switch it off, change its language, narrate again, keep pronunciations."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from wagtail.models import ModelLogEntry, PageLogEntry

from newsdesk.narration.models import Narration, Pronunciation
from newsdesk.narration.tests.conftest import paragraphs

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(publish_article):
    return publish_article("Trams return", body=paragraphs("Cars returned at dawn."))


def test_the_narration_list_shows_each_articles_status(editor_client, article, publish_article):
    other = publish_article("Pictures only", body=[])
    Narration.objects.filter(pk=other.pk).update(status=Narration.Status.EMPTY)
    Narration.objects.filter(pk=article.pk).update(
        status=Narration.Status.FAILED, reason="RuntimeError: boom"
    )
    html = editor_client.get(reverse("narration_admin")).content.decode()
    assert "Failed: RuntimeError: boom" in html
    assert "Nothing to read" in html


def test_the_article_editor_links_its_narration(editor_client, article):
    html = editor_client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content.decode()
    assert reverse("narration_admin_edit", args=[article.pk]) in html


def test_switching_narration_off_and_changing_the_language(
    editor_client, article, django_capture_on_commit_callbacks, queued_tasks
):
    url = reverse("narration_admin_edit", args=[article.pk])
    assert "Queued" in editor_client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(url, {"language": "en-GB"})  # unticked: off
    assert response.status_code == 302
    narration = Narration.objects.get(pk=article.pk)
    assert (narration.enabled, narration.language, narration.status) == (
        False,
        "en-GB",
        Narration.Status.OFF,
    )
    assert [article.pk, False] in [args for _, args, _ in queued_tasks()]

    response = editor_client.post(url, {"enabled": "on", "language": "not a tag!"})
    assert "Give a language tag" in response.content.decode()
    assert Narration.objects.get(pk=article.pk).language == "en-GB"


def test_narrate_again_queues_a_forced_narration(
    editor_client, article, django_capture_on_commit_callbacks, queued_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(reverse("narration_admin_narrate", args=[article.pk]))
    assert response.status_code == 302
    assert Narration.objects.get(pk=article.pk).status == Narration.Status.QUEUED
    assert [article.pk, True] in [args for _, args, _ in queued_tasks()]
    assert (
        editor_client.get(reverse("narration_admin_narrate", args=[article.pk])).status_code == 405
    )


def test_narration_pages_need_publish_permission(
    client, article, django_capture_on_commit_callbacks, queued_tasks
):
    user = User.objects.create_user("reader", password="pw", is_staff=False)
    user.groups.add(
        Group.objects.get(name="Editors")
    )  # admin access, no page permissions on this tree
    Group.objects.get(name="Editors").page_permissions.all().delete()
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("narration_admin_narrate", args=[article.pk]))
    assert (
        response.status_code == 302 and response.url == "/admin/"
    )  # Wagtail's answer to PermissionDenied
    assert [article.pk, True] not in [args for _, args, _ in queued_tasks()]


def test_editors_keep_a_pronunciation_list(editor_client):
    response = editor_client.post(
        reverse("wagtailsnippets_narration_pronunciation:add"), {"word": "Kyiv", "say_as": "Keev"}
    )
    assert response.status_code == 302
    assert Pronunciation.as_dict() == {"Kyiv": "Keev"}
    assert (
        "Kyiv"
        in editor_client.get(
            reverse("wagtailsnippets_narration_pronunciation:list")
        ).content.decode()
    )


def history(editor_client):
    """The site history report as an editor reads it."""
    return editor_client.get(reverse("wagtailadmin_reports:site_history")).content.decode()


def test_narrating_again_is_in_the_audit_log_with_who_did_it(
    editor_client, article, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(reverse("narration_admin_narrate", args=[article.pk]))
    entry = PageLogEntry.objects.get(action="narration.renarrate")
    assert (entry.page_id, entry.user.username) == (article.pk, "chief")
    assert entry.message == "Narrated again"
    assert "Narrated again" in history(editor_client)


def test_changing_the_narration_settings_is_in_the_audit_log(
    editor_client, article, django_capture_on_commit_callbacks
):
    url = reverse("narration_admin_edit", args=[article.pk])
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(url, {"enabled": "on", "language": "en-GB"})
        editor_client.post(url, {"language": "en-GB"})
        editor_client.post(url, {"language": "en-GB"})  # unchanged: not logged
    entries = PageLogEntry.objects.filter(action="narration.change").order_by("pk")
    assert [(e.page_id, e.user.username, e.message) for e in entries] == [
        (article.pk, "chief", "Narration on, in en-GB"),
        (article.pk, "chief", "Narration off"),
    ]


def test_editing_the_pronunciation_list_is_in_the_audit_log_with_who_did_it(editor_client):
    editor_client.post(
        reverse("wagtailsnippets_narration_pronunciation:add"), {"word": "Kyiv", "say_as": "Kiv"}
    )
    pronunciation = Pronunciation.objects.get(word="Kyiv")
    editor_client.post(
        reverse("wagtailsnippets_narration_pronunciation:edit", args=[pronunciation.pk]),
        {"word": "Kyiv", "say_as": "Keev"},
    )
    editor_client.post(
        reverse("wagtailsnippets_narration_pronunciation:delete", args=[pronunciation.pk])
    )
    assert not Pronunciation.objects.exists()
    entries = ModelLogEntry.objects.filter(action__startswith="narration.").order_by("pk")
    assert [(e.action, e.user.username, e.object_id) for e in entries] == [
        ("narration.pronunciation.add", "chief", str(pronunciation.pk)),
        ("narration.pronunciation.change", "chief", str(pronunciation.pk)),
        ("narration.pronunciation.remove", "chief", str(pronunciation.pk)),
    ]
    # Wagtail's own "Created", "Edited", "Deleted" are not logged beside them.
    assert not ModelLogEntry.objects.filter(action__startswith="wagtail.").exists()
    html = history(editor_client)
    for message in (
        "Added to the pronunciation list: Kyiv said as Kiv",
        "Pronunciation changed: Kyiv said as Keev",
        "Removed from the pronunciation list: Kyiv said as Keev",
        "Add a pronunciation",  # the label in the report's filter of actions
    ):
        assert message in html
