"""Media in an S3-compatible bucket (NEWSDESK_S3_URL), against a real S3 server (moto's)."""

import io
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.core.management import CommandError, call_command

from newsdesk.core.tests.servers import fetch
from newsdesk.settings import s3_settings

pytestmark = pytest.mark.django_db


def options(url, media_url=""):
    found = s3_settings(url, media_url)["STORAGES"]
    return found["default"]["OPTIONS"], found["private"]["OPTIONS"]


def test_the_url_gives_key_secret_endpoint_bucket_and_region():
    url = "s3://AKIA1:se%2Fcr%40et@minio.internal:9000/news?region=eu-central-1"
    found = s3_settings(url)
    assert found["AWS_S3_ACCESS_KEY_ID"] == "AKIA1"
    assert found["AWS_S3_SECRET_ACCESS_KEY"] == "se/cr@et"
    public, private = options(url)
    for storage in (public, private):
        assert "se/cr@et" not in str(storage)  # the storages' options go into queued tasks
        assert storage["endpoint_url"] == "https://minio.internal:9000"
        assert storage["bucket_name"] == "news" and storage["region_name"] == "eu-central-1"
        assert storage["file_overwrite"] is False
    assert public["querystring_auth"] is False and "location" not in public
    assert private["querystring_auth"] is True and private["location"] == "private"


@pytest.mark.parametrize(
    "url, endpoint",
    [
        ("s3://k:s@127.0.0.1:9000/news", "http://127.0.0.1:9000"),
        ("s3://k:s@localhost:9000/news", "http://localhost:9000"),
        ("s3://k:s@127.0.0.5:9000/news", "http://127.0.0.5:9000"),
        ("s3://k:s@[::1]:9000/news", "http://[::1]:9000"),
        ("s3://k:s@minio:9000/news?secure=false", "http://minio:9000"),
        ("s3://k:s@127.0.0.1:9000/news?secure=true", "https://127.0.0.1:9000"),
        ("s3://k:s@s3.eu-central-1.amazonaws.com/news", "https://s3.eu-central-1.amazonaws.com"),
    ],
)
def test_plain_http_only_on_loopback_or_when_asked(url, endpoint):
    assert options(url)[0]["endpoint_url"] == endpoint


def test_without_a_key_boto3_finds_its_own_credentials():
    found = s3_settings("s3://s3.eu-central-1.amazonaws.com/news")
    assert found["AWS_S3_ACCESS_KEY_ID"] is None and found["AWS_S3_SECRET_ACCESS_KEY"] is None


def test_a_cdn_in_front_gives_pictures_its_address():
    public, private = options("s3://k:s@minio:9000/news", "https://media.example.org/news/")
    assert public["custom_domain"] == "media.example.org/news"
    assert public["url_protocol"] == "https:"
    assert "custom_domain" not in private  # private files are never behind the CDN


@pytest.mark.parametrize(
    "url",
    [
        "https://k:s@minio:9000/news",
        "s3://k:s@minio:9000/",
        "s3://k:s@minio:9000/news/photos",
        "s3://k:s@/news",
        "s3://k:s@minio:port/news",
        "s3://k@minio:9000/news",
        "s3://k:s@minio:9000/news?regoin=eu-central-1",
        "s3://k:s@minio:9000/news?secure=maybe",
    ],
)
def test_a_malformed_url_says_what_is_expected_and_never_shows_the_secret(url):
    with pytest.raises(ImproperlyConfigured, match=r"NEWSDESK_S3_URL must look like s3://") as e:
        s3_settings(url)
    assert ":s@" not in str(e.value)


def test_a_malformed_cdn_address_is_refused():
    with pytest.raises(ImproperlyConfigured, match="NEWSDESK_MEDIA_URL"):
        s3_settings("s3://k:s@minio:9000/news", "media.example.org")


def test_the_settings_take_the_bucket_and_let_pages_show_its_pictures(tmp_path):
    code = (
        "import newsdesk.settings as s;"
        "print(s.STORAGES['default']['BACKEND'], s.STORAGES['private']['BACKEND'],"
        "s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'][-1])"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "NEWSDESK_DATA_DIR": str(tmp_path),
        "NEWSDESK_S3_URL": "s3://k:s@minio.internal:9000/news",
        "NEWSDESK_MEDIA_URL": "https://media.example.org",
    }
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "newsdesk.core.storage.MediaStorage",
        "storages.backends.s3.S3Storage",
        "https://media.example.org",
    ]
    env["NEWSDESK_S3_URL"] = "s3://k:s@minio.internal:9000"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "NEWSDESK_S3_URL must look like" in result.stderr


def test_pictures_are_public_at_stable_addresses_and_nothing_else_is(s3_media, newsroom):
    image = newsroom["image"]
    rendition = image.get_rendition("fill-100x100")
    for url in (image.file.url, rendition.url):
        assert url.startswith(f"{s3_media}/") and "?" not in url  # unsigned: pages can be cached
        status, headers, body = fetch(url)
        assert status == 200 and body.startswith(b"\xff\xd8")
        assert headers["Cache-Control"] == "public, max-age=86400"

    document = default_storage.save("documents/board-minutes.pdf", ContentFile(b"%PDF secret"))
    audio = storages["private"].save("narration/7/abc.mp3", ContentFile(b"ID3 secret"))
    upload = storages["private"].save("subscriber-imports/list.csv", ContentFile(b"email\n"))
    for key in (document, f"private/{audio}", f"private/{upload}"):
        status, _, body = fetch(f"{s3_media}/{key}")  # no credentials: any reader
        assert status == 403 and b"secret" not in body

    # Addresses handed out for them are signed and expire within minutes.
    for url in (default_storage.url(document), storages["private"].url(audio)):
        assert "X-Amz-Signature=" in url and "X-Amz-Expires=300" in url
        assert b"secret" in fetch(url)[2]


def test_a_picture_s_address_is_the_one_boto3_would_give(s3_media, settings):
    from storages.backends.s3 import S3Storage

    reference = S3Storage(**settings.STORAGES["default"]["OPTIONS"])
    for name in ("images/river.fill-800x450.jpg", "original_images/Київ на світанку (1).jpg"):
        assert default_storage.url(name) == reference.url(name)
        assert default_storage.url(name).startswith(f"{s3_media}/")


def test_the_cdn_address_is_used_for_pictures(s3_media, settings, newsroom):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            **settings.STORAGES["default"],
            "OPTIONS": {
                **settings.STORAGES["default"]["OPTIONS"],
                "custom_domain": "media.example.org",
            },
        },
    }
    image = newsroom["image"]
    assert image.file.url == f"https://media.example.org/{image.file.name}"
    assert default_storage.url("documents/a.pdf").startswith(s3_media)  # signed, from the bucket


def test_the_media_route_is_the_disks_only(s3_media, client, newsroom):
    image = newsroom["image"]
    assert client.get(f"/media/{image.file.name}").status_code == 404


def test_media_on_the_disk_move_to_the_bucket_and_again_changes_nothing(
    settings, s3_media, tmp_path
):
    (settings.MEDIA_ROOT / "original_images").mkdir(parents=True)
    (settings.MEDIA_ROOT / "original_images" / "river.jpg").write_bytes(b"\xff\xd8 river")
    private_root = settings.MEDIA_ROOT.parent / "private-on-disk"
    (private_root / "narration" / "3").mkdir(parents=True)
    (private_root / "narration" / "3" / "abc.mp3").write_bytes(b"ID3 story")

    out = io.StringIO()
    call_command("media_to_s3", media=settings.MEDIA_ROOT, private=private_root, stdout=out)
    assert "1 copied, 0 already there" in out.getvalue()
    assert fetch(f"{s3_media}/original_images/river.jpg")[2] == b"\xff\xd8 river"
    assert storages["private"].open("narration/3/abc.mp3").read() == b"ID3 story"
    assert fetch(f"{s3_media}/private/narration/3/abc.mp3")[0] == 403

    out = io.StringIO()
    call_command("media_to_s3", media=settings.MEDIA_ROOT, private=private_root, stdout=out)
    assert out.getvalue().count("0 copied, 1 already there") == 2
    assert storages["private"].listdir("narration/3")[1] == ["abc.mp3"]

    out = io.StringIO()
    call_command("media_to_s3", media=settings.MEDIA_ROOT, private=tmp_path / "none", stdout=out)
    assert "no such folder, nothing to copy" in out.getvalue()
    with pytest.raises(CommandError, match="Neither"):
        call_command("media_to_s3", media=tmp_path / "none", private=tmp_path / "none")


def test_the_commands_need_object_storage(tmp_path):
    for command in ("media_bucket", "media_to_s3"):
        with pytest.raises(CommandError, match="NEWSDESK_S3_URL"):
            call_command(command, stdout=io.StringIO())


def test_the_policy_grants_reading_the_picture_folders_only(s3_media):
    out = io.StringIO()
    call_command("media_bucket", stdout=out)
    bucket = s3_media.rsplit("/", 1)[1]
    assert f"arn:aws:s3:::{bucket}/images/*" in out.getvalue()
    assert f"arn:aws:s3:::{bucket}/original_images/*" in out.getvalue()
    assert "private" not in out.getvalue() and "documents" not in out.getvalue()


@pytest.mark.production
@pytest.mark.django_db(transaction=True)
def test_two_web_servers_without_a_shared_disk_serve_the_bucket_s_media(
    s3_media, s3_server, live_site, tmp_path, newsroom, publish_article, documents, page
):
    """`newsdesk web` twice, each with a data folder of its own, on one NEWSDESK_S3_URL."""
    import shutil
    import urllib.parse

    from bs4 import BeautifulSoup
    from django.conf import settings
    from django.db import connection

    from newsdesk.core.tests.servers import (
        database_url_of,
        free_port,
        newsdesk_process,
        production_env,
        stop,
        wait_for,
    )

    article = publish_article("Bridge reopens", lead_image=newsroom["image"])
    public_document, _ = documents
    bucket = s3_media.rsplit("/", 1)[1]
    s3_url = f"s3://test-key:test%2Fsecret@{s3_server}/{bucket}?region=eu-central-1"
    processes, bases = [], []
    try:
        for number in (1, 2):
            folder = tmp_path / f"server-{number}"
            folder.mkdir()
            env = production_env(
                folder, database_url_of(connection), settings.REDIS_URL, NEWSDESK_S3_URL=s3_url
            )
            if number == 1:
                subprocess.run(
                    [sys.executable, "-m", "newsdesk", "collectstatic", "--noinput", "-v0"],
                    env=env,
                    check=True,
                )
            else:  # each server has its own copy of the static files, as on its own disk
                shutil.copytree(tmp_path / "server-1" / "static", folder / "static")
            port = free_port()
            processes.append(newsdesk_process("web", env, "--bind", f"127.0.0.1:{port}"))
            bases.append(f"http://127.0.0.1:{port}")
        for base in bases:
            wait_for(base + "/healthz")

        for base in bases:
            status, headers, body = fetch(base + article.url)
            assert status == 200
            assert f"img-src 'self' data: http://{s3_server}" in headers["Content-Security-Policy"]
            img = BeautifulSoup(body, "html.parser").select_one(".article__lead-image img")
            for entry in img["srcset"].split(","):
                address = entry.split()[0]
                assert address.startswith(f"{s3_media}/images/")
                assert fetch(address)[2].startswith(b"\xff\xd8")
            status, _, body = fetch(base + urllib.parse.quote(public_document.url))
            assert status == 200 and body == b"%PDF public"
            assert fetch(f"{base}/media/{newsroom['image'].file.name}")[0] == 404

        # A reader's browser shows the picture from the bucket under the site's policy.
        refused = []
        page.on(
            "console",
            lambda message: (
                refused.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        page.goto(bases[1] + article.url, timeout=60_000)
        page.wait_for_load_state("networkidle")
        width = page.locator(".article__lead-image img").evaluate("img => img.naturalWidth")
        assert width > 0 and refused == [], refused
    finally:
        for process in processes:
            stop(process)


def test_a_deleted_picture_leaves_the_bucket_and_its_queued_deletion_holds_no_secret(
    s3_media, newsroom, queued_tasks, run_tasks, django_capture_on_commit_callbacks
):
    image = newsroom["image"]
    name = image.file.name
    assert default_storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        image.delete()
    waiting = queued_tasks()
    assert any(path.endswith("delete_file_from_storage_task") for path, _, _ in waiting)
    assert "test/secret" not in repr(waiting) and "test-key" not in repr(waiting)
    run_tasks()  # the worker finds the key in its own settings
    assert not default_storage.exists(name)


def test_a_private_file_is_streamed_from_where_it_is_asked(s3_media, rf):
    """Seeking in a story's audio reads from there, not the whole object first."""
    from django.http import FileResponse

    from newsdesk.core.storage import ObjectReader, open_for_streaming, private_storage
    from newsdesk.core.views import ranged

    content = bytes(range(256)) * 4096  # 1 MiB
    name = private_storage.save("narration/9/abc.mp3", ContentFile(content))
    asked = []
    private_storage.connection.meta.client.meta.events.register(
        "before-parameter-build.s3.GetObject",
        lambda params, **kwargs: asked.append(params.get("Range")),
    )
    reader = open_for_streaming(private_storage, name)
    assert isinstance(reader, ObjectReader)
    response = ranged(
        rf.get("/", headers={"Range": "bytes=1000000-1000009"}),
        FileResponse(reader, content_type="audio/mpeg"),
    )
    assert (
        response.status_code == 206
        and response["Content-Range"] == f"bytes 1000000-1000009/{len(content)}"
    )
    assert b"".join(response.streaming_content) == content[1000000:1000010]
    assert asked == ["bytes=1000000-"]

    with open_for_streaming(private_storage, name) as reader:
        assert reader.read() == content and reader.read() == b""
        assert reader.seek(-3, io.SEEK_END) == len(content) - 3 and reader.read(10) == content[-3:]
