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

from .servers import database_url_of, fetch, free_port, newsdesk_process, production_env, stop, wait_for

pytestmark = [pytest.mark.production, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cluster(live_site, tmp_path):
    """`newsdesk web` twice and `newsdesk worker` twice, sharing this run's test database and Redis."""
    env = production_env(tmp_path, database_url_of(connection), settings.REDIS_URL)
    subprocess.run([sys.executable, "-m", "newsdesk", "collectstatic", "--noinput", "-v0"], env=env, check=True)
    ports = [free_port(), free_port()]
    processes = [newsdesk_process("web", env, "--bind", f"127.0.0.1:{port}") for port in ports]
    processes += [newsdesk_process("worker", env), newsdesk_process("worker", env)]
    for port in ports:
        wait_for(f"http://127.0.0.1:{port}/")
    yield [f"http://127.0.0.1:{port}" for port in ports]
    for process in processes:
        stop(process)


def signed_in_opener(base):
    User.objects.create_superuser("chief", "chief@example.org", "pw-for-scale-out")
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
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
    first, second = cluster
    article = publish_article("Bridge reopens")
    for _ in range(2):  # kept in the shared page cache
        assert fetch(second + article.url)[0] == 200
    assert fetch(second + article.url)[1]["X-Page-Cache"] == "hit"

    opener = signed_in_opener(first)
    post_form(opener, f"{first}/admin/pages/{article.pk}/unpublish/", {})

    assert fetch(second + article.url)[0] == 404
    assert b"Bridge reopens" not in fetch(second + "/")[2]


def test_a_scheduled_article_goes_live_once_with_two_workers(cluster, publish_article):
    _, second = cluster
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
    assert article.live and article.first_published_at == article.last_published_at  # published once, not again
    periods = PeriodicJobRun.objects.filter(job="publish_scheduled_pages").values_list("period", flat=True)
    assert len(periods) == len(set(periods))  # each minute's run claimed by one worker only


# A newsletter send shared by both workers, delivering exactly one message per
# subscriber, joins here once the sending issue has landed (issue 7 leaves this spot).
