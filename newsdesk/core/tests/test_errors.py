"""Errors reported to Sentry carry no reader's address, token, cookie or signed value."""

import gzip
import json
import logging
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sentry_sdk
from django.test import Client
from django.urls import path

from newsdesk import urls
from newsdesk.core.errors import init_sentry, scrub

ADDRESS = "reader.name+news@example.org"
SIGNED = "reader-42:1u0abc:" + "S" * 43
COOKIE = "cookie-value-0123456789"
BEARER = "bearer-value-0123456789"
PASSWORD = "db-password-0123456789"


def failing_view(request):
    recipient = ADDRESS  # a local variable of the frame, which Sentry sends
    link = f"https://news.example.org/newsletters/preferences/{SIGNED}/"
    logging.getLogger("newsdesk.tests").warning("Mailing %s failed", recipient)
    raise ValueError(
        f"Could not mail {recipient} ({link}) via postgres://newsdesk:{PASSWORD}@db/newsdesk"
    )


urlpatterns = [path("failing/", failing_view), *urls.urlpatterns]


class Ingest(BaseHTTPRequestHandler):
    """Sentry's ingest endpoint, as far as a client sees it: takes envelopes, answers 200."""

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        self.server.received.append((self.path, body))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry_ingest():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Ingest)
    server.received = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    init_sentry(f"http://publickey@127.0.0.1:{server.server_port}/1", environment="test")
    yield server
    sentry_sdk.init()  # no DSN: reporting off again for the tests that follow
    server.shutdown()
    server.server_close()


@pytest.mark.django_db
def test_an_error_reaches_sentry_without_secrets(settings, sentry_ingest):
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = COOKIE
    response = client.get(
        f"/failing/?email={ADDRESS}&token={SIGNED}",
        headers={"Authorization": f"Bearer {BEARER}", "X-Forwarded-For": "198.51.100.7"},
    )
    assert response.status_code == 500
    sentry_sdk.flush(timeout=10)

    assert sentry_ingest.received, "no envelope reached the ingest endpoint"
    ingest_path, envelope = sentry_ingest.received[0]
    assert ingest_path == "/api/1/envelope/"
    text = envelope.decode()
    event = json.loads(text.splitlines()[2])  # envelope header, item header, the event
    assert event["exception"]["values"][0]["type"] == "ValueError"
    assert "Could not mail [email]" in event["exception"]["values"][0]["value"]
    assert "[signed]" in text
    for secret in (ADDRESS, "reader.name", SIGNED, COOKIE, BEARER, PASSWORD, "198.51.100.7"):
        assert secret not in text, secret


def test_scrub_takes_out_what_names_or_shows_a_secret():
    event = {
        "message": f"Sent to {ADDRESS} with Authorization: Bearer {BEARER}",
        "request": {
            "url": "https://news.example.org/newsletters/",
            "query_string": f"email={ADDRESS}&page=2",
            "cookies": {"sessionid": COOKIE},
            "headers": {
                "Authorization": f"Bearer {BEARER}",
                "Cookie": f"sessionid={COOKIE}",
                "User-Agent": "Firefox",
                "X-Forwarded-For": "198.51.100.7",
            },
            "data": {"email": ADDRESS, "newsletter": "briefing"},
            "env": {"REMOTE_ADDR": "198.51.100.7"},
        },
        "user": {"id": 7, "email": ADDRESS, "ip_address": "198.51.100.7"},
        "extra": {"api_key": "k" * 20, "count": 3},
        "breadcrumbs": {"values": [{"message": f"GET /newsletters/confirm/{SIGNED}/"}]},
    }
    scrubbed = scrub(event)
    assert scrubbed["request"]["headers"] == {"User-Agent": "Firefox"}
    assert "cookies" not in scrubbed["request"] and "env" not in scrubbed["request"]
    assert scrubbed["request"]["data"] == {"email": "[Filtered]", "newsletter": "briefing"}
    assert scrubbed["request"]["query_string"] == "email=[email]&page=2"
    assert scrubbed["user"] == {"id": 7}
    assert scrubbed["extra"] == {"api_key": "[Filtered]", "count": 3}
    assert scrubbed["message"] == "Sent to [email] with Authorization: Bearer [Filtered]"
    assert scrubbed["breadcrumbs"]["values"][0]["message"] == "GET /newsletters/confirm/[signed]/"


def test_sentry_dsn_in_the_environment_turns_reporting_on_with_the_scrubber(tmp_path):
    script = (
        "import django, sentry_sdk; django.setup(); client = sentry_sdk.get_client(); "
        "print(client.is_active(), client.dsn, getattr(client.options['before_send'], "
        "'__qualname__', None), client.options['environment'])"
    )
    env = {
        **{
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_URL", "REDIS_URL"}
        },
        "DJANGO_SETTINGS_MODULE": "newsdesk.settings",
        "NEWSDESK_DATA_DIR": str(tmp_path),
    }
    run = lambda extra: subprocess.run(  # noqa: E731
        [sys.executable, "-c", script], env={**env, **extra}, capture_output=True, text=True
    )
    on = run({"SENTRY_DSN": "http://publickey@127.0.0.1:9/1"})
    assert on.stdout.split() == ["True", "http://publickey@127.0.0.1:9/1", "scrub", "embedded"], (
        on.stderr
    )
    assert run({}).stdout.split()[0] == "False"
