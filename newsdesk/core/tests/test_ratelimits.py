"""Rate limits keep their window whatever else the cache holds, and count every hit under concurrency."""

import os
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings
from django.core.cache import cache

from newsdesk.core import ratelimits
from newsdesk.core.models import RateCounter


def hits(key, times, limit=3, period=3600):
    return [ratelimits.allow("test", key, limit, period) for _ in range(times)]


@pytest.mark.django_db
def test_a_limit_holds_through_a_flood_of_other_keys_and_a_cache_clear():
    assert hits("victim@example.org", 3) == [True, True, True]
    # What a flood of random query strings does to the page cache: the file cache
    # culls a third of its entries at 300, and a clear empties it. (Redis, where
    # the counters are on the production profile, is the cache there too.)
    for _ in range(400):
        cache.set(f"page:{uuid.uuid4()}", "x" * 100)
    if not settings.REDIS_URL:
        cache.clear()
    assert hits("victim@example.org", 2) == [False, False]
    assert hits("someone-else@example.org", 1) == [True]


@pytest.mark.django_db
def test_a_window_ends_on_time_and_hits_do_not_extend_it():
    assert hits("reader", 2, limit=1, period=2) == [True, False]
    time.sleep(1)
    assert hits("reader", 1, limit=1, period=2) == [False]  # a hit within the window...
    time.sleep(1.2)
    assert hits("reader", 2, limit=1, period=2) == [True, False]  # ...did not push its end


def stored_counters():
    """The counters kept, wherever this profile keeps them."""
    if settings.REDIS_URL:
        from django_redis import get_redis_connection

        return len(get_redis_connection("default").keys(cache.make_key("rate:*")))
    return RateCounter.objects.count()


@pytest.mark.django_db
def test_ended_windows_are_not_kept():
    hits("first", 1, period=1)
    time.sleep(1.2)
    hits("second", 1, period=1)
    assert stored_counters() == 1


# Run in processes of their own, as gunicorn's workers are: each counts through
# its own connection to the profile's store (a SQLite file in its data folder, or Redis).
HAMMER = """
import os, sys, time
import django
django.setup()
from django.db import connection
from newsdesk.core import ratelimits
from newsdesk.core.models import RateCounter

if sys.argv[1] == "create":
    with connection.schema_editor() as editor:
        editor.create_model(RateCounter)
elif sys.argv[1] == "hammer":
    while not os.path.exists(sys.argv[2]):
        time.sleep(0.01)
    for _ in range(int(sys.argv[3])):
        ratelimits.allow("test", "busy", 10**6, 3600)
else:
    total = int(sys.argv[2])
    print(ratelimits.allow("test", "busy", total, 3600), ratelimits.allow("test", "busy", total + 2, 3600))
"""


def test_concurrent_hits_are_all_counted(tmp_path):
    env = {
        **os.environ,
        "NEWSDESK_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "newsdesk.settings",
    }

    def python(*args):
        return subprocess.Popen([sys.executable, "-c", HAMMER, *map(str, args)], env=env)

    if not os.environ.get("REDIS_URL"):
        assert python("create").wait(timeout=120) == 0
    processes, per_process, go = 4, 25, tmp_path / "go"
    workers = [python("hammer", go, per_process) for _ in range(processes)]
    time.sleep(3)  # they start up meanwhile
    go.touch()
    assert [worker.wait(timeout=300) for worker in workers] == [0] * processes
    # The next hit is the one after all of theirs.
    result = subprocess.run(
        [sys.executable, "-c", HAMMER, "count", str(processes * per_process)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.split() == ["False", "True"], result.stderr
