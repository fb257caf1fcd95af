"""Page speed on the production profile, beside nginx serving the same HTML as static files.

    .venv/bin/python bench/pages/run.py [--articles 1000] [--seconds 10] [--connections 32]
        [--only article home] [--peer ghost] [--database NAME] [--redis-url URL]

Uses its own PostgreSQL database per archive size (newsdesk_bench_<articles>,
created if missing; --database another) and Redis database 2 (--redis-url
another), which it empties. Generates the synthetic archive once per size and
keeps it for the next run.
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

With --peer ghost it measures Ghost 6 in the same run, as installed by
../shared/peers/ghost/setup.sh into GHOSTBENCH_DIR (or --ghost-dir): its post and
home page, with the same wrk settings, before newsdesk's pages and again after
(each time Ghost is started in production mode and stopped), and compares
newsdesk's rendered pages with the mean of the two. Ghost keeps no page of its
own, so newsdesk's kept pages have no Ghost column. The last table is the
issue's: each figure, newsdesk's, Ghost's, the target and whether it is met.
"""

import argparse
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

REPOSITORY = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPOSITORY))

from newsdesk.core.tests.servers import fetch, free_port, start_nginx, stop, wait_for  # noqa: E402

DATABASE = "newsdesk_bench_{}"  # one per archive size, kept between runs
REDIS_URL = "redis://127.0.0.1:6379/2"
GHOST_PORT = 2368  # the port setup.sh writes into Ghost's configuration
GHOST_SETUP = "GHOSTBENCH_DIR=/some/scratch/folder ../shared/peers/ghost/setup.sh"
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


def prepare(env, articles, database, redis_url):
    """The archive at the size asked for: kept from the last run of that size, else made afresh."""
    import redis

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
    redis.Redis.from_url(redis_url).flushdb()


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


def ghost_install(directory):
    """Where Ghost's install is and its post's path; stops the run, saying how to install it, without one."""
    if not directory:
        sys.exit(
            "--peer ghost measures the Ghost install that GHOSTBENCH_DIR (or --ghost-dir) names; "
            f"none is named. Install it (about 15 minutes) with: {GHOST_SETUP}"
        )
    root = Path(directory)
    needed = [
        root / "ghost/current/index.js",
        root / "node22/package/bin/node",
        root / "post_url.txt",
    ]
    if missing := [str(path) for path in needed if not path.exists()]:
        sys.exit(
            f"No complete Ghost install in {root}: {', '.join(missing)} missing. "
            f"Install it (about 15 minutes) with: {GHOST_SETUP}"
        )
    return root, urlsplit((root / "post_url.txt").read_text().strip()).path


@contextmanager
def ghost_running(root, log):
    """Ghost in production mode, as its README serves it, for the time of the with block."""
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", GHOST_PORT)) == 0:
            # Measuring a Ghost that some other process runs would be measuring the unknown.
            sys.exit(f"Port {GHOST_PORT} is taken already: stop what runs there (another Ghost?).")
    with open(log, "wb") as output:
        process = subprocess.Popen(
            ["node", "index.js"],
            cwd=root / "ghost/current",
            env={
                **os.environ,
                "PATH": f"{root / 'node22/package/bin'}:{os.environ['PATH']}",
                "NODE_ENV": "production",
            },
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            url = f"http://127.0.0.1:{GHOST_PORT}"
            ghost_ready(process, url, log, root)
            yield url
        finally:
            stop(process)


def ghost_ready(process, url, log, root, timeout=300):
    """Waits for Ghost's home page: it answers 503 while it boots, for a few seconds."""
    deadline = time.monotonic() + timeout
    while process.poll() is None and time.monotonic() < deadline:
        try:
            if fetch(url + "/")[0] == 200:
                return
        except OSError:
            pass  # not listening yet
        time.sleep(0.5)
    sys.exit(
        f"Ghost did not serve {url}/ within {timeout} s"
        + (f" (it ended with {process.returncode})" if process.poll() is not None else "")
        + f"; its output is in {log}, its logs in {root / 'ghost/content/logs'}."
    )


def measure_ghost(root, post, when, work, options, script):
    """Ghost's post and home page, with the same wrk settings as newsdesk's pages."""
    results = {}
    with ghost_running(root, work / f"ghost-{when}.log") as ghost:
        for name, path in (("post", post), ("home", "/")):
            status, _, _ = fetch(ghost + path)  # and Node compiles what the page takes
            assert status == 200, ("Ghost", name, status)
            results[name] = wrk(ghost + path, options.seconds, options.connections, script)
            print(f"Ghost {name:5} {when:6} " + summary(results[name]), flush=True)
    return results


def mean_of(runs):
    return {key: sum(run[key] for run in runs) / len(runs) for key in runs[0]}


def summary(result):
    return (
        f"{result['rps']:9.0f} rps  p50 {result['p50']:7.1f} ms  p95 {result['p95']:7.1f} ms  "
        f"p99 {result['p99']:7.1f} ms"
        + (f"  ({result['errors']} errors)" if result["errors"] else "")
    )


def rate(result, percentile="p99"):
    return f"{result['rps']:.0f} req/s, {percentile} {result[percentile]:.0f} ms"


def met(done, how):
    return f"{'yes' if done else 'no'} ({how})"


def targets(results, ghost, articles):
    """The issue's table, for the figures this run measured: (figure, newsdesk, Ghost, target, met?).

    newsdesk's rendered pages are compared with the mean of Ghost's two measurements
    (both shown); results is keyed by (page, mode) as printed above.
    """
    rows = []
    for page, peer in (("article", "post"), ("home", "home")):
        if (ours := results.get((page, "app, uncached"))) is None:
            continue
        target = "at least 2x Ghost in the same run, p99 under 100 ms"
        if not ghost:
            rows.append((f"{page}, rendered", rate(ours), "not measured", target, "--peer ghost"))
            continue
        before, after = ghost["before"][peer], ghost["after"][peer]
        theirs = mean_of([before, after])
        ratio = ours["rps"] / theirs["rps"]
        rows.append(
            (
                f"{page}, rendered",
                rate(ours),
                f"{rate(theirs)} (before {before['rps']:.0f}, after {after['rps']:.0f} req/s)",
                target,
                met(
                    ratio >= 2 and ours["p99"] < 100,
                    f"{ratio:.2f}x Ghost, p99 {ours['p99']:.0f} ms",
                ),
            )
        )
    if (kept := results.get(("article", "app, cached"))) is not None:
        share = kept["rps"] / results[("article", "ceiling")]["rps"]
        rows.append(
            (
                "article, kept page, app server alone",
                f"{kept['rps']:.0f} req/s, {share:.0%} of the ceiling",
                "–",
                "at least 15% of the ceiling",
                met(share >= 0.15, f"{share:.0%}"),
            )
        )
    through_nginx = {
        page: (result, result["rps"] / results[(page, "ceiling")]["rps"])
        for (page, mode), result in results.items()
        if mode == "nginx, cached"
    }
    if through_nginx:
        shares = [share for _, share in through_nginx.values()]
        worst = max(result["p99"] for result, _ in through_nginx.values())
        rows.append(
            (
                "kept pages through the shipped nginx",
                f"{min(shares):.0%}–{max(shares):.0%} of the ceiling, p99 up to {worst:.1f} ms",
                "–",
                "keep the ratio, p99 under 5 ms",
                met(worst < 5, f"p99 {worst:.1f} ms"),
            )
        )
    for page, figure in (
        ("search", "search, words in nearly every story"),
        ("place search", "search, a place named in 1 story in 200"),
    ):
        if (ours := results.get((page, "app, uncached"))) is not None:
            rows.append(
                (
                    f"{figure}, {articles:,}",
                    rate(ours, "p95"),
                    "–",
                    "p95 under 150 ms",
                    met(ours["p95"] < 150, f"p95 {ours['p95']:.0f} ms"),
                )
            )
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--only", nargs="*", help="Just these pages, e.g. --only article 'place search'."
    )
    parser.add_argument(
        "--database",
        help="The PostgreSQL database of the archive; newsdesk_bench_<articles> by default.",
    )
    parser.add_argument("--redis-url", default=REDIS_URL, help="Emptied at the start.")
    parser.add_argument(
        "--peer", choices=["ghost"], help="Measure Ghost's post and home page in the same run."
    )
    parser.add_argument(
        "--ghost-dir",
        default=os.environ.get("GHOSTBENCH_DIR"),
        help="Where setup.sh installed Ghost; GHOSTBENCH_DIR by default.",
    )
    options = parser.parse_args()
    database = options.database or DATABASE.format(options.articles)
    if options.peer == "ghost":
        ghost_root, ghost_post = ghost_install(options.ghost_dir)

    work = Path(tempfile.mkdtemp(prefix="newsdesk-bench-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "REDIS_URL": options.redis_url,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "NEWSDESK_DATA_DIR": str(work),
        "NEWSDESK_LOG_LEVEL": "WARNING",
    }
    prepare(env, options.articles, database, options.redis_url)
    script = work / "report.lua"
    script.write_text(LUA)
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
        uncached = ["Cookie: sessionid=bench-reader"]

        # Ghost before and after newsdesk's pages, so that the machine's drift during
        # the run (other work, heat) weighs on both alike.
        ghost = {}
        if options.peer == "ghost":
            ghost["before"] = measure_ghost(ghost_root, ghost_post, "before", work, options, script)
        results = {}
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
                results[(name, mode)] = result
                print(
                    f"{name:10} {mode:16} {summary(result)}  {result['rps'] / ceiling:6.1%} of ceiling",
                    flush=True,
                )
        if options.peer == "ghost":
            ghost["after"] = measure_ghost(ghost_root, ghost_post, "after", work, options, script)
            print(
                "\nnewsdesk rendered (app, uncached) against Ghost (the mean of before and after):"
            )
            for page, peer in (("article", "post"), ("home", "home")):
                if (ours := results.get((page, "app, uncached"))) is not None:
                    theirs = mean_of([ghost["before"][peer], ghost["after"][peer]])
                    print(
                        f"  {page} / Ghost {peer}: requests/s {ours['rps'] / theirs['rps']:.2f}x "
                        f"({ours['rps']:.0f} / {theirs['rps']:.0f}), p99 {ours['p99'] / theirs['p99']:.2f}x "
                        f"({ours['p99']:.0f} / {theirs['p99']:.0f} ms)"
                    )

        print(f"\nweb worker processes' peak memory (VmHWM): {peak_memory_of_workers(web.pid)} MiB")
        print(
            f"\n{options.articles} articles, wrk -t2 -c{options.connections} -d{options.seconds}s; load: "
            + subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
        )
        print("\n| page | server | requests/s | p50 ms | p95 ms | p99 ms | of ceiling |")
        print("|---|---|---|---|---|---|---|")
        for (name, mode), result in results.items():
            print(
                f"| {name} | {mode} | {result['rps']:.0f} | {result['p50']:.1f} | {result['p95']:.1f} | "
                f"{result['p99']:.1f} | {result['rps'] / results[(name, 'ceiling')]['rps']:.1%} |"
            )
        print(
            f"\n| figure (wrk, {options.connections} connections) | newsdesk | Ghost 6 | target | met? |"
        )
        print("|---|---|---|---|---|")
        for row in targets(results, ghost, options.articles):
            print("| " + " | ".join(row) + " |")
    finally:
        if nginx:
            stop(nginx)
        stop(web)


if __name__ == "__main__":
    main()
