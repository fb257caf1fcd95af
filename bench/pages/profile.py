"""Where the CPU of a rendered page goes: CPU ms, queries and cache round trips per request.

    .venv/bin/python bench/pages/profile.py [--articles 1000] [--requests 100] [--batches 5]
        [--profile article] [--dump /tmp/article.prof]

On the production profile (PostgreSQL + Redis): the database and Redis number
come from DATABASE_URL and REDIS_URL when set (a helper's own), else
newsdesk_profile_<articles> and Redis database 2. The synthetic archive is
generated once per database and kept. Each page (an article, the home page, a
section) is requested through the WSGI application, middleware included, as
bench/pages/run.py's "uncached" requests are: with a session cookie no session
matches, so every request is rendered for an anonymous reader.

Wall time on a shared machine is noise; CPU time of this process
(time.process_time) is not, as long as the database and Redis answer from
other processes, and the least of several batches is the least disturbed. Python
function calls per request (a cProfile pass of its own) do not move with the
load at all: the steadiest figure to compare changes by. The figures are per request, after warming up (kept fragments
rendered, templates compiled, connections open). --profile writes a cProfile
dump of that page's requests and prints its top functions by cumulative time.
"""

import sys
from pathlib import Path

# This file's name is the standard library's `profile`, which cProfile imports:
# its folder must not come first on the path.
HERE, REPOSITORY = Path(__file__).resolve().parent, Path(__file__).resolve().parents[2]
sys.path[:] = [str(REPOSITORY)] + [p for p in sys.path if Path(p or ".").resolve() != HERE]

import argparse  # noqa: E402
import cProfile  # noqa: E402
import io  # noqa: E402
import os  # noqa: E402
import pstats  # noqa: E402
import secrets  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

PAGES = ("article", "home", "section")


def environment(articles):
    os.environ.setdefault(
        "DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/newsdesk_profile_{articles}"
    )
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/2")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    os.environ.setdefault("NEWSDESK_DATA_DIR", tempfile.mkdtemp(prefix="newsdesk-profile-"))
    os.environ.setdefault("NEWSDESK_LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")


def prepare(articles):
    """The archive, generated once into the database of DATABASE_URL (created if missing)."""
    import psycopg

    url = os.environ["DATABASE_URL"]
    database = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as db:
        if not db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone():
            db.execute(f"CREATE DATABASE {database}")

    def newsdesk(*args, **kwargs):
        return subprocess.run([sys.executable, "-m", "newsdesk", *args], check=True, **kwargs)

    newsdesk("migrate", "--verbosity", "0")
    count = "from newsdesk.articles.models import ArticlePage; print(ArticlePage.objects.count())"
    have = newsdesk("shell", "-c", count, capture_output=True, text=True).stdout.split()[-1]
    if int(have) == 0:
        newsdesk("generate_archive", "--articles", str(articles))
    newsdesk("collectstatic", "--noinput", "--verbosity", "0")


class Counters:
    """Queries (every SQL statement) and cache round trips (a Redis command, or a pipeline)."""

    def __init__(self):
        import redis.client
        from django.db import connection

        self.queries = self.round_trips = 0
        connection.execute_wrappers.append(self._query)  # for the whole run
        counters = self
        command, execute = redis.client.Redis.execute_command, redis.client.Pipeline.execute

        def counted_command(self, *args, **kwargs):
            counters.round_trips += 1
            return command(self, *args, **kwargs)

        def counted_pipeline(self, *args, **kwargs):
            counters.round_trips += 1
            return execute(self, *args, **kwargs)

        redis.client.Redis.execute_command = counted_command
        redis.client.Pipeline.execute = counted_pipeline

    def _query(self, execute, sql, params, many, context):
        self.queries += 1
        return execute(sql, params, many, context)


def request(application, path):
    """One GET through the WSGI application, as a reader whose session cookie matches nothing."""
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_COOKIE": "sessionid=bench-reader",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    status = []
    body = b"".join(application(environ, lambda s, headers, exc_info=None: status.append(s)))
    if hasattr(body, "close"):
        body.close()
    assert status[0].startswith("200"), (path, status[0])
    return body


def python_calls(application, path, requests=20):
    """Python function calls per request: the machine's load changes CPU time, never this."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        request(application, path)
    profiler.disable()
    return sum(calls for _, calls, _, _, _ in pstats.Stats(profiler).stats.values()) / requests


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=100, help="Per batch, after warming up.")
    parser.add_argument("--batches", type=int, default=5, help="CPU ms is the least batch's.")
    parser.add_argument("--profile", choices=PAGES, help="cProfile this page's requests.")
    parser.add_argument("--dump", default="/tmp/newsdesk-page.prof")
    parser.add_argument("--top", type=int, default=40)
    options = parser.parse_args()

    environment(options.articles)
    prepare(options.articles)
    import django

    django.setup()
    from newsdesk.articles.models import ArticlePage
    from newsdesk.wsgi import application

    article = ArticlePage.objects.live().order_by("-first_published_at", "-pk").first()
    paths = {"article": article.url, "home": "/", "section": article.get_parent().url}
    counters = Counters()
    for path in paths.values():  # warm up: fragments kept, templates compiled, pool open
        for _ in range(5):
            request(application, path)

    print(
        f"{options.articles} articles, {options.batches} batches of {options.requests} requests"
        " per page after warming up; CPU ms per request in the least batch"
    )
    print(
        f"{'page':8} {'path':55} {'CPU ms':>7} {'queries':>8} {'cache trips':>12} {'Py calls':>9}"
    )
    for name, path in paths.items():
        # CPU time, as the figures: waiting for PostgreSQL or Redis is not what is profiled.
        profiler = cProfile.Profile(time.process_time) if name == options.profile else None
        counters.queries = counters.round_trips = 0
        batches = []  # the least CPU of several batches: other processes only ever add to it
        for _ in range(options.batches):
            started = time.process_time()
            if profiler:
                profiler.enable()
            for _ in range(options.requests):
                request(application, path)
            if profiler:
                profiler.disable()
            batches.append((time.process_time() - started) * 1000 / options.requests)
        done = options.requests * options.batches
        print(
            f"{name:8} {path:55} {min(batches):7.2f} {counters.queries / done:8.1f}"
            f" {counters.round_trips / done:12.1f} {python_calls(application, path):9.0f}"
            + ("  (profiled)" if profiler else "")
        )
        if profiler:
            profiler.dump_stats(options.dump)
            stats = io.StringIO()
            pstats.Stats(profiler, stream=stats).sort_stats("cumulative").print_stats(options.top)
            profiled = stats.getvalue()
    print("load: " + subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    if options.profile:
        print(f"\ncProfile of {options.profile} ({options.dump}):\n{profiled}")


if __name__ == "__main__":
    main()
