"""Editors import an export in the admin: upload, preview, start, progress, report."""

import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings as django_settings
from django.contrib.auth.models import Group, Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import ModelLogEntry, PageLogEntry

from newsdesk.articles.models import ArticlePage, StaticPage
from newsdesk.content_import.models import ContentImport
from newsdesk.content_import.tests.substack_zip import BODIES, write_zip
from newsdesk.content_import.tests.wxr import write_export
from newsdesk.content_import.writer import Report
from newsdesk.core.storage import private_storage

pytestmark = pytest.mark.django_db

UPLOAD_URL = "/admin/import-content/"


def upload_file(path, name=None):
    return SimpleUploadedFile(name or path.name, path.read_bytes())


def stored_files():
    folder = Path(private_storage.path("content-imports"))
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def html(response):
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def uploaded(editor_client, base_site, tmp_path, old_site, django_capture_on_commit_callbacks):
    """The Ledger's WordPress export uploaded; returns the detail page's URL (the worker has not read it)."""
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            UPLOAD_URL, {"file": upload_file(write_export(tmp_path, site=old_site))}
        )
    assert response.status_code == 302
    return response["Location"]


def test_the_upload_is_kept_privately_and_read_by_the_worker_for_the_preview(
    editor_client, uploaded, run_tasks
):
    content_import = ContentImport.objects.get()
    assert (content_import.status, content_import.format, content_import.created_by.username) == (
        "reading",
        "WordPress",
        "chief",
    )
    # Under a name nobody can guess, in the private storage: no public address.
    (stored,) = stored_files()
    assert "ledger" not in stored.name
    assert not stored.is_relative_to(Path(django_settings.MEDIA_ROOT))
    page = html(editor_client.get(uploaded))
    assert "Reading the file" in page.select_one("#import-status").get_text()
    assert not page.select_one("progress").has_attr("value")  # how long is not known yet
    assert editor_client.get(uploaded + "progress/").json() == {
        "status": "reading",
        "status_text": "Reading the file",
        "percent": None,
        "items_done": 0,
        "finished": False,
    }

    run_tasks("default")
    assert editor_client.get(uploaded + "progress/").json()["finished"] is True
    page = html(editor_client.get(uploaded))
    assert page.select_one("#import-format").get_text() == "WordPress WXR 1.2"
    counts = {dd["data-count"]: dd.get_text() for dd in page.select("#import-preview td")}
    assert counts == {
        "stories": "6",
        "pages": "2",
        "authors": "3",
        "sections": "2",
        "tags": "3",
        "pictures": "4",
    }
    assert [li.get_text() for li in page.select("#import-titles li")][:2] == [
        "Council votes to rebuild the bridge",
        "Night of the flood",
    ]
    sections = [
        [c.get_text() for c in tr.select("th, td")]
        for tr in page.select("#import-sections tbody tr")
    ]
    assert sections == [
        ["Stories", "5", "No, it will be made"],
        ["City", "1", "No, it will be made"],
    ]
    assert not ArticlePage.objects.exists()  # nothing imported before the start
    assert ContentImport.objects.get().status == "read"


def test_the_import_runs_in_the_worker_and_reports(
    editor_client, uploaded, run_tasks, django_capture_on_commit_callbacks
):
    run_tasks("default")
    with django_capture_on_commit_callbacks(execute=True):
        assert editor_client.post(uploaded).status_code == 302
        editor_client.post(uploaded)  # a second click starts nothing more
    content_import = ContentImport.objects.get()
    assert content_import.status == "queued"
    page = html(editor_client.get(uploaded))
    assert page.select_one("progress")["value"] == "0"
    assert "Waiting for the task worker: 0 of 8" in page.select_one("#import-status").get_text()
    start = ModelLogEntry.objects.get(action="content_import.start")
    assert start.user.username == "chief"

    run_tasks("default")
    assert editor_client.get(uploaded + "progress/").json() == {
        "status": "done",
        "status_text": "Done",
        "percent": 100,
        "items_done": 8,
        "finished": True,
    }
    page = html(editor_client.get(uploaded))
    report = {
        tr.th.get_text(): [td.get_text() for td in tr.select("td")]
        for tr in page.select("#import-report tbody tr")
    }
    assert report["Stories"] == ["6", "0", "0"]
    assert report["Pages"] == ["2", "0", "0"]
    assert report["Authors"] == ["3", "0", "0"]
    warnings = page.select_one("#import-warnings").get_text()
    assert "A gallery names the picture 99, which is not in the export." in warnings
    assert ArticlePage.objects.count() == 6 and StaticPage.objects.count() == 2
    # Every page is logged under the editor who started it, named by the file as uploaded.
    entry = PageLogEntry.objects.filter(action="content_import.import").first()
    assert entry.user.username == "chief"
    assert entry.data["file"] == "ledger.wordpress.2013-01-31.xml"
    content_import.refresh_from_db()
    assert content_import.started_at <= content_import.finished_at
    assert stored_files() == [] and content_import.file.name == ""


def test_missing_pictures_are_reported_by_story(
    editor_client, base_site, tmp_path, old_site, run_tasks, django_capture_on_commit_callbacks
):
    gone = f"{old_site}/public/images/gone.jpg"
    bodies = {
        post_id: body.replace("/public/images/ferry.jpeg", "/public/images/gone.jpg")
        for post_id, body in BODIES.items()
    }
    path = write_zip(tmp_path, bodies=bodies, site=old_site, media=old_site)
    with django_capture_on_commit_callbacks(execute=True):
        detail = editor_client.post(UPLOAD_URL, {"file": upload_file(path)})["Location"]
    run_tasks("default")
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(detail)
    run_tasks("default")
    missing = html(editor_client.get(detail)).select_one("#import-missing-pictures")
    assert missing.h4.get_text() == "The ferry timetable (/p/the-ferry-timetable)"
    assert missing.li.get_text() == f"{gone}: 404 Not Found"


def test_a_file_broken_after_its_start_fails_at_reading_and_nothing_is_imported(
    editor_client, base_site, tmp_path, run_tasks, django_capture_on_commit_callbacks
):
    path = write_export(tmp_path)
    path.write_text(path.read_text()[:-40])  # cut off: recognised, but not well-formed
    with django_capture_on_commit_callbacks(execute=True):
        detail = editor_client.post(UPLOAD_URL, {"file": upload_file(path)})["Location"]
    run_tasks("default")
    page = html(editor_client.get(detail))
    assert page.select_one("#import-status").get_text().startswith("Failed")
    assert "is not well-formed XML" in page.select_one("#import-error").get_text()
    assert editor_client.post(detail).status_code == 302  # nothing to start
    assert ContentImport.objects.get().status == "failed"
    assert stored_files() == []
    assert not ArticlePage.objects.exists()


def zip_without_posts(tmp_path):
    path = tmp_path / "photos.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.jpg", b"x")
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: tmp / "notes.txt", "This file is not an export newsdesk recognises"),
        (zip_without_posts, "This zip file holds no posts.csv"),
        (lambda tmp: tmp / "feed.xml", "This XML file is not a WordPress export"),
        (lambda tmp: write_export(tmp), "the largest accepted here is 1.0"),
    ],
)
def test_bad_uploads_get_a_clear_error_and_nothing_is_stored(
    editor_client, base_site, tmp_path, settings, make, message
):
    (tmp_path / "notes.txt").write_text("Just notes.")
    (tmp_path / "feed.xml").write_text('<?xml version="1.0"?><rss><channel></channel></rss>')
    if "largest" in message:
        settings.CONTENT_IMPORT_MAX_BYTES = 1024
    response = editor_client.post(UPLOAD_URL, {"file": upload_file(make(tmp_path))})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ContentImport.objects.exists() and stored_files() == []


def importer(codenames=("add_contentimport",), username="desk"):
    """A member of staff in the admin, with the permissions named."""
    user = User.objects.create_user(username, f"{username}@example.org", "pw")
    group = Group.objects.create(name=f"{username} group")
    group.permissions.set(Permission.objects.filter(codename__in=["access_admin", *codenames]))
    user.groups.add(group)
    return user


def test_importing_is_for_staff_with_the_permission(client, editor_client, uploaded, run_tasks):
    run_tasks("default")
    client.logout()
    urls = [UPLOAD_URL, uploaded, uploaded + "progress/"]
    for url in urls:  # signed out
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(User.objects.create_user("reader", "reader@example.org", "pw"))
    for url in urls:
        assert client.get(url).status_code in (302, 403)
    assert client.post(uploaded).status_code in (302, 403)
    assert ContentImport.objects.get().status == "read"

    client.force_login(importer(codenames=()))  # an editor, but not one who may import
    for url in urls:
        assert client.get(url).status_code in (302, 403)
    assert client.post(uploaded).status_code in (302, 403)
    assert ContentImport.objects.get().status == "read"
    assert "Import content" not in client.get("/admin/").content.decode()

    client.force_login(importer(username="importer"))
    assert client.get(UPLOAD_URL).status_code == 200
    assert client.get(uploaded + "progress/").status_code == 200
    assert "Import content" in client.get("/admin/").content.decode()


def test_the_report_names_what_the_site_refused(editor_client, base_site):
    report = Report(
        format="WordPress WXR 1.2", not_imported={"Too long (/?p=3)": "title: too long"}
    )
    report.made["stories"] = 2
    done = ContentImport.objects.create(file_name="x.xml", status="done", report=report.as_json())
    page = html(editor_client.get(f"{UPLOAD_URL}{done.pk}/"))
    assert (
        page.select_one("#import-not-imported li").get_text() == "Too long (/?p=3): title: too long"
    )
    stories = page.select_one("#import-report tbody tr")
    assert [td.get_text() for td in stories.select("td")] == ["2", "0", "0"]
