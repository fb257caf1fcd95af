"""`newsdesk run`, which `make run` calls: the whole site from an empty data folder."""

import os
import re
import signal
import smtplib
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

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
        stylesheet = re.search(r'href="(/static/newsdesk/css/site\.[0-9a-f]+\.css)"', home).group(1)
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


def start_run(data_dir):
    """`newsdesk run` from a fresh data folder on the embedded profile; returns (process, port, mail port)."""
    port, mail_port = free_port(), free_port()
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
        "DJANGO_SETTINGS_MODULE",
        "DATABASE_URL",
        "REDIS_URL",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
    ):
        env.pop(name, None)
    process = subprocess.Popen(
        [sys.executable, "-m", "newsdesk", "run"],
        env=env,
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
        worker = wait_until(lambda: child_running(process.pid, "worker"), 30, "no task worker")
        os.kill(worker, signal.SIGKILL)
        new_worker = wait_until(
            lambda: (pid := child_running(process.pid, "worker")) != worker and pid,
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
    assert "`newsdesk worker` exited on signal 9; starting it again in 1 s" in output
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
