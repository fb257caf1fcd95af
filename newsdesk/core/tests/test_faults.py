"""Services going away while the site serves: slower or a clean 503, never a traceback or a secret."""

import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from django.conf import settings
from django.db import IntegrityError, OperationalError, connection

from newsdesk.core.views import server_error
from newsdesk.newsletters.models import Newsletter
from newsdesk.newsletters.subscribers.forms import started_token
from newsdesk.newsletters.tests.smtp import Sink
from newsdesk.settings import redis_cache

from .servers import (
    SECRET_DB_PASSWORD,
    SECRET_REDIS_PASSWORD,
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


@pytest.mark.django_db
def test_a_cache_that_goes_away_makes_pages_slower_not_broken(
    settings, redis_server, client, publish_article
):
    settings.CACHES = {"default": redis_cache(redis_server.url)}
    settings.PAGE_CACHE_SECONDS = 60
    article = publish_article("Bridge reopens")
    client.get(article.url)
    assert client.get(article.url)["X-Page-Cache"] == "hit"

    redis_server.stop()
    started = time.monotonic()
    response = client.get(article.url)
    assert response.status_code == 200 and "Bridge reopens" in response.content.decode()
    assert response["X-Page-Cache"] == "miss"  # rendered, and not kept anywhere
    assert time.monotonic() - started < 5

    redis_server.start()  # the same process picks it up again
    client.get(article.url)
    assert client.get(article.url)["X-Page-Cache"] == "hit"


@pytest.mark.django_db
def test_without_the_cache_a_reader_can_still_subscribe(settings, redis_server, client, newsroom):
    """The rate limits count in Redis: while it is away nothing is counted, and nobody is refused."""
    settings.CACHES = {"default": redis_cache(redis_server.url)}
    settings.REDIS_URL = redis_server.url
    newsletter = Newsletter.objects.create(
        name="The Briefing",
        slug="briefing",
        host=newsroom["reporter"],
        cadence="Daily",
        sender_address="briefing@ledger.example.org",
    )
    redis_server.stop()
    fields = {
        "email": "reader@example.org",
        "newsletter": "briefing",
        "started": started_token(time.time() - 60),
    }
    response = client.post("/newsletters/subscribe/", fields)
    assert response.status_code == 200 and "Check your inbox" in response.content.decode()
    assert newsletter.subscriptions.get().subscriber.email == "reader@example.org"


@pytest.mark.parametrize(
    "error, status",
    [
        (OperationalError("connection refused"), 503),
        (redis.ConnectionError("refused"), 503),
        (IntegrityError("duplicate key"), 500),
        (ValueError("a bug"), 500),
    ],
)
def test_a_service_away_is_a_503_and_a_bug_a_500(rf, error, status):
    try:
        raise error
    except Exception:
        response = server_error(rf.get("/"))
    assert response.status_code == status and response["Cache-Control"] == "no-store"
    assert ("Retry-After" in response) == (status == 503)


def test_without_its_database_the_site_answers_503_and_shows_no_secret(tmp_path):
    port = free_port()
    env = production_env(
        tmp_path,
        f"postgres://newsdesk:{SECRET_DB_PASSWORD}@127.0.0.1:{free_port()}/newsdesk",
        None,
        NEWSDESK_DB_POOL_TIMEOUT="1",
    )
    web = newsdesk_process("web", env, "--bind", f"127.0.0.1:{port}")
    try:
        status, headers, body = wait_for(f"http://127.0.0.1:{port}/")
        assert status == 503 and headers["Retry-After"]
        assert b"Back in a moment" in body
        status, _, body = fetch(f"http://127.0.0.1:{port}/city/some-story/")
        assert status == 503
        for secret in (SECRET_DB_PASSWORD, env["SECRET_KEY"]):
            assert secret.encode() not in body
            assert secret not in output_of(web)
        assert b"Traceback" not in body
    finally:
        stop(web)


def assert_no_secret(body, process, env):
    for secret in (SECRET_DB_PASSWORD, SECRET_REDIS_PASSWORD, env["SECRET_KEY"]):
        assert secret.encode() not in body
        assert secret not in output_of(process)


@pytest.mark.production
@pytest.mark.django_db(transaction=True)
def test_postgresql_restarting_while_the_site_serves(
    tmp_path, collected_static, database_proxy, publish_article
):
    article = publish_article("Bridge reopens")
    env = production_env(
        tmp_path, database_proxy.url, settings.REDIS_URL, NEWSDESK_DB_POOL_TIMEOUT="2"
    )
    web = start_web(env, collected_static)
    base = web.url
    signed_in = {"Cookie": "sessionid=not-a-real-session"}  # never served from the page cache
    try:
        assert wait_for(base + "/")[0] == 200
        fetch(base + article.url)
        assert fetch(base + article.url)[1]["X-Page-Cache"] == "hit"

        database_proxy.restart_begins()
        # Longer than the pool's first reconnection attempts (1, 3, 7 and 15 s in), so
        # that it would be waiting for the next (31 s) if it backed off without bound.
        outage_ends = time.monotonic() + 16
        while time.monotonic() < outage_ends:
            status, headers, body = fetch(base + article.url)
            assert status == 200 and headers["X-Page-Cache"] == "hit" and b"Bridge reopens" in body
            # The article for a signed-in reader, and the section page, which was never kept.
            for url, sent in ((base + article.url, signed_in), (base + "/city/", {})):
                status, headers, body = fetch(url, sent)
                assert (
                    status == 503
                    and headers["Retry-After"]
                    and headers["Cache-Control"] == "no-store"
                )
                assert b"Back in a moment" in body and b"Traceback" not in body
                assert_no_secret(body, web, env)

        database_proxy.restart_ends()
        back = time.monotonic()
        wait_until(
            lambda: fetch(base + article.url, signed_in)[0] == 200,
            30,
            "uncached pages did not come back",
        )
        assert time.monotonic() - back < 6, "the pool kept waiting to reconnect"
        # Requests in every thread at once get working connections: none was kept broken in the pool.
        urls = [base + url for url in ("/", "/city/", article.url, "/news/")] * 4
        with ThreadPoolExecutor(max_workers=8) as readers:
            assert {
                status for status, _, _ in readers.map(lambda url: fetch(url, signed_in), urls)
            } == {200}
        assert_no_secret(b"", web, env)
        assert "Traceback" not in output_of(web)  # an outage is logged one line at a time
    finally:
        stop(web)


@pytest.mark.production
@pytest.mark.django_db(transaction=True)
def test_redis_restarting_while_the_site_serves(
    tmp_path, collected_static, redis_server, publish_article
):
    article = publish_article("Bridge reopens")
    env = production_env(tmp_path, database_url_of(connection), redis_server.url)
    web = start_web(env, collected_static)
    try:
        assert wait_for(web.url + "/")[0] == 200
        fetch(web.url + article.url)
        assert fetch(web.url + article.url)[1]["X-Page-Cache"] == "hit"

        redis_server.stop()
        for url in (article.url, "/", "/city/", "/news/", "/feeds/rss/", article.url):
            started = time.monotonic()
            status, headers, body = fetch(web.url + url)
            assert status == 200 and headers["X-Page-Cache"] == "miss"  # rendered, and kept nowhere
            assert time.monotonic() - started < 5
            assert_no_secret(body, web, env)
        assert b"Bridge reopens" in body

        redis_server.start()  # empty, as after a restart without persistence
        kept = lambda: fetch(web.url + article.url)[1]["X-Page-Cache"] == "hit"  # noqa: E731
        wait_until(kept, 20, "the page cache did not come back")
        assert_no_secret(b"", web, env)
        assert "Traceback" not in output_of(web)  # an outage is logged one line at a time
    finally:
        stop(web)


@pytest.fixture
def slow_mail_server():
    """An SMTP server that takes three seconds over each message: time for Redis to go away while a task runs."""
    server = Sink(delay=3).start()
    yield server
    server.stop()


def subscribe(web, email, newsletter, env, settings):
    """Posts the subscribe form as a reader who took their time to fill it in."""
    settings.SECRET_KEY = env["SECRET_KEY"]  # the web process's, which signs the form's fill time
    fields = {
        "email": email,
        "newsletter": newsletter.slug,
        "started": started_token(time.time() - 60),
        "website": "",
    }
    request = urllib.request.Request(
        web.url + "/newsletters/subscribe/", data=urllib.parse.urlencode(fields).encode()
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.production
@pytest.mark.django_db(transaction=True)
def test_the_worker_carries_on_after_redis_restarts(
    tmp_path, settings, collected_static, redis_server, slow_mail_server, newsroom
):
    mail_server = slow_mail_server
    newsletter = Newsletter.objects.create(
        name="The Briefing",
        slug="briefing",
        host=newsroom["reporter"],
        cadence="Daily",
        sender_address="briefing@ledger.example.org",
    )
    env = production_env(
        tmp_path,
        database_url_of(connection),
        redis_server.url,
        EMAIL_URL=f"smtp://127.0.0.1:{mail_server.port}",
    )
    web, worker = start_web(env, collected_static), newsdesk_process("worker", env)
    try:
        assert wait_for(web.url + "/")[0] == 200
        assert subscribe(web, "first@example.org", newsletter, env, settings) == 200
        # Redis goes away while the worker sends the first confirmation, and comes back empty.
        wait_until(
            lambda: "send_confirmation_email state=RUNNING" in output_of(worker),
            60,
            "the task did not start",
        )
        redis_server.stop()
        wait_until(lambda: mail_server.received, 30, "the first confirmation was not sent")
        # Done with the task, RQ finds Redis gone and its loop ends: newsdesk starts another.
        wait_until(
            lambda: "starting again" in output_of(worker),
            30,
            "the worker did not notice Redis leaving",
        )
        redis_server.start()

        assert subscribe(web, "second@example.org", newsletter, env, settings) == 200
        wait_until(
            lambda: len(mail_server.received) == 2, 30, "the worker did not take the next task"
        )
        assert [recipient for recipient, _ in mail_server.received] == [
            "first@example.org",
            "second@example.org",
        ]
        assert worker.poll() is None
        assert_no_secret(b"", worker, env)

        # Told to stop while Redis is away, it stops at once rather than wait for Redis.
        refusals = output_of(worker).count("Connection refused")
        redis_server.stop()
        wait_until(
            lambda: output_of(worker).count("Connection refused") > refusals,
            30,
            "Redis left unnoticed",
        )
        started = time.monotonic()
        stop(worker)
        assert worker.returncode == 0 and time.monotonic() - started < 15
    finally:
        stop(web)
        stop(worker)
