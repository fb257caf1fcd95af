"""Page speed on the production profile, beside nginx serving the same HTML as static files.

    .venv/bin/python bench/pages/run.py [--articles 1000] [--seconds 10] [--connections 32]

Uses its own PostgreSQL database per archive size (newsdesk_bench_<articles>,
created if missing) and Redis database 2, which it empties. Generates the
synthetic archive once per size and keeps it for the next run.
Starts `newsdesk web` (gunicorn) and, in front of it, Debian's nginx with the
shipped deploy/nginx/newsdesk.conf. For each page it runs wrk:

- uncached: with a session cookie, which passes nginx's micro-cache and
  newsdesk's page cache, so every request is rendered (an unknown session is an
  anonymous reader);
- cached: as an anonymous reader;

each through the app server alone and through nginx, and the ceiling: the very
same HTML saved to files and served by the same nginx as static files. At the
end it prints the peak memory of each web worker process, to compare between
archive sizes (the sitemap pages are the largest responses).
"""

import argparse
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPOSITORY))

from newsdesk.core.tests.servers import fetch, free_port, start_nginx, stop, wait_for  # noqa: E402

DATABASE = "newsdesk_bench_{}"  # one per archive size, kept between runs
REDIS_URL = "redis://127.0.0.1:6379/2"
LUA = """
done = function(summary, latency, requests)
  io.write(string.format("BENCH %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def newsdesk(env, *args, **kwargs):
    return subprocess.run([sys.executable, "-m", "newsdesk", *args], env=env, check=True, **kwargs)


def recreate_database(database, drop=False):
    import psycopg

    with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as db:
        if drop:
            db.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        if not db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone():
            db.execute(f"CREATE DATABASE {database}")


def prepare(env, articles):
    """The archive at the size asked for: kept from the last run of that size, else made afresh."""
    import redis

    database = DATABASE.format(articles)
    recreate_database(database)
    newsdesk(env, "migrate", "--verbosity", "0")
    count = "from newsdesk.articles.models import ArticlePage; print(ArticlePage.objects.count())"
    have = int(
        newsdesk(env, "shell", "-c", count, capture_output=True, text=True).stdout.split()[-1]
    )
    if have != articles:
        recreate_database(database, drop=True)
        newsdesk(env, "migrate", "--verbosity", "0")
        started = time.monotonic()
        newsdesk(env, "generate_archive", "--articles", str(articles))
        print(f"generated {articles} articles in {time.monotonic() - started:.0f} s", flush=True)
    newsdesk(env, "collectstatic", "--noinput", "--verbosity", "0")
    redis.Redis.from_url(REDIS_URL).flushdb()


def wrk(url, seconds, connections, script, headers=()):
    args = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", script, url]
    for header in headers:
        args[1:1] = ["-H", header]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    requests, duration, p50, p95, p99 = map(
        int, re.search(r"BENCH (\d+) (\d+) (\d+) (\d+) (\d+)", out).groups()
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": requests / (duration / 1e6),
        "p50": p50 / 1000,
        "p95": p95 / 1000,
        "p99": p99 / 1000,
        "errors": int(non_2xx.group(1)) if non_2xx else 0,
    }


def peak_memory_of_workers(pid):
    """VmHWM of each of gunicorn's worker processes, in MiB: what the largest page (the sitemap) cost them."""
    children = subprocess.run(
        ["pgrep", "-P", str(pid)], capture_output=True, text=True
    ).stdout.split()
    peaks = []
    for child in children:
        status = Path(f"/proc/{child}/status").read_text()
        peaks.append(int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) // 1024)
    return sorted(peaks)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--only", nargs="*", help="Just these pages, e.g. --only article 'place search'."
    )
    options = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="newsdesk-bench-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE.format(options.articles)}",
        "REDIS_URL": REDIS_URL,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "NEWSDESK_DATA_DIR": str(work),
        "NEWSDESK_LOG_LEVEL": "WARNING",
    }
    prepare(env, options.articles)
    app_port = free_port()
    web = subprocess.Popen(
        [sys.executable, "-m", "newsdesk", "web", "--bind", f"127.0.0.1:{app_port}"],
        env={**env, "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY", "4")},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    nginx = None
    try:
        app = f"http://127.0.0.1:{app_port}"
        wait_for(app + "/", timeout=300)  # gunicorn boots slowly on a busy machine
        article = (
            re.search(rb'href="(/[a-z-]+/[^"/]+-\d+/)"', fetch(app + "/")[2]).group(1).decode()
        )
        pages = {
            "article": article,
            "home": "/",
            "section": "/" + article.split("/")[1] + "/",
            "feed page": "/news/",
            "place search": "/search/?q=varholm",  # a place named in about 1 story in 200
            "sitemap": "/sitemap-pages.xml",
            # Words in nearly every synthetic story: the worst case, last, since the
            # requests wrk gives up on keep the app busy for a while after its run.
            "search": "/search/?q=bridge+repair",
        }
        pages = {
            name: path for name, path in pages.items() if not options.only or name in options.only
        }
        ceiling_root = work / "static" / "ceiling"
        ceiling_root.mkdir(parents=True, exist_ok=True)
        for name, path in pages.items():
            status, _, body = fetch(app + path)
            assert status == 200, (name, status)
            (ceiling_root / f"{name.replace(' ', '-')}.html").write_bytes(body)
        nginx, nginx_port = start_nginx(work / "nginx", app_port, work / "static", work / "media")
        front = f"http://127.0.0.1:{nginx_port}"
        script = work / "report.lua"
        script.write_text(LUA)
        uncached = ["Cookie: sessionid=bench-reader"]

        rows = []
        for name, path in pages.items():
            runs = {
                "ceiling": wrk(
                    f"{front}/static/ceiling/{name.replace(' ', '-')}.html",
                    options.seconds,
                    options.connections,
                    script,
                ),
                "app, uncached": wrk(
                    app + path, options.seconds, options.connections, script, uncached
                ),
                "app, cached": wrk(app + path, options.seconds, options.connections, script),
                "nginx, uncached": wrk(
                    front + path, options.seconds, options.connections, script, uncached
                ),
                "nginx, cached": wrk(front + path, options.seconds, options.connections, script),
            }
            ceiling = runs["ceiling"]["rps"]
            for mode, result in runs.items():
                rows.append((name, mode, result, result["rps"] / ceiling))
                print(
                    f"{name:10} {mode:16} {result['rps']:9.0f} rps  p50 {result['p50']:7.1f} ms  "
                    f"p95 {result['p95']:7.1f} ms  p99 {result['p99']:7.1f} ms  {result['rps'] / ceiling:6.1%} of ceiling"
                    + (f"  ({result['errors']} errors)" if result["errors"] else ""),
                    flush=True,
                )

        print(f"\nweb worker processes' peak memory (VmHWM): {peak_memory_of_workers(web.pid)} MiB")
        print(
            f"\n{options.articles} articles, wrk -t2 -c{options.connections} -d{options.seconds}s; load: "
            + subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
        )
        print("\n| page | server | requests/s | p50 ms | p95 ms | p99 ms | of ceiling |")
        print("|---|---|---|---|---|---|---|")
        for name, mode, result, ratio in rows:
            print(
                f"| {name} | {mode} | {result['rps']:.0f} | {result['p50']:.1f} | {result['p95']:.1f} | "
                f"{result['p99']:.1f} | {ratio:.1%} |"
            )
    finally:
        if nginx:
            stop(nginx)
        stop(web)


if __name__ == "__main__":
    main()
