"""The readers' search, the old way beside the new, on the same archive in the same run.

    .venv/bin/python bench/search/run.py [--database newsdesk_search100k] [--sqlite-articles 10000]
        [--requests 40] [--reference REV]

Production profile: an existing PostgreSQL database holding a synthetic archive
(`newsdesk generate_archive`), migrated to this branch; it is only read.
Embedded profile: a SQLite archive of --sqlite-articles stories in
var/bench-search-<n>/, generated on the first run and kept.

For each query, "words in nearly every story" (bridge repair) and "a place named in
1 story in 200" (varholm), each search view answers --requests requests, called
directly (no middleware, no page cache), alternately old and new: "old" is the view
as it was at --reference (default: where this branch left main), on Wagtail's search
backend; "new" is today's, on the search app's own index. Printed: wall-clock p50
and p95 per request, this process's CPU time per request (the database server's is
not in it), the results' count as shown, and on PostgreSQL the plan of the new query
(EXPLAIN ANALYZE).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import types
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
QUERIES = {"words in nearly every story": "bridge repair", "a place, 1 story in 200": "varholm"}


def reference_view(rev):
    """The search view's module as it was at rev, run against today's code around it."""
    source = subprocess.run(
        ["git", "show", f"{rev}:newsdesk/search/views.py"],
        cwd=REPOSITORY,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    module = types.ModuleType("old_search_views")
    exec(compile(source, f"{rev}:newsdesk/search/views.py", "exec"), module.__dict__)
    return module.search


def measure(view, query, requests):
    import re

    from django.test import RequestFactory

    factory = RequestFactory()
    walls, cpus = [], []
    for _ in range(requests):
        request = factory.get("/search/", {"q": query})
        wall, cpu = time.perf_counter(), time.process_time()
        response = view(request)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        assert response.status_code == 200, response.status_code
    count = re.search(r'search-page__count" role="status">([^<]*)', response.content.decode())
    walls.sort()
    return {
        "p50": statistics.median(walls) * 1000,
        "p95": walls[min(len(walls) - 1, round(0.95 * len(walls)) - 1)] * 1000,
        "cpu": statistics.mean(cpus) * 1000,
        "shown": count.group(1).split(" for ")[0] if count else "?",
    }


def explain(query):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from newsdesk.search import engine

    with CaptureQueriesContext(connection) as captured:
        engine.find(query.split())
    sql = next(q["sql"] for q in captured.captured_queries if "plainto_tsquery" in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return [row[0] for row in cursor.fetchall()]


def child(args):
    """Runs in the profile's own process: settings are read from its environment."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import override_settings

    # Pages name their static files; without a collectstatic run there is no manifest.
    override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()

    from newsdesk.articles.models import ArticlePage
    from newsdesk.search import views

    old = reference_view(args.reference)
    stories = ArticlePage.objects.live().count()
    rows, plans = [], {}
    for name, query in QUERIES.items():
        for view in (old, views.search):  # warm both: caches, the planner's statistics
            measure(view, query, 2)
        figures = {"old": [], "new": []}
        for _ in range(args.requests // 5):  # alternately, so that load hits both alike
            figures["old"].append(measure(old, query, 5))
            figures["new"].append(measure(views.search, query, 5))
        for path, runs in figures.items():
            rows.append(
                {
                    "profile": connection.vendor,
                    "stories": stories,
                    "query": f"{name} ({query})",
                    "path": path,
                    "p50": statistics.median(r["p50"] for r in runs),
                    "p95": max(r["p95"] for r in runs),
                    "cpu": statistics.mean(r["cpu"] for r in runs),
                    "shown": runs[-1]["shown"],
                }
            )
        if connection.vendor == "postgresql":
            plans[query] = explain(query)
    print("RESULT " + json.dumps({"rows": rows, "plans": plans}))


def run_profile(env, args):
    command = [sys.executable, __file__, "--child", "--requests", str(args.requests)]
    command += ["--reference", args.reference]
    output = subprocess.run(
        command, env=env, cwd=REPOSITORY, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output.split("RESULT ", 1)[1])


def sqlite_env(articles):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env["NEWSDESK_DATA_DIR"] = str(REPOSITORY / "var" / f"bench-search-{articles}")
    env["NEWSDESK_LOG_LEVEL"] = "WARNING"
    newsdesk = [sys.executable, "-m", "newsdesk"]
    subprocess.run([*newsdesk, "migrate", "-v0"], env=env, cwd=REPOSITORY, check=True)
    count = "from newsdesk.articles.models import ArticlePage; print(ArticlePage.objects.count())"
    have = subprocess.run(
        [*newsdesk, "shell", "-c", count], env=env, cwd=REPOSITORY, capture_output=True, text=True
    ).stdout.split()[-1]
    if int(have) < articles:
        subprocess.run(
            [*newsdesk, "generate_archive", "--articles", str(articles - int(have))],
            env=env,
            cwd=REPOSITORY,
            check=True,
        )
    return env


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", default="newsdesk_search100k")
    parser.add_argument("--sqlite-articles", type=int, default=10_000, help="0: skip SQLite")
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--reference", default=None)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)
    if args.reference is None:
        args.reference = subprocess.run(
            ["git", "merge-base", "HEAD", "main"],
            cwd=REPOSITORY,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    print(f"reference (old): {args.reference[:10]}; {args.requests} requests per row\n")
    print("| profile | stories | query | path | p50 ms | p95 ms | CPU ms/request | count shown |")
    print("|---|---|---|---|---|---|---|---|", flush=True)
    plans = {}
    profiles = []
    if args.database:
        env = dict(os.environ, NEWSDESK_LOG_LEVEL="WARNING", NEWSDESK_PAGE_CACHE_SECONDS="0")
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{args.database}"
        env.setdefault("SECRET_KEY", "bench-search-" + "x" * 50)
        env.setdefault("ALLOWED_HOSTS", "localhost")
        env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/7")
        profiles.append(lambda: env)
    if args.sqlite_articles:
        profiles.append(lambda: sqlite_env(args.sqlite_articles))
    for profile in profiles:
        result = run_profile(profile(), args)
        plans.update(result["plans"])
        for row in result["rows"]:  # each profile's rows as soon as they are measured
            print(
                f"| {row['profile']} | {row['stories']:,} | {row['query']} | {row['path']} |"
                f" {row['p50']:.1f} | {row['p95']:.1f} | {row['cpu']:.1f} | {row['shown']} |",
                flush=True,
            )
    for query, plan in plans.items():
        print(f"\nEXPLAIN ANALYZE, new query for {query!r}:")
        print("\n".join("    " + line for line in plan))


if __name__ == "__main__":
    main()
