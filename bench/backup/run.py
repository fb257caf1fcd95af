"""Backing up and restoring a large archive, beside the bare tools doing the same copy.

    .venv/bin/python bench/backup/run.py [--articles 10000] [--files 500] [--profile both]

For each profile, a newsroom with the synthetic archive (`generate_archive`) and
FILES media files of 150 KiB of random bytes (incompressible, like the JPEGs of a
picture library), kept between runs:

- production: PostgreSQL databases newsdesk_backup_bench_<articles> (the source)
  and newsdesk_backup_bench_<articles>_restore (made afresh for each restore);
- embedded: a data folder under the system's temporary directory.

It times `newsdesk backup` and `newsdesk restore` (into an empty database and data
folder), and as the reference, in the same run, the bare copy of the same data:
`pg_dump --format=custom` and `pg_restore` (embedded: SQLite's backup API from
Python), plus `cp -r` of the media folder; and `newsdesk check`, newsdesk's start-up
alone, which both commands pay. Each figure is wall and CPU seconds of the processes
run (not PostgreSQL's own): on a shared machine the CPU seconds are the steadier.
"""

import argparse
import os
import resource
import secrets
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

NEWSDESK = str(Path(sys.executable).with_name("newsdesk"))
SERVER = "postgres://postgres@127.0.0.1:5432/"
FILL = """
import os
from django.core.files.base import ContentFile
from django.core.files.storage import storages
for i in range({files}):
    storages["default"].save(f"original_images/bench-{{i}}.jpg", ContentFile(os.urandom(150 * 1024)))
"""


def newsdesk(env, *args):
    return subprocess.run(
        [NEWSDESK, *args], env=env, check=True, capture_output=True, text=True
    ).stdout


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class Clock:
    """Wall and CPU seconds of the processes run meanwhile: on a shared machine the CPU
    time is the steadier figure."""

    def __init__(self):
        self.wall = self.cpu = 0.0

    def run(self, command, env=None):
        started, cpu = time.monotonic(), children_cpu()
        result = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
        self.wall += time.monotonic() - started
        self.cpu += children_cpu() - cpu
        return result.stdout

    def __str__(self):
        return f"{self.wall:7.1f} s {self.cpu:7.1f} s"


def size_of(path):
    path = Path(path)
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def recreate(database):
    with psycopg.connect(SERVER + "postgres", autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        db.execute(f'CREATE DATABASE "{database}"')


def exists(database):
    with psycopg.connect(SERVER + "postgres", autocommit=True) as db:
        return bool(
            db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        )


def environment(profile, data_dir, database=None):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    for name in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS"):
        env.pop(name, None)
    env["NEWSDESK_DATA_DIR"] = str(data_dir)
    if profile == "production":
        env.update(
            DATABASE_URL=SERVER + database,
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="localhost",
        )
    return env


def prepare(profile, articles, files):
    """The source newsroom, made once per size and kept; returns its environment."""
    data_dir = Path(tempfile.gettempdir()) / f"newsdesk-backup-bench-{profile}-{articles}-{files}"
    database = f"newsdesk_backup_bench_{articles}"
    env = environment(profile, data_dir, database)
    ready = data_dir / "ready"
    if ready.exists() and (profile == "embedded" or exists(database)):
        return env, data_dir
    shutil.rmtree(data_dir, ignore_errors=True)
    if profile == "production":
        recreate(database)
    started = time.monotonic()
    newsdesk(env, "migrate", "-v0")
    newsdesk(env, "generate_archive", "--articles", str(articles))
    newsdesk(env, "shell", "-c", FILL.format(files=files))
    print(f"  made the {profile} archive in {time.monotonic() - started:.0f} s", flush=True)
    ready.touch()
    return env, data_dir


def reference(profile, env, data_dir, work, articles):
    """The bare copy of the same data, and putting it back: (copy clock, restore clock, bytes)."""
    copy, restore = Clock(), Clock()
    folder = work / "reference"
    folder.mkdir()
    if profile == "production":
        dump = folder / "database.pgdump"
        copy.run(["pg_dump", "--format=custom", f"--file={dump}", env["DATABASE_URL"]])
        target = f"newsdesk_backup_bench_{articles}_reference"
        recreate(target)
        restore.run(
            [
                "pg_restore",
                "--no-owner",
                "--single-transaction",
                f"--dbname={SERVER + target}",
                str(dump),
            ]
        )
        with psycopg.connect(SERVER + "postgres", autocommit=True) as db:
            db.execute(f'DROP DATABASE "{target}" WITH (FORCE)')
    else:
        script = (
            "import sqlite3,sys; sqlite3.connect(sys.argv[1]).backup(sqlite3.connect(sys.argv[2]))"
        )
        copy.run(
            [sys.executable, "-c", script, str(data_dir / "newsdesk.sqlite3"), str(folder / "db")]
        )
        restore.run(
            [sys.executable, "-c", script, str(folder / "db"), str(work / "restored.sqlite3")]
        )
    copy.run(["cp", "-r", str(data_dir / "media"), str(folder / "media")])
    restore.run(["cp", "-r", str(folder / "media"), str(work / "reference-media")])
    return copy, restore, size_of(folder)


def measure(profile, articles, files):
    with tempfile.TemporaryDirectory(prefix="newsdesk-backup-bench-") as folder:
        work = Path(folder)
        env, data_dir = prepare(profile, articles, files)
        startup = Clock()
        startup.run([NEWSDESK, "check"], env=env)
        backup = Clock()
        backup.run([NEWSDESK, "backup", str(work / "backup")], env=env)
        backup_bytes = size_of(work / "backup")

        restore_database = f"newsdesk_backup_bench_{articles}_restore"
        if profile == "production":
            recreate(restore_database)
        target_env = environment(profile, work / "restored", restore_database)
        restore = Clock()
        output = restore.run([NEWSDESK, "restore", str(work / "backup")], env=target_env)
        assert "as in the manifest" in output, output
        if profile == "production":
            with psycopg.connect(SERVER + "postgres", autocommit=True) as db:
                db.execute(f'DROP DATABASE "{restore_database}" WITH (FORCE)')
        else:
            with sqlite3.connect(work / "restored/newsdesk.sqlite3") as db:
                count = db.execute("SELECT COUNT(*) FROM articles_articlepage").fetchone()[0]
                assert count == articles, count

        ref_backup, ref_restore, ref_bytes = reference(profile, env, data_dir, work, articles)
    mib = 1024 * 1024
    print(f"{profile}, {articles} articles, {files} media files (wall, CPU):")
    print(f"  newsdesk check (start-up alone) {startup}")
    print(f"  newsdesk backup                 {backup}   {backup_bytes / mib:8.1f} MiB")
    print(f"  reference copy                  {ref_backup}   {ref_bytes / mib:8.1f} MiB")
    print(f"  newsdesk restore                {restore}   (checksums, database, media, migrate)")
    print(f"  reference restore               {ref_restore}")
    sys.stdout.flush()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--profile", choices=["embedded", "production", "both"], default="both")
    options = parser.parse_args()
    profiles = ["embedded", "production"] if options.profile == "both" else [options.profile]
    for profile in profiles:
        measure(profile, options.articles, options.files)


if __name__ == "__main__":
    main()
