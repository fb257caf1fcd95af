"""`newsdesk run`, which `make run` calls: the whole site from an empty data folder."""

import os
import re
import signal
import smtplib
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

# How long a fresh site may take to answer on a busy machine: migrations, the demo, three processes.
STARTING = 400


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children_of(pid):
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            child = int(stat.parent.name)
            found += [child, *children_of(child)]
    return found


def wait_for(url, deadline):
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status, response.read().decode()
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"{url} did not answer in time")


def test_run_serves_the_demo_site_and_stops_everything_on_sigterm(tmp_path):
    process, port, mail_port = start_run(tmp_path)
    children = []
    try:
        status, home = wait_for(f"http://127.0.0.1:{port}/", time.monotonic() + STARTING)
        assert status == 200
        assert "Latest stories" in home
        article_path = re.search(r'class="story-card__headline"><a href="([^"]+)"', home).group(1)
        status, article = wait_for(f"http://127.0.0.1:{port}{article_path}", time.monotonic() + 10)
        assert "min read" in article
        stylesheet = re.search(r'href="(/static/newsdesk/css/bundle\.[0-9a-f]+\.css)"', home).group(
            1
        )
        assert wait_for(f"http://127.0.0.1:{port}{stylesheet}", time.monotonic() + 10)[0] == 200
        assert wait_for(f"http://127.0.0.1:{port}/admin/login/", time.monotonic() + 10)[0] == 200

        # The worker runs beside the web server: its first periodic pass is recorded.
        deadline = time.monotonic() + 30
        with sqlite3.connect(tmp_path / "newsdesk.sqlite3") as db:
            while not db.execute("select count(*) from core_periodicjobrun").fetchone()[0]:
                assert time.monotonic() < deadline, "the task worker did not run"
                time.sleep(0.5)
        # Without EMAIL_URL the mail catcher runs too, and keeps what it is sent.
        with smtplib.SMTP("127.0.0.1", mail_port, timeout=10) as smtp:
            smtp.sendmail(
                "desk@example.org", ["reader@example.org"], b"Subject: Hello\r\n\r\nHi.\r\n"
            )
        assert [p.suffix for p in (tmp_path / "mail").iterdir()] == [".eml"]
        children = children_of(process.pid)
        assert len(children) >= 4  # web server (master and worker), task worker, mail catcher
    finally:
        output = stop_run(process, children)
    assert f"http://127.0.0.1:{port}/" in output
    assert "Demo editor: editor / demo-password-42" in output


def run_env(data_dir, port, mail_port):
    """The environment of `newsdesk run` on a fresh data folder on the embedded profile."""
    env = {
        **os.environ,
        "NEWSDESK_DATA_DIR": str(data_dir),
        "PORT": str(port),
        "NEWSDESK_DEMO_PASSWORD": "demo-password-42",
        "WEB_CONCURRENCY": "1",
        "NEWSDESK_MAILCATCHER_PORT": str(mail_port),
    }
    for name in (
        "EMAIL_URL",
        # A newcomer's shell: output into a pipe is buffered unless `run` says otherwise.
        "PYTHONUNBUFFERED",
        "DJANGO_SETTINGS_MODULE",
        "DATABASE_URL",
        "REDIS_URL",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
    ):
        env.pop(name, None)
    return env


def start_run(data_dir):
    """`newsdesk run` from a fresh data folder on the embedded profile; returns (process, port, mail port)."""
    port, mail_port = free_port(), free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "newsdesk", "run"],
        env=run_env(data_dir, port, mail_port),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return process, port, mail_port


def stop_run(process, children):
    process.send_signal(signal.SIGTERM)
    # A worker in the middle of a narration gets 15 s to finish it before it is killed.
    output, _ = process.communicate(timeout=60)
    assert process.returncode == 0, output
    time.sleep(0.5)
    assert [pid for pid in children if Path(f"/proc/{pid}").exists()] == []
    return output


def child_running(parent, word):
    """The pid of the parent's direct child whose command line holds `word`, or None."""
    for pid in children_of(parent):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            ppid = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue
        if ppid == parent and word.encode() in command:
            return pid
    return None


def wait_until(condition, seconds, message):
    deadline = time.monotonic() + seconds
    while not (found := condition()):
        assert time.monotonic() < deadline, message
        time.sleep(0.5)
    return found


def test_run_starts_again_a_child_that_dies_and_keeps_serving(tmp_path):
    process, port, _ = start_run(tmp_path)
    children = []
    try:
        assert wait_for(f"http://127.0.0.1:{port}/", time.monotonic() + STARTING)[0] == 200
        worker = wait_until(lambda: child_running(process.pid, "default"), 30, "no task worker")
        os.kill(worker, signal.SIGKILL)
        new_worker = wait_until(
            lambda: (pid := child_running(process.pid, "default")) != worker and pid,
            STARTING,
            "the task worker was not started again",
        )

        web = child_running(process.pid, "gunicorn")
        os.kill(web, signal.SIGKILL)
        new_web = wait_until(
            lambda: (pid := child_running(process.pid, "gunicorn")) != web and pid,
            STARTING,
            "the web server was not started again",
        )
        status, home = wait_for(f"http://127.0.0.1:{port}/", time.monotonic() + STARTING)
        assert status == 200 and "Latest stories" in home
        assert process.poll() is None
        children = [*children_of(process.pid), new_worker, new_web]
    finally:
        output = stop_run(process, children)
    assert "`newsdesk worker mail default` exited on signal 9; starting it again in 1 s" in output
    assert "`newsdesk web` exited on signal 9; starting it again in 1 s" in output


def test_a_readers_confirmation_leaves_while_the_demo_is_still_being_narrated(tmp_path):
    process, port, _ = start_run(tmp_path)
    children = []
    try:
        _, page = wait_for(f"http://127.0.0.1:{port}/newsletters/", time.monotonic() + STARTING)
        form = {
            name: re.search(rf'name="{name}" value="([^"]*)"', page).group(1)
            for name in ("newsletter", "started")
        }
        time.sleep(2.5)  # a reader takes a moment to type an address
        body = urllib.parse.urlencode({**form, "email": "reader@example.org", "website": ""})
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/newsletters/subscribe/", data=body.encode()
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert "confirmation email" in response.read().decode()

        mail = tmp_path / "mail"
        wait_until(
            lambda: mail.exists() and any(mail.iterdir()), 120, "no confirmation in two minutes"
        )
        with sqlite3.connect(tmp_path / "newsdesk.sqlite3") as db:
            (waiting,) = db.execute(
                "select count(*) from django_tasks_database_dbtaskresult"
                " where queue_name = 'narration' and status in ('READY', 'RUNNING')"
            ).fetchone()
        assert waiting > 1  # the demo's stories are still being narrated
        assert "Confirm your subscription" in next(mail.iterdir()).read_text()
        children = children_of(process.pid)
    finally:
        stop_run(process, children)


REPOSITORY = Path(__file__).resolve().parents[3]


class Lines:
    """The lines a process writes, each with the time it came, read as they come."""

    def __init__(self, stream):
        self.lines = []
        self.thread = threading.Thread(target=self.read, args=(stream,), daemon=True)
        self.thread.start()

    def read(self, stream):
        for line in stream:
            self.lines.append((time.monotonic(), line.rstrip("\n")))

    def text(self):
        return [line for _, line in self.lines]


def nice_of(pid):
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[16])


def get_timed(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    started = time.monotonic()
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200
        response.read()
    return time.monotonic() - started


def test_make_run_tells_a_newcomer_what_they_need_and_pages_stay_fast_while_the_demo_is_narrated(
    tmp_path,
):
    port, mail_port = free_port(), free_port()
    started = time.monotonic()
    make = subprocess.Popen(
        ["make", "--no-print-directory", "run"],
        cwd=REPOSITORY,
        env=run_env(tmp_path, port, mail_port),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output = Lines(make.stdout)
    run = None
    try:
        wait_for(f"http://127.0.0.1:{port}/", time.monotonic() + STARTING)
        run = wait_until(lambda: child_running(make.pid, "run"), 10, "no `newsdesk run` under make")
        # The banner again, once the site answers: the last thing a newcomer reads.
        wait_until(lambda: "Ready." in output.text(), 60, "no line saying the site is ready")
        time.sleep(1)
        after = output.text()[output.text().index("Ready.") :]
        assert f"newsdesk is running at http://127.0.0.1:{port}/" in after[:8]
        assert f"Admin: http://127.0.0.1:{port}/admin/" in after[:8]
        assert f"Outbox (mail caught on 127.0.0.1:{mail_port}): " in "\n".join(after[:8])
        assert "Demo editor: editor / demo-password-42" in after[:8]

        # While the demo's lead story is narrated (at a low priority, in a worker of its
        # own), a reader's pages are made and answered in well under a second.
        database = tmp_path / "newsdesk.sqlite3"

        def narrating():
            with sqlite3.connect(database) as db:
                return db.execute(
                    "select page_id from narration_narration where status = 'narrating'"
                ).fetchone()

        (narrated_first,) = wait_until(narrating, 120, "the demo is not being narrated")
        with sqlite3.connect(database) as db:
            (lead,) = db.execute(
                "select article_id from home_homefeaturedstory order by sort_order limit 1"
            ).fetchone()
        assert narrated_first == lead  # the front page's lead story first
        # Readers' pages take the cores first: the narration worker alone is niced.
        assert nice_of(child_running(run, "narration")) == 10
        assert nice_of(child_running(run, "gunicorn")) == 0
        home = f"http://127.0.0.1:{port}/"
        _, page = wait_for(home, time.monotonic() + 10)
        articles = re.findall(r'class="story-card__headline"><a href="([^"]+)"', page)[:3]
        # The cookie passes the page cache by, so each page is made for this request.
        timings = [get_timed(home, {"Cookie": "sessionid=none"}) for _ in range(3)]
        timings += [get_timed(f"http://127.0.0.1:{port}{path}") for path in articles]
        assert narrating(), "the narration ended before the pages were timed"
        assert max(timings) < 1, timings
        assert get_timed(f"http://127.0.0.1:{port}/favicon.ico") < 1

        # A minute in, a few dozen lines at most: no line per task or request.
        wait_until(lambda: time.monotonic() > started + 60, 70, "")
        first_minute = [line for at, line in output.lines if at < started + 60]
        assert len(first_minute) < 36, "\n".join(first_minute)
        assert not [line for line in output.text() if "Task id=" in line or "GET /" in line]
        assert "Narrating the stories: 0 of 14 done" in output.text()
        # The requests are in the access log in the data folder.
        # Each web worker writes its own lines, when it gets to them.
        wait_until(
            lambda: "GET /favicon.ico HTTP/1.1" in (tmp_path / "access.log").read_text(),
            20,
            "the favicon's request is not in the access log",
        )
    finally:
        if run:
            os.kill(run, signal.SIGTERM)
        make.wait(timeout=60)
        output.thread.join(timeout=10)
    assert make.returncode == 0, "\n".join(output.text())


def test_run_with_its_port_taken_says_what_to_do_in_one_line(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "newsdesk", "run"],
            env=run_env(tmp_path, port, free_port()),
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"CommandError: Port {port} on 127.0.0.1, for the web server, is taken (another "
        f"newsdesk running?): stop what uses it, or choose another port, e.g. PORT={port + 1} make run\n"
    )


@pytest.mark.parametrize(
    ("python", "said"),
    [
        ("/nonexistent/python3", "there is no /nonexistent/python3: install it"),
        ("PYTHON39", "PYTHON39 is Python 3.9.2: install a newer one and name it"),
    ],
)
def test_make_run_without_python_3_11_says_so_in_a_sentence(tmp_path, python, said):
    old_python = tmp_path / "python3.9"
    old_python.write_text('#!/bin/sh\n[ "$1" = -V ] && echo "Python 3.9.2" && exit 0\nexit 1\n')
    old_python.chmod(0o755)
    python = python.replace("PYTHON39", str(old_python))
    said = said.replace("PYTHON39", str(old_python))
    result = subprocess.run(
        ["make", "--no-print-directory", "run", f"VENV={tmp_path}/venv", f"PYTHON={python}"],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stdout.startswith("newsdesk needs Python 3.11 or newer, and ")
    assert said in result.stdout and len(result.stdout.splitlines()) == 1
    assert not (tmp_path / "venv").exists()
