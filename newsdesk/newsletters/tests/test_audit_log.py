"""Sending, scheduling, steering, importing and exporting are in Wagtail's audit log, with who did it."""

import io
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import ModelLogEntry

from newsdesk.newsletters.models import Issue, Subscriber, Subscription
from newsdesk.newsletters.sending import sends
from newsdesk.newsletters.tests.test_admin_import import GHOST_FILE, UPLOAD_URL, csv_file

pytestmark = pytest.mark.django_db

HISTORY = "/admin/reports/site-history/"


def entries(instance):
    return [
        (entry.action, entry.user.username if entry.user else None, entry.message)
        for entry in ModelLogEntry.objects.for_instance(instance).order_by("timestamp", "pk")
    ]


def test_each_step_of_a_send_is_logged_with_the_editor(editor_client, issue, audience):
    audience(confirmed=3)
    base = f"/admin/newsletters/issues/{issue.pk}/"
    at = timezone.localtime() + timedelta(days=1)
    editor_client.post(base + "schedule/", {"at": at.strftime("%Y-%m-%dT%H:%M")})
    for action in ("unschedule", "start", "pause", "resume", "cancel"):
        assert editor_client.post(base + action + "/").status_code == 302
    assert Issue.objects.get(pk=issue.pk).status == "cancelled"

    logged = entries(issue)
    assert [(action, user) for action, user, _ in logged] == [
        ("newsletters.schedule", "chief"),
        ("newsletters.unschedule", "chief"),
        ("newsletters.send", "chief"),
        ("newsletters.pause", "chief"),
        ("newsletters.resume", "chief"),
        ("newsletters.cancel", "chief"),
    ]
    assert logged[0][2].startswith("Scheduled for ")
    assert logged[2][2] == "Started sending to 3 subscribers"

    history = editor_client.get(HISTORY).content.decode()
    for text in ("Started sending to 3 subscribers", "Paused sending", "Cancelled sending"):
        assert text in history
    assert issue.subject in history
    # The filter of the report offers the newsletters' own actions by name.
    assert "Pause sending" in history


def test_a_step_that_changes_nothing_is_not_logged(issue, audience):
    audience(confirmed=1)
    assert not sends.pause(issue, None)  # a draft is not being sent
    assert not sends.cancel(issue, None)
    assert entries(issue) == []


def test_the_schedule_starts_a_send_as_the_system(issue, audience):
    audience(confirmed=2)
    editor = User.objects.create_user("desk")
    sends.schedule(issue, timezone.now() + timedelta(minutes=5), editor)
    sends.start_scheduled_sends(now=timezone.now() + timedelta(minutes=6))
    assert [(action, user) for action, user, _ in entries(issue)] == [
        ("newsletters.schedule", "desk"),
        ("newsletters.send", None),
    ]


def test_imports_and_exports_are_logged_with_who_brought_or_took_the_list(
    editor_client, newsletters, run_tasks, django_capture_on_commit_callbacks, tmp_path
):
    briefing = newsletters["briefing"]
    response = editor_client.post(
        UPLOAD_URL, {"newsletter": briefing.pk, "file": csv_file(GHOST_FILE, "ghost.csv")}
    )
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(response["Location"], {"status": "pending"})
    run_tasks("default")
    assert (
        editor_client.get(f"/admin/newsletters/{briefing.pk}/ghost-members.csv").status_code == 200
    )

    path = tmp_path / "list.csv"
    path.write_text("email\nanother@example.org\n")
    call_command("import_subscribers", "briefing", str(path), stdout=io.StringIO())
    call_command("import_subscribers", "briefing", str(path), "--dry-run", stdout=io.StringIO())

    assert entries(briefing) == [
        (
            "newsletters.import",
            "chief",
            "Imported “ghost.csv” (pending): 2 new, 1 merged, 1 skipped",
        ),
        ("newsletters.export", "chief", "Exported the subscribers (Ghost members CSV)"),
        ("newsletters.import", None, "Imported “list.csv” (pending): 1 new, 0 merged, 0 skipped"),
    ]
    rows = {
        row.get_text(" ", strip=True)
        for row in BeautifulSoup(editor_client.get(HISTORY).content, "html.parser").select("tr")
    }
    assert any("Imported “list.csv” (pending)" in row and "system" in row for row in rows)
    assert any("Imported “ghost.csv” (pending)" in row and "chief" in row for row in rows)


def test_the_subscriber_list_export_is_logged_for_each_newsletter_in_it(editor_client, newsletters):
    for slug in ("briefing", "explainer"):
        Subscription.objects.create(
            subscriber=Subscriber.objects.create(email=f"{slug}@example.org"),
            newsletter=newsletters[slug],
        )
    url = "/admin/snippets/newsletters/subscription/"
    editor_client.get(url, {"newsletter": newsletters["briefing"].pk, "export": "xlsx"})
    editor_client.get(url, {"export": "csv"})
    assert entries(newsletters["briefing"]) == [
        ("newsletters.export", "chief", "Exported the subscribers (XLSX)"),
        ("newsletters.export", "chief", "Exported the subscribers (CSV)"),
    ]
    assert entries(newsletters["explainer"]) == [
        ("newsletters.export", "chief", "Exported the subscribers (CSV)")
    ]
    assert entries(newsletters["closed"]) == []
