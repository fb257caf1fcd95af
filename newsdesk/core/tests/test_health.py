"""/healthz and /readyz: the process answers, and the services it needs answer, quickly either way."""

import io
import json
import time

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from newsdesk.core import health
from newsdesk.newsletters.tests.smtp import Sink

from .servers import (
    database_url_of,
    fetch,
    free_port,
    production_env,
    start_web,
    stop,
    wait_for,
    wait_until,
)

CHECKS = {"database", "cache", "task_queue", "mail"}


def test_healthz_says_the_process_answers_and_is_never_kept(client):
    for _ in range(2):
        response = client.get("/healthz")
        assert response.status_code == 200 and response.json() == {"status": "ok"}
        assert "no-store" in response["Cache-Control"]
        assert "X-Page-Cache" not in response
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_readyz_with_everything_up_reports_each_check_and_its_time(client, mail_catcher):
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok" and set(body["checks"]) == CHECKS and "failed" not in body
    for result in body["checks"].values():
        assert result["ok"] is True and 0 <= result["seconds"] < 2
    assert "no-store" in response["Cache-Control"] and "X-Page-Cache" not in response
    assert client.get("/readyz")["Content-Type"] == "application/json"


@pytest.mark.django_db
def test_readyz_names_a_mail_server_that_does_not_answer(client, mail_catcher, settings):
    settings.EMAIL_PORT = free_port()  # nothing listens there
    started = time.monotonic()
    response = client.get("/readyz")
    assert time.monotonic() - started < 2
    body = response.json()
    assert response.status_code == 503 and body["failed"] == ["mail"]
    assert body["checks"]["mail"] == {
        "ok": False,
        "error": "ConnectionRefusedError",
        "seconds": body["checks"]["mail"]["seconds"],
    }
    assert str(settings.EMAIL_PORT) not in response.content.decode()  # details go to the log only


@pytest.mark.django_db
def test_readyz_is_not_ready_while_a_migration_is_not_applied(client, mail_catcher, monkeypatch):
    monkeypatch.setattr(health, "_migrations_applied", set())
    MigrationRecorder.Migration.objects.filter(app="core").order_by("-id").first().delete()
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["failed"] == ["database"]
    assert response.json()["checks"]["database"]["error"] == "NotReady"


def test_with_an_email_service_api_the_mail_check_has_nothing_to_ask(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.EMAIL_PORT = free_port()
    health.check_mail()  # no SMTP server to ask: passes without connecting


def readyz(base):
    started = time.monotonic()
    status, _, body = fetch(base + "/readyz", timeout=10)
    return status, json.loads(body), time.monotonic() - started


@pytest.fixture
def mail_server():
    server = Sink().start()
    yield server
    server.stop()


@pytest.mark.production
@pytest.mark.django_db(transaction=True)
def test_readyz_reports_postgresql_going_away_within_two_seconds(
    tmp_path, collected_static, database_proxy, mail_server
):
    env = production_env(
        tmp_path,
        database_proxy.url,
        settings.REDIS_URL,
        EMAIL_URL=f"smtp://127.0.0.1:{mail_server.port}",
    )
    web = start_web(env, collected_static)
    try:
        assert wait_for(web.url + "/healthz")[0] == 200
        status, body, _ = readyz(web.url)
        assert status == 200 and set(body["checks"]) == CHECKS, body

        database_proxy.restart_begins()
        for _ in range(3):
            status, body, seconds = readyz(web.url)
            assert status == 503 and body["failed"] == ["database"], body
            assert seconds < 2.5
            # The process itself is fine: a supervisor must not restart it for this.
            assert fetch(web.url + "/healthz")[0] == 200
        # Metrics read from the database are left out, rather than time the scrape out.
        started = time.monotonic()
        status, _, body = fetch(web.url + "/metrics")
        assert status == 200 and b"newsdesk_database_up 0.0" in body
        assert b"newsdesk_http_requests_total" in body and time.monotonic() - started < 2.5

        database_proxy.restart_ends()
        wait_until(lambda: readyz(web.url)[0] == 200, 15, "/readyz did not recover")
    finally:
        stop(web)


@pytest.mark.production
@pytest.mark.django_db(transaction=True)
def test_readyz_reports_redis_going_away_within_two_seconds(
    tmp_path, collected_static, redis_server, mail_server
):
    env = production_env(
        tmp_path,
        database_url_of(connection),
        redis_server.url,
        EMAIL_URL=f"smtp://127.0.0.1:{mail_server.port}",
    )
    web = start_web(env, collected_static)
    try:
        assert wait_for(web.url + "/healthz")[0] == 200
        status, body, _ = readyz(web.url)
        assert status == 200 and all(result["ok"] for result in body["checks"].values()), body

        redis_server.stop()
        status, body, seconds = readyz(web.url)
        assert status == 503 and body["failed"] == ["cache", "task_queue"], body
        assert seconds < 2
        assert fetch(web.url + "/healthz")[0] == 200

        redis_server.start()
        wait_until(lambda: readyz(web.url)[0] == 200, 15, "/readyz did not recover")
    finally:
        stop(web)


@pytest.mark.django_db(transaction=True)
def test_check_health_asks_a_running_server(live_server, mail_catcher):
    out = io.StringIO()
    call_command("check_health", url=live_server.url, stdout=out)
    assert json.loads(out.getvalue()) == {"status": "ok"}
    call_command("check_health", "--ready", url=live_server.url, stdout=out)
    with pytest.raises(CommandError, match="no answer"):
        started = time.monotonic()
        call_command("check_health", "--wait", "1", url=f"http://127.0.0.1:{free_port()}")
    assert 1 <= time.monotonic() - started < 5


@pytest.mark.django_db(transaction=True)
def test_check_health_fails_with_what_readyz_says(live_server, settings):
    settings.EMAIL_BACKEND = "newsdesk.core.smtp.EmailBackend"
    settings.EMAIL_PORT = free_port()  # nothing listens there
    with pytest.raises(CommandError, match=r"/readyz: 503 .*\"failed\": \[\"mail\"\]"):
        call_command("check_health", "--ready", url=live_server.url)
    with pytest.raises(CommandError, match="--wait must be"):
        call_command("check_health", "--wait", "-1")
