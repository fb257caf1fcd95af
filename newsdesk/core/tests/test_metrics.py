"""Prometheus metrics: they exist, they move with what happens, and only the allowed may read them."""

import ipaddress
import json
import os
import re
import urllib.request
from datetime import timedelta
from pathlib import Path

import django_rq
import pytest
from django.db import connection
from django_tasks import task
from django_tasks_db.models import DBTaskResult
from prometheus_client.parser import text_string_to_metric_families

from newsdesk.core.queues import uses_rq
from newsdesk.narration.models import Narration
from newsdesk.newsletters.tests.test_issue_pages import WEBHOOK, esp, post_hook  # noqa: F401

from .servers import (
    REPOSITORY,
    database_url_of,
    fetch,
    output_of,
    production_env,
    start_web,
    stop,
    wait_for,
)

SIGNED = "reader-42:1u0abc:" + "x" * 43  # the shape of a signed value (core/accesslog.py)


@task(queue_name="default")
def waiting_task():
    """Queued by a test and never run: what the queue's depth and age count."""


def scrape(client, **headers):
    response = client.get("/metrics", headers=headers)
    assert response.status_code == 200, response.content
    return response.content.decode()


def value(text, name, **labels):
    """The sample of that name and labels in an exposition, 0 when it is not there."""
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return sample.value
    return 0


def test_a_request_counts_under_the_name_of_its_route(client):
    before = scrape(client)
    for _ in range(2):
        client.get("/healthz")
    after = scrape(client)
    labels = {"view": "healthz", "method": "GET", "status": "200"}
    assert value(after, "newsdesk_http_requests_total", **labels) == (
        value(before, "newsdesk_http_requests_total", **labels) + 2
    )
    duration = "newsdesk_http_request_duration_seconds_count"
    assert value(after, duration, view="healthz") == value(before, duration, view="healthz") + 2


@pytest.mark.django_db
def test_a_page_cache_hit_counts_as_a_hit(client, settings, publish_article):
    settings.PAGE_CACHE_SECONDS = 60
    article = publish_article("Bridge reopens")
    before = scrape(client)
    assert client.get(article.url)["X-Page-Cache"] == "miss"
    assert client.get(article.url)["X-Page-Cache"] == "hit"
    client.get(f"{article.url}?page=12345")  # kept once, whatever the query: a hit
    after = scrape(client)
    hits = value(after, "newsdesk_page_cache_requests_total", result="hit")
    assert hits == value(before, "newsdesk_page_cache_requests_total", result="hit") + 2
    misses = value(after, "newsdesk_page_cache_requests_total", result="miss")
    # The miss, and the two scrapes of /metrics? No: they skip the page cache altogether.
    assert misses == value(before, "newsdesk_page_cache_requests_total", result="miss") + 1
    assert value(after, "newsdesk_http_requests_total", view="page_cache", status="200") >= 2
    assert "12345" not in after and article.url not in after  # labels are route names, not paths


def age_oldest_task(delta):
    """Makes the oldest waiting task of the default queue older by delta, in whichever queue holds it."""
    if uses_rq():
        job = django_rq.get_queue("default").get_jobs(0, 1)[0]
        job.enqueued_at -= delta
        job.save()
    else:
        oldest = DBTaskResult.objects.order_by("enqueued_at").first()
        DBTaskResult.objects.filter(pk=oldest.pk).update(enqueued_at=oldest.enqueued_at - delta)


@pytest.mark.django_db
def test_the_task_queues_depth_and_the_age_of_their_oldest_task(
    client, django_capture_on_commit_callbacks
):
    """On the database queue (embedded run) and on RQ (production run) alike."""
    empty = scrape(client)
    assert value(empty, "newsdesk_task_queue_depth", queue="default") == 0
    assert value(empty, "newsdesk_task_queue_oldest_age_seconds", queue="default") == 0
    with django_capture_on_commit_callbacks(execute=True):  # RQ's queue takes them at the commit
        waiting_task.enqueue()
        waiting_task.enqueue()
    age_oldest_task(timedelta(minutes=5))
    text = scrape(client)
    assert value(text, "newsdesk_task_queue_depth", queue="default") == 2
    assert value(text, "newsdesk_task_queue_depth", queue="mail") == 0
    assert 300 <= value(text, "newsdesk_task_queue_oldest_age_seconds", queue="default") < 320


@pytest.mark.django_db
def test_the_apps_gauges_narration_backlog_and_newsletter_sends(client, publish_article):
    article = publish_article("Bridge reopens")
    Narration.objects.update_or_create(page=article, defaults={"status": "queued"})
    text = scrape(client)
    assert value(text, "newsdesk_database_up") == 1
    assert value(text, "newsdesk_narration_backlog", status="queued") == 1
    assert value(text, "newsdesk_narration_backlog", status="narrating") == 0
    assert "newsdesk_newsletter_sends_in_progress 0.0" in text
    assert value(text, "newsdesk_newsletter_send_deliveries", status="sent") == 0


@pytest.mark.django_db
def test_a_refused_webhook_counts_as_a_failure(client, esp):  # noqa: F811 (the fixture)
    before = value(scrape(client), "newsdesk_webhook_failures_total", webhook="mailgun")
    assert post_hook(client, "{}", auth="hook:wrong").status_code == 400
    after = value(scrape(client), "newsdesk_webhook_failures_total", webhook="mailgun")
    assert after == before + 1


def test_metrics_are_refused_to_a_public_client(client, settings):
    public = {"REMOTE_ADDR": "203.0.113.9"}
    assert client.get("/metrics", **public).status_code == 403
    # Through the proxy on loopback, the reader's address is what counts.
    forwarded = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    response = client.get("/metrics", **forwarded)
    assert response.status_code == 403 and b"newsdesk_" not in response.content

    settings.METRICS_TOKEN = "scrape-" + "t" * 40
    assert client.get("/metrics", **public, HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert (
        client.get(
            "/metrics", **public, HTTP_AUTHORIZATION=f"Bearer {settings.METRICS_TOKEN}"
        ).status_code
        == 200
    )
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED = [ipaddress.ip_network("203.0.113.0/24")]
    assert client.get("/metrics", **public).status_code == 200
    assert "no-store" in client.get("/metrics", **public)["Cache-Control"]


def request_with(url, headers, method="GET"):
    request = urllib.request.Request(url, headers=headers, method=method)
    with urllib.request.urlopen(request, timeout=10) as answer:
        return answer.headers


@pytest.mark.production
@pytest.mark.django_db(transaction=True)
def test_several_web_processes_add_up_and_log_json(tmp_path, collected_static, base_site):
    env = production_env(tmp_path, database_url_of(connection), None)
    env["WEB_CONCURRENCY"], env["PROMETHEUS_MULTIPROC_DIR"] = "2", str(tmp_path / "metrics")
    os.mkdir(env["PROMETHEUS_MULTIPROC_DIR"])
    web = start_web(env, collected_static)
    try:
        assert wait_for(web.url + "/healthz")[0] == 200  # GETs, some given up on while counted
        for _ in range(19):
            request_with(web.url + "/healthz", {}, method="HEAD")
        # A signed value in the path, as in a reader's preferences link: a 404 here.
        status, headers, _ = fetch(f"{web.url}/newsletters/nowhere/{SIGNED}/")
        assert status == 404
        request_id = headers["X-Request-ID"]
        sent = request_with(web.url + "/healthz", {"X-Request-ID": "lb-probe-0001"}, method="HEAD")
        assert sent["X-Request-ID"] == "lb-probe-0001"  # from a trusted proxy (loopback)
        insane = request_with(web.url + "/healthz", {"X-Request-ID": "x" * 200}, method="HEAD")
        assert len(insane["X-Request-ID"]) == 32

        status, _, body = fetch(web.url + "/metrics")
        text = body.decode()
        assert status == 200
        # Twenty-one HEAD /healthz, wherever each went: the processes' counts are added up.
        healthz = {"view": "healthz", "method": "HEAD", "status": "200"}
        assert value(text, "newsdesk_http_requests_total", **healthz) == 21
        workers = {
            json.loads(line)["message"].split()[-1]
            for line in output_of(web).splitlines()
            if "Booting worker" in line
        }
        assert len(workers) >= 2
        run_folders = os.listdir(env["PROMETHEUS_MULTIPROC_DIR"])
        assert len(run_folders) == 1  # a folder of its own for this start
    finally:
        stop(web)
    assert os.listdir(env["PROMETHEUS_MULTIPROC_DIR"]) == []  # removed at exit

    output = Path(web.log.name).read_text()
    lines = [json.loads(line) for line in output.splitlines() if line.strip()]
    access = [line for line in lines if line.get("request_id") == request_id]
    assert {line.get("status") for line in access} >= {404}  # gunicorn's access line
    assert any(line.get("message", "").startswith("Not Found") for line in access)  # Django's
    assert SIGNED not in output and "[signed]" in output
    # Probes that succeed are not logged; the one 404 is.
    assert not [line for line in lines if line.get("path") == "/healthz"]
    assert env["SECRET_KEY"] not in output


@pytest.mark.django_db
def test_the_grafana_dashboard_shows_metrics_that_exist(client):
    dashboard = json.loads((REPOSITORY / "deploy" / "grafana-dashboard.json").read_text())
    exprs = [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]
    used = {name for expr in exprs for name in re.findall(r"newsdesk_\w+", expr)}
    exposed = {
        sample.name
        for family in text_string_to_metric_families(scrape(client))
        for sample in family.samples
    }
    # A counter or histogram never incremented in this process has no sample yet: its family counts.
    exposed |= {family.name for family in text_string_to_metric_families(scrape(client))}
    missing = {
        name
        for name in used
        if name not in exposed and re.sub(r"_(bucket|count|sum|total)$", "", name) not in exposed
    }
    assert not missing and len(used) >= 10
