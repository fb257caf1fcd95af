"""Editors import a subscriber list in the admin: upload, preview, start, progress, report; and export for Ghost."""

import csv
import io

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from newsdesk.newsletters.models import ConsentRecord, Subscriber, SubscriberImport, Subscription
from newsdesk.newsletters.subscribers.addresses import INVALID
from newsdesk.newsletters.tests.test_import import GHOST

pytestmark = pytest.mark.django_db

UPLOAD_URL = "/admin/newsletters/import/"
NEWSLETTERS_URL = "/admin/snippets/newsletters/newsletter/"
Status = Subscription.Status

GHOST_FILE = (
    "\n".join(
        [
            GHOST,
            "6a1,ada@example.org,Ada Lovelace,,true,false,,2021-03-04T05:06:07.000Z,,,",
            "6a2,bob@example.org,Bob,,false,false,,2022-01-01T00:00:00.000Z,,,",
            "6a3,not-an-address,Cy,,true,false,,2022-01-01T00:00:00.000Z,,,",
            "6a4,ADA@example.org,Ada again,,true,false,,2022-01-01T00:00:00.000Z,,,",
        ]
    )
    + "\n"
)


def csv_file(text, name="members.csv"):
    return SimpleUploadedFile(
        name, text.encode() if isinstance(text, str) else text, content_type="text/csv"
    )


def stored_files():
    """The lists waiting in the private storage, on the disk or in the bucket alike."""
    from newsdesk.core.storage import private_storage

    try:
        return private_storage.listdir("subscriber-imports")[1]
    except FileNotFoundError:
        return []


@pytest.fixture
def uploaded(editor_client, newsletters):
    """Uploads GHOST_FILE for the briefing; returns the detail page's URL."""
    response = editor_client.post(
        UPLOAD_URL, {"newsletter": newsletters["briefing"].pk, "file": csv_file(GHOST_FILE)}
    )
    assert response.status_code == 302
    return response["Location"]


def text(response):
    from bs4 import BeautifulSoup

    return BeautifulSoup(response.content, "html.parser")


def test_the_preview_shows_the_format_the_column_mapping_and_the_first_rows(
    media_storage, editor_client, uploaded, settings
):
    page = text(editor_client.get(uploaded))
    assert page.select_one("#import-format").get_text() == "Ghost"
    mapping = {
        row.th.get_text(): row.td.get_text() for row in page.select("#import-mapping tbody tr")
    }
    assert mapping == {
        "Email": "email",
        "Name": "name",
        "Signed up": "created_at",
        "Status": "subscribed_to_emails, deleted_at",
    }
    rows = [
        [td.get_text() for td in tr.select("td")] for tr in page.select("#import-rows tbody tr")
    ]
    assert [row[1] for row in rows] == [
        "ada@example.org",
        "bob@example.org",
        "not-an-address",
        "ADA@example.org",
    ]
    upload = SubscriberImport.objects.get()
    assert (upload.status, upload.format, upload.file_name) == (
        SubscriberImport.Status.UPLOADED,
        "Ghost",
        "members.csv",
    )
    assert len(stored_files()) == 1  # the file waits in storage, under a name nobody can guess
    assert "members" not in upload.file.name
    assert not Subscription.objects.exists()  # nothing imported before the start


def test_the_import_runs_in_the_worker_and_reports(
    media_storage, editor_client, uploaded, run_tasks, django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(uploaded, {"status": "pending"})
    assert response.status_code == 302
    upload = SubscriberImport.objects.get()
    assert upload.status == SubscriberImport.Status.QUEUED
    page = text(editor_client.get(uploaded))
    assert page.select_one("progress")["value"] == "0"
    assert "Waiting for the task worker" in page.select_one("#import-status").get_text()
    assert editor_client.get(uploaded + "progress/").json() == {
        "status": "queued",
        "status_text": "Waiting for the task worker",
        "percent": 0,
        "rows_read": 0,
        "finished": False,
    }

    run_tasks("default")
    assert editor_client.get(uploaded + "progress/").json()["finished"] is True
    page = text(editor_client.get(uploaded))
    report = [
        (dt.get_text(), dd.get_text())
        for dt, dd in zip(
            page.select("#import-report dt"), page.select("#import-report dd"), strict=False
        )
    ]
    assert report == [
        ("Rows read", "4"),
        ("Imported", "2"),
        ("Merged with existing subscribers", "1"),
        ("Skipped", "1"),
    ]
    skipped = [
        (tr.th.get_text(), tr.td.get_text()) for tr in page.select("#import-skipped tbody tr")
    ]
    assert skipped == [(INVALID, "4")]
    assert {s.subscriber.email: s.status for s in Subscription.objects.all()} == {
        "ada@example.org": Status.PENDING,
        "bob@example.org": Status.UNSUBSCRIBED,
    }
    upload.refresh_from_db()
    assert (upload.status, upload.progress, upload.created_by.username) == ("done", 1, "chief")
    assert upload.started_at <= upload.finished_at
    assert stored_files() == [] and upload.file.name == ""  # the list lives in the database now


def test_admin_and_command_give_the_same_report(
    editor_client,
    uploaded,
    run_tasks,
    django_capture_on_commit_callbacks,
    newsletters,
    tmp_path,
    capsys,
):
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(uploaded, {"status": "pending"})
    run_tasks("default")
    page = text(editor_client.get(uploaded)).select_one("#import-report").get_text(" ", strip=True)
    path = tmp_path / "members.csv"
    path.write_text(GHOST_FILE)
    call_command("import_subscribers", "briefing", str(path), "--dry-run")
    printed = capsys.readouterr().out
    # A second run merges what the first imported: only those counts differ.
    assert "Rows read: 4" in printed and "Skipped: 1" in printed and f"{INVALID}: rows 4" in printed
    assert page.startswith("Rows read 4 Imported 2 Merged with existing subscribers 1 Skipped 1")


def test_confirmed_needs_a_consent_source_which_the_records_keep(
    editor_client, uploaded, run_tasks, django_capture_on_commit_callbacks
):
    response = editor_client.post(uploaded, {"status": "confirmed", "consent_source": "  "})
    assert response.status_code == 400
    assert "Say where these readers agreed" in response.content.decode()
    assert SubscriberImport.objects.get().status == SubscriberImport.Status.UPLOADED

    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(
            uploaded, {"status": "confirmed", "consent_source": "Ghost signup form, 2019–2025"}
        )
        editor_client.post(uploaded, {"status": "pending"})  # a second click starts nothing more
    assert SubscriberImport.objects.get().consent_source == "Ghost signup form, 2019–2025"
    run_tasks("default")
    ada = Subscription.objects.get(subscriber__email="ada@example.org")
    assert ada.status == Status.CONFIRMED
    record = ada.consents.get()
    assert (record.action, record.wording, record.source_url) == (
        ConsentRecord.Action.CONFIRMED,
        "Ghost signup form, 2019–2025",
        "members.csv",
    )


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        ("id,name\n1,Ada\n", "list.csv", "No email column found"),
        ("", "list.csv", "The submitted file is empty."),
        (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "list.csv", "This is not a CSV file."),
        (b"PK\x03\x04\x14\0\x06\0", "list.xlsx", "save or export the list as CSV first"),
        ("email\n" + "ada@example.org\n" * 100, "list.csv", "the largest accepted here is 1.0"),
    ],
)
def test_bad_uploads_get_a_clear_error_and_nothing_is_stored(
    media_storage, editor_client, newsletters, settings, content, name, message
):
    settings.SUBSCRIBER_IMPORT_MAX_BYTES = 1024
    response = editor_client.post(
        UPLOAD_URL, {"newsletter": newsletters["briefing"].pk, "file": csv_file(content, name)}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SubscriberImport.objects.exists() and stored_files() == []


def test_a_file_in_utf16_is_accepted(editor_client, newsletters):
    response = editor_client.post(
        UPLOAD_URL,
        {
            "newsletter": newsletters["briefing"].pk,
            "file": csv_file("email,name\nzoe@example.org,Zoë\n".encode("utf-16")),
        },
    )
    assert response.status_code == 302


def importer(codenames=("add_subscriberimport",), username="desk"):
    """A member of staff in the admin, with the permissions named."""
    user = User.objects.create_user(username, f"{username}@example.org", "pw")
    group = Group.objects.create(name=f"{username} group")
    group.permissions.set(Permission.objects.filter(codename__in=["access_admin", *codenames]))
    user.groups.add(group)
    return user


def test_importing_is_for_staff_with_the_permission(client, uploaded, newsletters):
    client.logout()  # the same client uploaded, as the editor
    urls = [UPLOAD_URL, uploaded, uploaded + "progress/"]
    for url in urls:  # signed out
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(User.objects.create_user("reader", "reader@example.org", "pw"))
    for url in urls:
        assert client.get(url).status_code in (302, 403)
    assert client.post(uploaded, {"status": "pending"}).status_code in (302, 403)
    assert SubscriberImport.objects.get().status == SubscriberImport.Status.UPLOADED

    client.force_login(importer(codenames=()))  # an editor, but not one who may import
    for url in urls:
        assert client.get(url).status_code in (302, 403)
    assert "Import subscribers" not in client.get("/admin/").content.decode()

    client.force_login(importer(username="importer"))
    assert client.get(UPLOAD_URL).status_code == 200
    assert client.get(uploaded + "progress/").status_code == 200
    assert "Import subscribers" in client.get("/admin/").content.decode()


def subscribe(newsletter, email, status, name=""):
    subscriber, _ = Subscriber.objects.get_or_create(email=email, defaults={"name": name})
    return Subscription.objects.create(subscriber=subscriber, newsletter=newsletter, status=status)


def ghost_export(client, newsletter):
    response = client.get(f"/admin/newsletters/{newsletter.pk}/ghost-members.csv")
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="{newsletter.slug}-ghost-members.csv"' in response["Content-Disposition"]
    return b"".join(response.streaming_content).decode()


def test_the_ghost_export_reads_back_as_the_same_list(editor_client, newsletters, tmp_path):
    briefing, explainer = newsletters["briefing"], newsletters["explainer"]
    subscribe(briefing, "ada@example.org", Status.CONFIRMED, "Ada Lovelace")
    subscribe(briefing, "Bob@example.org", Status.UNSUBSCRIBED, "Bob, the builder")
    subscribe(briefing, "cy@example.org", Status.CONFIRMED)
    subscribe(
        briefing, "pending@example.org", Status.PENDING
    )  # never confirmed: not a member anywhere else
    subscribe(explainer, "other@example.org", Status.CONFIRMED)
    exported = ghost_export(editor_client, briefing)
    assert exported.splitlines()[0] == GHOST  # Ghost's own members export layout, column for column
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert rows[0]["labels"] == "The Briefing" and rows[0]["complimentary_plan"] == "false"

    path = tmp_path / "ghost.csv"
    path.write_text(exported)
    call_command(
        "import_subscribers",
        "explainer",
        str(path),
        "--confirmed",
        "--consent-source",
        "Round trip",
    )

    def listed(newsletter):
        return {
            (s.subscriber.email, s.subscriber.name, s.status)
            for s in Subscription.objects.filter(newsletter=newsletter).select_related("subscriber")
        }

    assert listed(explainer) - {("other@example.org", "", Status.CONFIRMED)} == listed(briefing) - {
        ("pending@example.org", "", Status.PENDING)
    }


def test_the_ghost_export_is_offered_beside_each_newsletter_and_staff_only(
    editor_client, client, newsletters
):
    subscribe(newsletters["briefing"], "ada@example.org", Status.CONFIRMED)
    url = f"/admin/newsletters/{newsletters['briefing'].pk}/ghost-members.csv"
    assert url in editor_client.get(NEWSLETTERS_URL).content.decode()
    client.logout()  # the same client as editor_client
    response = client.get(url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(importer(codenames=()))  # in the admin, but may not see subscribers
    assert client.get(url).status_code in (302, 403)


def start(client, url, capture):
    with capture(execute=True):
        assert client.post(url, {"status": "pending"}).status_code == 302


def test_a_file_that_became_unreadable_in_storage_fails_clearly(
    media_storage, editor_client, uploaded, run_tasks, django_capture_on_commit_callbacks
):
    upload = SubscriberImport.objects.get()
    with upload.file.storage.open(upload.file.name, "wb") as stream:
        stream.write(b"id,name\n1,Ada\n")
    start(editor_client, uploaded, django_capture_on_commit_callbacks)
    run_tasks("default")
    upload.refresh_from_db()
    assert upload.status == SubscriberImport.Status.FAILED and upload.file.name == ""
    assert (
        text(editor_client.get(uploaded))
        .select_one("#import-error")
        .get_text()
        .startswith("No email column found")
    )
    assert not Subscription.objects.exists()


def test_an_import_stopped_by_an_error_says_so(
    editor_client, uploaded, run_tasks, django_capture_on_commit_callbacks, monkeypatch
):
    from newsdesk.newsletters.imports import importer as imports

    def failing(*args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(imports, "_write", failing)
    start(editor_client, uploaded, django_capture_on_commit_callbacks)
    run_tasks("default")
    upload = SubscriberImport.objects.get()
    assert upload.status == SubscriberImport.Status.FAILED and upload.finished_at
    assert "uploading the file again finishes the job" in upload.error
    assert editor_client.get(uploaded + "progress/").json()["finished"] is True
    assert not Subscription.objects.exists()


def test_a_list_uploaded_before_moves_out_of_the_media_storage(media_storage, newsletters):
    import importlib

    from django.apps import apps
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from newsdesk.core.storage import private_storage

    migration = importlib.import_module("newsdesk.newsletters.migrations.0005_private_import_files")
    name = default_storage.save("subscriber-imports/0123abcd.csv", ContentFile(b"email\n"))
    SubscriberImport.objects.create(
        newsletter=newsletters["briefing"], file=name, file_name="members.csv", format="Ghost"
    )
    migration.move_to_private_storage(apps, None)
    assert not default_storage.exists(name)
    assert private_storage.open(name).read() == b"email\n"
