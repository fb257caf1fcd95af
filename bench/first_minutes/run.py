"""A reader's page while the demo is narrated: the narration worker at nice 10 (what
`newsdesk run` does) against nice 0 and against no narration at all, same run.

    .venv/bin/python bench/first_minutes/run.py [--requests 40]

Loads the demo into a throwaway data folder (its 14 narrations queued), starts
`newsdesk web` (one process, as on a small machine), and times pages made for
the request (a session cookie passes the page cache by: the home page and every
demo story in turn) three times: with no worker running (the reference), while
`newsdesk worker narration` synthesises a story at nice 0, and while it does at
nice 10. It prints the median, 95th percentile and slowest of each.
"""

import argparse
import os
import re
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def newsdesk(env, *args, **kwargs):
    return subprocess.Popen([sys.executable, "-m", "newsdesk", *args], env=env, cwd=ROOT, **kwargs)


def get(url, cookie=True):
    request = urllib.request.Request(url, headers={"Cookie": "sessionid=none"} if cookie else {})
    started = time.monotonic()
    with urllib.request.urlopen(request, timeout=60) as response:
        body = response.read().decode()
    return time.monotonic() - started, body


def wait(condition, seconds):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            sys.exit("timed out")
        time.sleep(0.5)


def timings(urls, count):
    return sorted(get(urls[n % len(urls)])[0] for n in range(count))


def row(name, times):
    p95 = times[max(0, round(len(times) * 0.95) - 1)]
    return f"| {name} | {statistics.median(times) * 1000:.0f} ms | {p95 * 1000:.0f} ms | {times[-1] * 1000:.0f} ms |"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=40)
    options = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="newsdesk-bench-first-minutes-")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "NEWSDESK_DATA_DIR": data_dir, "PORT": str(port), "WEB_CONCURRENCY": "1"}
    for name in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "EMAIL_URL"):
        env.pop(name, None)
    for command in (["migrate"], ["collectstatic", "--no-input"], ["load_demo"]):
        newsdesk(env, *command, "--verbosity", "0", stdout=subprocess.DEVNULL).wait()
    web = newsdesk(env, "web", "--verbosity", "0")
    database = sqlite3.connect(Path(data_dir) / "newsdesk.sqlite3")

    def narrating():
        return database.execute(
            "select count(*) from narration_narration where status = 'narrating' and chunks_total > 0"
        ).fetchone()[0]

    try:
        home = f"http://127.0.0.1:{port}/"
        wait(lambda: _answers(home), 120)
        paths = re.findall(r'class="story-card__headline"><a href="([^"]+)"', get(home)[1])
        urls = [home, *(f"http://127.0.0.1:{port}{path}" for path in dict.fromkeys(paths))]
        timings(urls, len(urls))  # warm: templates compiled, connections open
        results = [("no narration running (reference)", timings(urls, options.requests))]
        for nice in (0, 10):
            worker = newsdesk(env, "worker", "narration", "--nice", str(nice), "--verbosity", "0")
            wait(narrating, 120)
            time.sleep(3)  # the voice loaded and synthesising
            results.append((f"narration worker at nice {nice}", timings(urls, options.requests)))
            busy = narrating()
            for _ in range(2):  # the second signal stops it without waiting for the story
                worker.send_signal(signal.SIGTERM)
                time.sleep(0.5)
            worker.wait(timeout=30)
            database.execute("update narration_narration set status = 'queued'")
            database.commit()
            if not busy:
                print(f"(the narration at nice {nice} ended while timing: figures understate it)")
    finally:
        web.terminate()
        web.wait(timeout=30)
    print(
        f"{options.requests} pages made for the request (home and {len(urls) - 1} stories), cores: {os.cpu_count()}"
    )
    print("| | median | 95th percentile | slowest |\n|---|---|---|---|")
    for name, times in results:
        print(row(name, times))


def _answers(url):
    try:
        get(url, cookie=False)
        return True
    except OSError:
        return False


if __name__ == "__main__":
    main()
