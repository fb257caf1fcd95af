"""`newsdesk web` (gunicorn) meeting hostile requests: what it logs, what it routes, what it reads.

Its database is away, so every page is a 503: what is checked here happens
before Django would need it.
"""

import http.client
import io
import logging

import pytest
from django.conf import settings
from django.core import signing
from django.db import connection
from django.test import override_settings

from newsdesk.core.accesslog import WithoutSignedValues
from newsdesk.core.bodylimit import BodyLimit, body_limit

from .servers import (
    database_url_of,
    fetch,
    free_port,
    newsdesk_process,
    output_of,
    production_env,
    start_web,
    stop,
    wait_for,
    wait_until,
)

# The server is another process; this marker only lets the session's database fixtures run.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    folder = tmp_path_factory.mktemp("web")
    env = production_env(
        folder,
        f"postgres://newsdesk@127.0.0.1:{free_port()}/newsdesk",
        None,
        NEWSDESK_DB_POOL_TIMEOUT="1",
    )
    port = free_port()
    process = newsdesk_process("web", env, "--bind", f"127.0.0.1:{port}")
    process.host, process.port = "127.0.0.1", port
    wait_for(f"http://127.0.0.1:{port}/media/none")
    yield process
    stop(process)


def send(web, method, path, body=None, headers=None, chunked=False):
    connection = http.client.HTTPConnection(web.host, web.port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {}, encode_chunked=chunked)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_signed_links_are_logged_without_their_signed_value(web):
    token = signing.dumps(42, salt="newsdesk.newsletters.preferences")
    path = f"/newsletters/preferences/{token}/?done=saved"
    fetch(
        f"http://{web.host}:{web.port}{path}", headers={"Referer": f"https://mail.example/{token}"}
    )
    # gunicorn writes the access line after the response has gone.
    log = wait_until(
        lambda: (
            "/newsletters/preferences/[signed]/?done=saved" in output_of(web) and output_of(web)
        ),
        10,
        "no access line for the preferences link",
    )
    assert token not in log and token.rsplit(":", 1)[1] not in log


@pytest.mark.production
@pytest.mark.django_db(transaction=True)
def test_a_forwarded_path_prefix_neither_routes_nor_poisons_the_page_cache(
    live_site,
    tmp_path,
    newsroom,
    collected_static,
):
    env = production_env(
        tmp_path, database_url_of(connection), settings.REDIS_URL, NEWSDESK_PAGE_CACHE_SECONDS="60"
    )
    web = start_web(env, collected_static)
    try:
        wait_for(web.url + "/")
        web.host, web.port = "127.0.0.1", int(web.url.rsplit(":", 1)[1])
        # Believed, the header would route /city/ to the home page ("/"), and the
        # page cache would keep that under /city/ for every later reader.
        status, body = send(web, "GET", "/city/", headers={"SCRIPT_NAME": "/city"})
        assert status == 200 and b"<h1>City</h1>" in body
        status, body = send(web, "GET", "/city/")
        assert status == 200 and b"<h1>City</h1>" in body
    finally:
        stop(web)


def test_a_body_larger_than_its_limit_is_refused_before_it_is_read(web):
    connection = http.client.HTTPConnection(web.host, web.port, timeout=30)
    try:
        # The headers alone: a server that waited for 50 MB would never answer.
        connection.putrequest("POST", "/newsletters/subscribe/")
        connection.putheader("Content-Type", "application/x-www-form-urlencoded")
        connection.putheader("Content-Length", str(50 * 1024 * 1024))
        connection.endheaders()
        response = connection.getresponse()
        assert response.status == 413
    finally:
        connection.close()
    assert send(web, "POST", "/newsletters/subscribe/", headers={"Content-Length": "9" * 5000})[
        0
    ] in (400, 413)


def test_the_admin_takes_uploads_larger_than_readers_forms(web):
    status, _ = send(
        web,
        "POST",
        "/admin/images/multiple/add/",
        body=b"x" * (3 * 1024 * 1024),
        headers={"Content-Type": "application/octet-stream"},
    )
    assert status != 413
    assert body_limit("/admin/newsletters/subscribers/import/") >= 200 * 1024 * 1024


def echo(environ, start_response):
    body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [body]


# A chunked body over a real connection is not tested against `newsdesk web`: once
# it has answered 413, gunicorn may close while the client still sends, and the
# answer is then lost to the reset on some runs.
@override_settings(REQUEST_BODY_MAX_BYTES=100)
def test_a_chunked_body_within_its_limit_reaches_the_application_with_its_length():
    environ = {
        "PATH_INFO": "/newsletters/subscribe/",
        "HTTP_TRANSFER_ENCODING": "chunked",
        "wsgi.input": io.BytesIO(b"email=reader%40example.org"),
    }
    answers = []
    body = BodyLimit(echo)(environ, lambda status, headers: answers.append(status))
    assert answers == ["200 OK"] and body == [b"email=reader%40example.org"]
    assert environ["CONTENT_LENGTH"] == "26"

    environ.update(CONTENT_LENGTH="", **{"wsgi.input": io.BytesIO(b"x" * 101)})
    answers.clear()
    BodyLimit(echo)(environ, lambda status, headers: answers.append(status))
    assert answers == ["413 Content Too Large"]


def test_django_s_own_log_lines_lose_signed_values_too():
    token = signing.dumps(7, salt="newsdesk.newsletters.confirm")
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s", (f"/x/{token}/",), None
    )
    assert WithoutSignedValues().filter(record)
    assert record.getMessage() == "Not Found: /x/[signed]/"
    assert "without_signed_values" in settings.LOGGING["handlers"]["console"]["filters"]
