"""The shipped nginx configuration (deploy/nginx/newsdesk.conf), run by Debian's nginx in front of a live server."""

import gzip
import re
import urllib.error
import urllib.request

import pytest

from newsdesk.core.views import FAVICON

from .servers import fetch, start_nginx, stop

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def front(live_site, settings, tmp_path, publish_article):
    """nginx with the shipped site configuration, proxying to the live server; files in its static and media roots."""
    settings.PAGE_CACHE_SECONDS = 60
    static_root, media_root = tmp_path / "static-root", tmp_path / "media-root"
    (static_root / "newsdesk").mkdir(parents=True)
    (static_root / "newsdesk" / "site.0123abcd.css").write_text("body { color: #222; }\n" * 200)
    (static_root / "newsdesk" / "favicon.ico").write_bytes(FAVICON.read_bytes())
    (media_root / "narration").mkdir(parents=True)
    (media_root / "narration" / "story.mp3").write_bytes(b"ID3" + bytes(1000))
    upstream_port = int(live_site.url.rsplit(":", 1)[1])
    process, port = start_nginx(tmp_path / "nginx", upstream_port, static_root, media_root)
    yield f"http://127.0.0.1:{port}", publish_article("Bridge reopens")
    stop(process)


def test_readers_pages_come_through_the_micro_cache(front):
    base, article = front
    status, headers, body = fetch(base + article.url)
    assert status == 200 and b"Bridge reopens" in body
    assert headers["X-Micro-Cache"] in {"MISS", "EXPIRED"}
    status, headers, _ = fetch(base + article.url)
    assert headers["X-Micro-Cache"] in {"HIT", "UPDATING"}
    assert (
        "s-maxage" in headers["Cache-Control"]
    )  # newsdesk's own headers pass on to browsers and CDNs


def test_signed_in_users_and_private_paths_bypass_the_micro_cache(front):
    base, article = front
    fetch(base + article.url)
    status, headers, _ = fetch(base + article.url, headers={"Cookie": "sessionid=abc"})
    assert status == 200 and headers["X-Micro-Cache"] == "BYPASS"
    fetch(base + "/admin/login/")
    _, headers, _ = fetch(base + "/admin/login/")
    assert headers["X-Micro-Cache"] == "BYPASS"


def test_health_checks_pass_through_never_kept_with_nginx_request_id(front):
    base, _ = front
    ids = set()
    for _ in range(2):
        status, headers, body = fetch(base + "/healthz")
        assert status == 200 and body == b'{"status": "ok"}'
        assert "X-Micro-Cache" not in headers and "no-store" in headers["Cache-Control"]
        assert re.fullmatch(r"[0-9a-f]{32}", headers["X-Request-ID"])  # nginx's $request_id
        ids.add(headers["X-Request-ID"])
    assert len(ids) == 2
    status, headers, body = fetch(base + "/metrics")  # from loopback, through the proxy
    assert status == 200 and b"newsdesk_http_requests_total" in body
    assert "X-Micro-Cache" not in headers


def test_static_and_media_files_are_served_by_nginx_compressed(front):
    base, _ = front
    status, headers, body = fetch(
        base + "/static/newsdesk/site.0123abcd.css", headers={"Accept-Encoding": "gzip"}
    )
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body).startswith(b"body { color: #222; }")
    assert "immutable" in headers["Cache-Control"]
    assert "Server" in headers and headers["Server"].startswith("nginx")
    status, headers, body = fetch(
        base + "/media/narration/story.mp3", headers={"Range": "bytes=0-2"}
    )
    assert status == 206 and body == b"ID3"


def test_favicon_ico_is_answered_by_nginx_from_the_collected_static_files(front):
    base, _ = front
    status, headers, body = fetch(base + "/favicon.ico")
    assert status == 200 and body == FAVICON.read_bytes()
    assert "max-age=86400" in headers["Cache-Control"]
    assert "X-Micro-Cache" not in headers  # nginx's own file, not the app's answer


def test_pages_are_compressed(front):
    base, article = front
    status, headers, body = fetch(base + article.url, headers={"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert b"Bridge reopens" in gzip.decompress(body)


def test_documents_are_served_only_through_the_app_which_checks_restrictions(
    live_site, settings, tmp_path, documents
):
    public, restricted = documents
    upstream_port = int(live_site.url.rsplit(":", 1)[1])
    process, port = start_nginx(
        tmp_path / "nginx", upstream_port, tmp_path / "static-root", settings.MEDIA_ROOT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for document in (public, restricted):
            name = document.file.name.removeprefix("documents/")
            for folder in ("documents", "/documents", "./documents", "%64ocuments"):
                status, _, body = fetch(f"{base}/media/{folder}/{name}")
                assert status == 404 and b"%PDF" not in body
        _, _, body = fetch(base + restricted.url)  # redirected to sign in
        assert b"%PDF" not in body and b'name="password"' in body
        status, _, body = fetch(base + public.url)
        assert status == 200 and body == b"%PDF public"
    finally:
        stop(process)


def post(url, size):
    request = urllib.request.Request(
        url, data=b"x" * size, headers={"Content-Type": "application/octet-stream"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_bodies_are_limited_as_the_app_limits_them(front):
    base, _ = front
    assert post(base + "/newsletters/subscribe/", 2 * 1024 * 1024) == 413
    # The admin's uploads go through, to be refused or taken by the app.
    assert post(base + "/admin/images/multiple/add/", 3 * 1024 * 1024) != 413
