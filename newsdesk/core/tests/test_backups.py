"""`newsdesk backup` and `newsdesk restore`, run as the real command on a real data folder.

The newsroom backed up is the demo's, with a document and a private file added, and
while the backup runs another process keeps publishing stories, uploading pictures
and signing readers up.
"""

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest
from django.db import connection

NEWSDESK = str(Path(sys.executable).with_name("newsdesk"))

# Run by `newsdesk shell -c` in the data folder before it is backed up.
SETUP = """
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from wagtail.documents.models import Document
storages["private"].save("narration/1/sample.mp3", ContentFile(b"ID3" + bytes(range(256)) * 40))
Document.objects.create(title="Budget", file=ContentFile(b"%PDF-1.4 budget", name="budget.pdf"))
"""

# Writes until the file STOP_WRITING names exists: a story published, a picture uploaded and a reader
# signed up at a time, each line of output one done.
WRITER = """
import io, os, pathlib
from django.core.files.images import ImageFile
from PIL import Image
from newsdesk.articles.models import ArticlePage, SectionPage
from newsdesk.images.models import NewsImage
from newsdesk.newsletters.models import Newsletter
from newsdesk.newsletters.subscribers.subscriptions import Consent, request_subscription
stop = pathlib.Path(os.environ["STOP_WRITING"])
section = SectionPage.objects.live().order_by("path").first()
newsletters = list(Newsletter.objects.all()[:1])
i = 0
while not stop.exists():
    i += 1
    picture = io.BytesIO()
    Image.new("RGB", (40, 30), (i % 256, 90, 120)).save(picture, "PNG")
    image = NewsImage.objects.create(title=f"Picture {i}", file=ImageFile(picture, name=f"w{i}.png"))
    article = ArticlePage(title=f"Written during the backup {i}", slug=f"during-backup-{i}", lead_image=image)
    section.add_child(instance=article)
    article.save_revision().publish()
    consent = Consent(ip_address=f"10.0.{i // 200}.{i % 200}", user_agent="test", source_url="/", wording="Yes")
    request_subscription(f"reader{i}@example.org", newsletters, consent)
    print(i, flush=True)
"""

# What names a file in storage, in the tables of a restored database: (table, column, folder).
FILE_COLUMNS = [
    ("images_newsimage", "file", "media"),
    ("images_newsrendition", "file", "media"),
    ("wagtaildocs_document", "file", "media"),
]


def newsdesk(env, *args, check=True):
    result = subprocess.run([NEWSDESK, *args], env=env, capture_output=True, text=True, timeout=600)
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def embedded_env(data_dir):
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    for name in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS", "EMAIL_URL"):
        env.pop(name, None)
    env["NEWSDESK_DATA_DIR"] = str(data_dir)
    return env


def make_newsroom(env):
    newsdesk(env, "migrate", "-v0")
    newsdesk(env, "load_demo")
    newsdesk(env, "shell", "-c", SETUP)


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def counts(cursor, tables):
    result = {}
    for table in tables:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
        result[table] = cursor.fetchone()[0]
    return result


def files_named(cursor):
    names = set()
    for table, column, folder in FILE_COLUMNS:
        cursor.execute(f'SELECT "{column}" FROM "{table}"')
        names |= {f"{folder}/{name}" for (name,) in cursor.fetchall() if name}
    return names


def section_slug(data_dir):
    """The slug of the section the writer publishes into (its first live one)."""
    with sqlite3.connect(data_dir / "newsdesk.sqlite3") as db:
        return db.execute(
            "SELECT slug FROM wagtailcore_page JOIN articles_sectionpage ON id = page_ptr_id "
            "WHERE live ORDER BY path LIMIT 1"
        ).fetchone()[0]


def backup_while_writing(env, dest, tmp_path):
    """Takes a backup while the writer runs; returns how many it had written before and after."""
    stop_file = tmp_path / "stop-writing"
    writer = subprocess.Popen(
        [NEWSDESK, "shell", "-c", WRITER],
        env={**env, "STOP_WRITING": str(stop_file)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    written = []
    reader = threading.Thread(target=lambda: written.extend(writer.stdout), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 120
        while len(written) < 3:
            assert writer.poll() is None, writer.stderr.read()
            assert time.monotonic() < deadline, "the writer wrote nothing"
            time.sleep(0.1)
        before = len(written)
        result = newsdesk(env, "backup", str(dest))
        after = len(written)
    finally:
        stop_file.touch()
        writer.wait(timeout=60)
        reader.join(timeout=10)
    assert writer.returncode == 0, writer.stderr.read()
    return result, before, after


def assert_restored(manifest, backup_dir, restored_cursor, media_dirs):
    """Every row count and file of the manifest, in the restored newsroom; no named file missing."""
    assert counts(restored_cursor, list(manifest["rows"])) == manifest["rows"]
    for entry in manifest["files"]:
        restored = media_dirs[entry["storage"]] / entry["name"]
        assert sha256(restored) == entry["sha256"] == sha256(backup_dir / entry["path"])
    in_backup = {entry["path"] for entry in manifest["files"]}
    assert files_named(restored_cursor) <= in_backup


@pytest.fixture(scope="module")
def newsroom(tmp_path_factory):
    """The data folder of a demo newsroom with a document and a private file, made once."""
    folder = tmp_path_factory.mktemp("newsroom")
    make_newsroom(embedded_env(folder))
    return folder


@pytest.fixture(scope="module")
def backed_up(newsroom, tmp_path_factory):
    """The newsroom's data folder and a backup of it."""
    backup = tmp_path_factory.mktemp("backed-up") / "backup"
    newsdesk(embedded_env(newsroom), "backup", str(backup))
    return newsroom, backup


def test_a_backup_taken_while_the_site_is_written_to_restores_whole(newsroom, tmp_path):
    source, target, dest = tmp_path / "site", tmp_path / "restored", tmp_path / "backup"
    shutil.copytree(newsroom, source)
    env = embedded_env(source)
    result, before, after = backup_while_writing(env, dest, tmp_path)
    # The backup ran while stories, pictures and readers were being added.
    assert after > before >= 3, (before, after)
    assert "Storage 'private': 1 files." in result.stdout

    manifest = json.loads((dest / "manifest.json").read_text())
    assert manifest["profile"] == "embedded"
    assert manifest["newsdesk_version"] == "0.1.0"
    assert "0003_rate_counters" in manifest["migrations"]["core"]
    assert manifest["rows"]["articles_articlepage"] >= 14 + before
    assert manifest["database"]["sha256"] == sha256(dest / "database.sqlite3")
    assert {"media/documents/budget.pdf", "private/narration/1/sample.mp3"} <= {
        entry["path"] for entry in manifest["files"]
    }
    assert oct(dest.stat().st_mode & 0o777) == "0o700"

    restored = newsdesk(embedded_env(target), "restore", str(dest))
    assert "articles_articlepage: {} rows".format(manifest["rows"]["articles_articlepage"]) in (
        restored.stdout
    )
    assert "as in the manifest" in restored.stdout
    with sqlite3.connect(target / "newsdesk.sqlite3") as db:
        assert_restored(
            manifest,
            dest,
            db.cursor(),
            {"default": target / "media", "private": target / "private"},
        )
        headlines = {title for (title,) in db.execute("SELECT title FROM wagtailcore_page")}
        assert {f"Written during the backup {i}" for i in range(1, before + 1)} <= headlines
    # The restored folder signs with the same key, so links already mailed keep working.
    assert (target / "secret_key").read_text() == (source / "secret_key").read_text()
    # The restored newsroom runs, after the drill's collectstatic (static files are not data):
    # the home page and a story written during the backup are served.
    newsdesk(embedded_env(target), "collectstatic", "--noinput", "-v0")
    story = f"/{section_slug(target)}/during-backup-1/"
    check = newsdesk(
        embedded_env(target),
        "shell",
        "-c",
        "from django.test import Client; c = Client(); "
        f"print(c.get('/', HTTP_HOST='localhost').status_code, "
        f"c.get('{story}', HTTP_HOST='localhost').status_code)",
    )
    assert check.stdout.splitlines()[-1] == "200 200"


def assert_untouched(data_dir):
    """A fresh data folder that a refused restore left as it was: no table, no media."""
    with sqlite3.connect(data_dir / "newsdesk.sqlite3") as db:
        assert db.execute("SELECT name FROM sqlite_master").fetchall() == []
    assert not (data_dir / "media").exists() or not any((data_dir / "media").rglob("*.*"))


@pytest.mark.parametrize(
    "damaged", ["database.sqlite3", "media/documents/budget.pdf", "secret_key"]
)
def test_a_damaged_backup_is_refused_and_nothing_changes(backed_up, tmp_path, damaged):
    _, backup = backed_up
    copy = tmp_path / "backup"
    shutil.copytree(backup, copy)
    with open(copy / damaged, "r+b") as f:
        first = f.read(1)
        f.seek(0)
        f.write(bytes([first[0] ^ 1]))
    result = newsdesk(embedded_env(tmp_path / "target"), "restore", str(copy), check=False)
    assert result.returncode == 1
    assert f"{damaged} does not match its checksum" in result.stderr
    assert "nothing was restored" in result.stderr
    assert_untouched(tmp_path / "target")


def test_a_backup_with_a_missing_file_or_a_broken_manifest_is_refused(backed_up, tmp_path):
    _, backup = backed_up
    copy = tmp_path / "backup"
    shutil.copytree(backup, copy)
    (copy / "private/narration/1/sample.mp3").unlink()
    result = newsdesk(embedded_env(tmp_path / "target"), "restore", str(copy), check=False)
    assert "private/narration/1/sample.mp3 is missing from the backup" in result.stderr

    manifest = json.loads((copy / "manifest.json").read_text())
    for key, value, error in [
        ("rows", {'x"; DROP TABLE auth_user; --': 1}, "a table name or row count that is not one"),
        ("files", [{**manifest["files"][0], "storage": "elsewhere"}], "the storage 'elsewhere'"),
    ]:
        (copy / "manifest.json").write_text(json.dumps({**manifest, key: value}))
        result = newsdesk(embedded_env(tmp_path / "target"), "restore", str(copy), check=False)
        assert error in result.stderr

    manifest["files"][0]["path"] = "../../etc/passwd"
    (copy / "manifest.json").write_text(json.dumps(manifest))
    result = newsdesk(embedded_env(tmp_path / "target"), "restore", str(copy), check=False)
    assert "names a file outside its place: '../../etc/passwd'" in result.stderr

    (copy / "manifest.json").write_text("{not json")
    result = newsdesk(embedded_env(tmp_path / "target"), "restore", str(copy), check=False)
    assert "manifest.json is not valid JSON" in result.stderr
    assert_untouched(tmp_path / "target")


def test_a_backup_of_the_other_profile_is_refused(backed_up, tmp_path):
    _, backup = backed_up
    copy = tmp_path / "backup"
    shutil.copytree(backup, copy)
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["profile"] = "production"
    (copy / "manifest.json").write_text(json.dumps(manifest))
    result = newsdesk(embedded_env(tmp_path / "target"), "restore", str(copy), check=False)
    assert result.returncode == 1
    assert "backup is of the production profile and this newsdesk runs the embedded" in (
        result.stderr
    )
    assert_untouched(tmp_path / "target")


def test_a_newsroom_with_data_is_replaced_only_with_force(backed_up, tmp_path):
    site, backup = backed_up
    shutil.copytree(site, tmp_path / "other")
    env = embedded_env(tmp_path / "other")
    newsdesk(
        env,
        "shell",
        "-c",
        "from newsdesk.feed.models import NewsItem; NewsItem.objects.all().delete()",
    )
    refused = newsdesk(env, "restore", str(backup), check=False)
    assert refused.returncode == 1
    assert "This newsdesk is not empty: " in refused.stderr
    assert "articles_articlepage (14 rows)" in refused.stderr
    assert "pass --force" in refused.stderr
    with sqlite3.connect(tmp_path / "other/newsdesk.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM feed_newsitem").fetchone()[0] == 0

    newsdesk(env, "restore", "--force", str(backup))
    manifest = json.loads((backup / "manifest.json").read_text())
    with sqlite3.connect(tmp_path / "other/newsdesk.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM feed_newsitem").fetchone()[0] == 10
        assert_restored(
            manifest,
            backup,
            db.cursor(),
            {"default": tmp_path / "other/media", "private": tmp_path / "other/private"},
        )


def test_a_backup_of_an_older_version_migrates_forward_and_dated_backups_are_kept(
    backed_up, tmp_path
):
    site, _ = backed_up
    shutil.copytree(site, tmp_path / "old")
    env = embedded_env(tmp_path / "old")
    # As an older newsdesk left it: without core's latest migration.
    newsdesk(env, "migrate", "core", "0002", "-v0")
    into = tmp_path / "nightly"
    for _ in range(3):
        result = newsdesk(env, "backup", "--into", str(into), "--tar", "--keep", "2")
        time.sleep(1.1)  # dated to the second
    kept = sorted(into.iterdir())
    assert len(kept) == 2 and all(path.suffix == ".tar" for path in kept)
    assert "Removed the older backup" in result.stdout

    target = tmp_path / "new"
    restored = newsdesk(embedded_env(target), "restore", str(kept[-1]))
    assert "Migrated to this newsdesk's version." in restored.stdout
    with sqlite3.connect(target / "newsdesk.sqlite3") as db:
        applied = {
            name for (name,) in db.execute("SELECT name FROM django_migrations WHERE app='core'")
        }
        assert "0003_rate_counters" in applied
        assert db.execute("SELECT COUNT(*) FROM articles_articlepage").fetchone()[0] == 14
    pending = newsdesk(embedded_env(target), "migrate", "--check", check=False)
    assert pending.returncode == 0, pending.stdout


def test_a_backup_is_never_written_over_an_existing_one(backed_up):
    site, backup = backed_up
    result = newsdesk(embedded_env(site), "backup", str(backup), check=False)
    assert result.returncode == 1
    assert "already exists" in result.stderr


@pytest.mark.production
def test_a_postgresql_backup_taken_while_written_to_restores_into_a_new_database(tmp_path):
    params = connection.settings_dict
    names = [f"{params['NAME']}_source", f"{params['NAME']}_restore"]
    admin = {
        "host": params.get("HOST") or "127.0.0.1",
        "port": params.get("PORT") or 5432,
        "user": params.get("USER") or "postgres",
        "password": params.get("PASSWORD") or None,
    }

    def url(name):
        return f"postgres://{admin['user']}@{admin['host']}:{admin['port']}/{name}"

    def production_env(name, data_dir):
        env = embedded_env(data_dir)
        env.update(
            DATABASE_URL=url(name),
            SECRET_KEY="s" * 20 + "0123456789abcdefghijklmnopqrstuvwxyz-secret",
            ALLOWED_HOSTS="localhost",
        )
        if admin["password"]:
            env["PGPASSWORD"] = admin["password"]
        return env

    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as server:
        for name in names:
            server.execute(f'DROP DATABASE IF EXISTS "{name}"')
            server.execute(f'CREATE DATABASE "{name}"')
    try:
        env = production_env(names[0], tmp_path / "site")
        make_newsroom(env)
        dest = tmp_path / "backup"
        _, before, after = backup_while_writing(env, dest, tmp_path)
        assert after > before >= 3, (before, after)
        manifest = json.loads((dest / "manifest.json").read_text())
        assert manifest["profile"] == "production"
        assert manifest["database"]["path"] == "database.pgdump"
        assert manifest["database"]["sha256"] == sha256(dest / "database.pgdump")

        target = tmp_path / "restored"
        restored = newsdesk(production_env(names[1], target), "restore", str(dest))
        assert "as in the manifest" in restored.stdout
        with psycopg.connect(dbname=names[1], **admin) as db, db.cursor() as cursor:
            assert_restored(
                manifest, dest, cursor, {"default": target / "media", "private": target / "private"}
            )
            cursor.execute("SELECT title FROM wagtailcore_page")
            headlines = {title for (title,) in cursor.fetchall()}
        assert {f"Written during the backup {i}" for i in range(1, before + 1)} <= headlines

        # The restored database is not empty any more.
        again = newsdesk(production_env(names[1], target), "restore", str(dest), check=False)
        assert "This newsdesk is not empty" in again.stderr
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **admin) as server:
            for name in names:
                server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_the_nightly_unit_runs_a_dated_backup(backed_up, tmp_path):
    site, _ = backed_up
    unit = (Path(__file__).parents[3] / "deploy/systemd/newsdesk-backup.service").read_text()
    command = next(line for line in unit.splitlines() if line.startswith("ExecStart="))
    args = command.removeprefix("ExecStart=").split()
    assert args[:4] == [
        "/srv/newsdesk/.venv/bin/newsdesk",
        "backup",
        "--into",
        "/srv/newsdesk/backups",
    ]
    assert args[4:] == ["--keep", "14"]
    newsdesk(embedded_env(site), *args[1:3], str(tmp_path), *args[4:])
    (made,) = (path for path in tmp_path.iterdir() if path.name.startswith("newsdesk-"))
    assert re.fullmatch(r"newsdesk-\d{8}T\d{6}Z", made.name)
    assert json.loads((made / "manifest.json").read_text())["rows"]["articles_articlepage"] == 14


# Run by `newsdesk shell -c` in a newsroom whose media are in a bucket: a picture with a
# rendition, a document and a private file (a story's narration), and what they are named.
BUCKET_SETUP = """
import io, json
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.files.storage import storages
from PIL import Image
from wagtail.documents.models import Document
from newsdesk.images.models import NewsImage
picture = io.BytesIO()
Image.new("RGB", (120, 80), (200, 90, 40)).save(picture, "JPEG")
image = NewsImage.objects.create(title="Harbour", file=ImageFile(picture, name="harbour.jpg"))
rendition = image.get_rendition("fill-60x40")
document = Document.objects.create(title="Budget", file=ContentFile(b"%PDF-1.4 budget", name="budget.pdf"))
storages["private"].save("narration/1/sample.mp3", ContentFile(b"ID3" + bytes(range(256)) * 40))
print(json.dumps({"image": image.pk, "rendition": rendition.file.name, "document": document.pk}))
"""

# Run in the restored newsroom: the picture's and the document's addresses and what they give.
BUCKET_CHECK = """
import hashlib, json, os, urllib.request
from django.test import Client
from wagtail.documents.models import Document
from newsdesk.images.models import NewsImage
ids = json.loads(os.environ["SET_UP"])
rendition = NewsImage.objects.get(pk=ids["image"]).get_rendition("fill-60x40")
picture = urllib.request.urlopen(rendition.url).read()
response = Client().get(Document.objects.get(pk=ids["document"]).url, HTTP_HOST="localhost")
if response.status_code == 302:
    document = urllib.request.urlopen(response["Location"]).read()
else:
    document = b"".join(response.streaming_content) if response.streaming else response.content
print(json.dumps({
    "rendition": rendition.file.name, "picture_url": rendition.url, "status": response.status_code,
    "picture": hashlib.sha256(picture).hexdigest(), "document": document.decode(),
}))
"""


def bucket_objects(s3_server, bucket):
    """Every object's key in the bucket and the sha256 of its bytes, read with boto3 directly."""
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=f"http://{s3_server}",
        aws_access_key_id="test-key",
        aws_secret_access_key="test/secret",
        region_name="eu-central-1",
    )
    objects = {}
    for listed in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in listed.get("Contents", []):
            body = client.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
            objects[item["Key"]] = hashlib.sha256(body).hexdigest()
    return objects


def bucket_env(data_dir, s3_server, bucket):
    """An embedded newsroom's environment with its media in a bucket of its own, set up."""
    env = {
        **embedded_env(data_dir),
        "NEWSDESK_S3_URL": f"s3://test-key:test%2Fsecret@{s3_server}/{bucket}?region=eu-central-1",
    }
    newsdesk(env, "media_bucket", "--apply")
    return env


def test_a_newsroom_in_a_bucket_restores_into_another_bucket_object_for_object(s3_server, tmp_path):
    import uuid

    source_bucket, target_bucket = (f"backup-{uuid.uuid4().hex[:12]}" for _ in range(2))
    env = bucket_env(tmp_path / "site", s3_server, source_bucket)
    newsdesk(env, "migrate", "-v0")
    ids = newsdesk(env, "shell", "-c", BUCKET_SETUP).stdout.splitlines()[-1]
    rendition = json.loads(ids)["rendition"]
    source = bucket_objects(s3_server, source_bucket)
    assert {"original_images/harbour.jpg", rendition, "documents/budget.pdf"} <= set(source)
    assert "private/narration/1/sample.mp3" in source
    assert not (tmp_path / "site/media").exists() and not (tmp_path / "site/private").exists()

    dest = tmp_path / "backup"
    result = newsdesk(env, "backup", str(dest))
    assert "Storage 'private': 1 files." in result.stdout
    manifest = json.loads((dest / "manifest.json").read_text())
    # Each object once, under its own storage: the private file is no public one of the
    # default storage, whose folder in the bucket holds the private storage's.
    backed_up = {
        ("private/" if entry["storage"] == "private" else "") + entry["name"]: entry["sha256"]
        for entry in manifest["files"]
    }
    assert backed_up == source
    assert len(manifest["files"]) == len(source)
    assert not any(entry["name"].startswith("private/") for entry in manifest["files"])

    # A target bucket that holds anything is not restored into without --force: here a file
    # of the private storage alone, which the listing of the default storage must not count.
    target = bucket_env(tmp_path / "restored", s3_server, target_bucket)
    newsdesk(
        target,
        "shell",
        "-c",
        "from django.core.files.base import ContentFile; from django.core.files.storage import "
        "storages; storages['private'].save('narration/1/sample.mp3', ContentFile(b'stale'))",
    )
    refused = newsdesk(target, "restore", str(dest), check=False)
    assert refused.returncode == 1
    assert "This newsdesk is not empty: files in the 'private' storage." in refused.stderr
    assert "'default'" not in refused.stderr
    assert bucket_objects(s3_server, target_bucket) == {
        "private/narration/1/sample.mp3": hashlib.sha256(b"stale").hexdigest()
    }

    restored = newsdesk(target, "restore", "--force", str(dest))
    assert f"Storage 'default': {len(source) - 1} files restored." in restored.stdout
    assert bucket_objects(s3_server, target_bucket) == source
    assert bucket_objects(s3_server, source_bucket) == source
    assert not (tmp_path / "restored/media").exists()

    # The restored site serves the picture from its own bucket and the document through the app.
    check = newsdesk({**target, "SET_UP": ids}, "shell", "-c", BUCKET_CHECK)
    served = json.loads(check.stdout.splitlines()[-1])
    assert served["rendition"] == rendition
    assert served["picture_url"].startswith(f"http://{s3_server}/{target_bucket}/images/")
    assert served["picture"] == source[rendition]
    assert served["document"] == "%PDF-1.4 budget"
