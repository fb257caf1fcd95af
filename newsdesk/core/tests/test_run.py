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
import urllib.request
from pathlib import Path


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
    port = free_port()
    env = {
        **os.environ,
        "NEWSDESK_DATA_DIR": str(tmp_path),
        "PORT": str(port),
        "NEWSDESK_DEMO_PASSWORD": "demo-password-42",
        "WEB_CONCURRENCY": "1",
        "NEWSDESK_MAILCATCHER_PORT": str(mail_port := free_port()),
    }
    # `make run` from a fresh clone: the embedded profile, whichever run of the suite this is.
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
    try:
        status, home = wait_for(f"http://127.0.0.1:{port}/", time.monotonic() + 120)
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
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    assert f"http://127.0.0.1:{port}/" in output
    assert "Demo editor: editor / demo-password-42" in output
    time.sleep(0.5)
    assert [pid for pid in children if Path(f"/proc/{pid}").exists()] == []
