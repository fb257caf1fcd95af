"""Two web servers and two workers on one PostgreSQL and one Redis, as newsdesk grows past one machine."""

import http.cookiejar
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django.utils import timezone

from newsdesk.core.models import PeriodicJobRun
from newsdesk.newsletters.models import Delivery, Newsletter, Subscriber, Subscription
from newsdesk.newsletters.tests.smtp import Sink

from .servers import (
    database_url_of,
    fetch,
    free_port,
    newsdesk_process,
    production_env,
    stop,
    wait_for,
)

pytestmark = [pytest.mark.production, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def mail_server():
    server = Sink(delay=0.005).start()
    yield server
    server.stop()


@pytest.fixture
def cluster(live_site, tmp_path, mail_server):
    """`newsdesk web` twice and `newsdesk worker` twice, sharing this run's test database and Redis."""
    env = production_env(
        tmp_path,
        database_url_of(connection),
        settings.REDIS_URL,
        EMAIL_URL=f"smtp://127.0.0.1:{mail_server.port}",
        NEWSDESK_NEWSLETTER_BATCH_SIZE="25",
    )
    subprocess.run(
        [sys.executable, "-m", "newsdesk", "collectstatic", "--noinput", "-v0"], env=env, check=True
    )
    ports = [free_port(), free_port()]
    processes = [newsdesk_process("web", env, "--bind", f"127.0.0.1:{port}") for port in ports]
    processes += [newsdesk_process("worker", env), newsdesk_process("worker", env)]
    try:
        for port in ports:
            wait_for(f"http://127.0.0.1:{port}/")
        yield [f"http://127.0.0.1:{port}" for port in ports], env
    finally:
        for process in processes:
            stop(process)


def signed_in_opener(base):
    User.objects.create_superuser("chief", "chief@example.org", "pw-for-scale-out")
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    post_form(opener, base + "/admin/login/", {"username": "chief", "password": "pw-for-scale-out"})
    return opener


def post_form(opener, url, fields):
    """GETs a form of Django's admin and POSTs it back with its CSRF token, as a browser would."""
    page = opener.open(url).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
    request = urllib.request.Request(url, data=data, headers={"Referer": url})
    return opener.open(request)


def test_a_change_through_one_web_server_is_served_fresh_by_the_other(cluster, publish_article):
    (first, second), _ = cluster
    article = publish_article("Bridge reopens")
    for _ in range(2):  # kept in the shared page cache
        assert fetch(second + article.url)[0] == 200
    assert fetch(second + article.url)[1]["X-Page-Cache"] == "hit"

    opener = signed_in_opener(first)
    post_form(opener, f"{first}/admin/pages/{article.pk}/unpublish/", {})

    assert fetch(second + article.url)[0] == 404
    assert b"Bridge reopens" not in fetch(second + "/")[2]


def test_a_scheduled_article_goes_live_once_with_two_workers(cluster, publish_article):
    (_, second), _ = cluster
    article = publish_article("Night trams return", published=False)
    article.go_live_at = timezone.now() + timedelta(seconds=2)
    article.save_revision().publish()  # a future go-live time schedules it
    article.refresh_from_db()
    assert not article.live and fetch(second + article.url)[0] == 404

    deadline = time.monotonic() + 150  # the periodic jobs run once a minute
    while fetch(second + article.url)[0] != 200:
        assert time.monotonic() < deadline, "the scheduled article did not go live"
        time.sleep(1)
    time.sleep(2)
    article.refresh_from_db()
    assert (
        article.live and article.first_published_at == article.last_published_at
    )  # published once, not again
    periods = PeriodicJobRun.objects.filter(job="publish_scheduled_pages").values_list(
        "period", flat=True
    )
    assert len(periods) == len(set(periods))  # each minute's run claimed by one worker only


def test_a_newsletter_send_is_shared_by_both_workers_and_reaches_everyone_once(
    cluster, mail_server, newsroom, publish_article
):
    _, env = cluster
    publish_article("Ferry timetable changes")
    newsletter = Newsletter.objects.create(
        name="The Briefing",
        slug="briefing",
        host=newsroom["reporter"],
        cadence="Daily",
        sender_name="The Briefing",
        sender_address="briefing@ledger.example.org",
    )
    readers = Subscriber.objects.bulk_create(
        Subscriber(email=f"reader{n}@example.org") for n in range(300)
    )
    Subscription.objects.bulk_create(
        Subscription(subscriber=reader, newsletter=newsletter, status=Subscription.Status.CONFIRMED)
        for reader in readers
    )

    sender = subprocess.run(
        [sys.executable, "-m", "newsdesk", "send_newsletter", "briefing", "--wait"],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )

    assert sender.returncode == 0, sender.stdout + sender.stderr
    assert "sent 300, failed 0" in sender.stdout
    by_reader = mail_server.ids_by_recipient()
    assert sorted(by_reader) == sorted(reader.email for reader in readers)
    assert all(len(ids) == 1 for ids in by_reader.values())
    assert sum(mail_server.message_ids().values()) == 300  # no repeats without a fault
    # Each worker keeps its own SMTP connection: messages came over two.
    assert len(mail_server.clients) >= 2
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 300
