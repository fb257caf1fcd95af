"""Real servers for the deployment tests: nginx with the shipped configuration, newsdesk's own processes."""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

# In the URLs of the services the fault tests start, to look for in what the processes show.
SECRET_DB_PASSWORD = "hunter2-db-password"
SECRET_REDIS_PASSWORD = "hunter2-redis-password"

REPOSITORY = Path(__file__).resolve().parents[3]
NGINX_SITE = REPOSITORY / "deploy" / "nginx" / "newsdesk.conf"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url, headers=None, timeout=10):
    """(status, headers, body) of a GET, errors included."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def wait_for(url, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            return fetch(url, timeout=5)
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer in time")


def nginx_binary():
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None
    )
    if not found:
        message = "Debian's nginx is not installed (apt-get install nginx); `make test` installs it as root"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def nginx_config(folder, upstream_port, static_root, media_root):
    """The shipped site configuration, pointed at this test's ports and folders, in a minimal nginx.conf."""
    port = free_port()
    site = NGINX_SITE.read_text()
    replacements = {
        "listen 80;": f"listen 127.0.0.1:{port};",
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{upstream_port};",
        "/var/cache/nginx/newsdesk": str(folder / "cache"),
        "/srv/newsdesk/var/static/": f"{static_root}/",
        "/srv/newsdesk/var/media/": f"{media_root}/",
    }
    for old, new in replacements.items():
        assert old in site, f"deploy/nginx/newsdesk.conf no longer has {old!r}"
        site = site.replace(old, new)
    (folder / "site.conf").write_text(site)
    user = (
        "user root;" if os.geteuid() == 0 else ""
    )  # the test's folders are readable by their owner only
    (folder / "nginx.conf").write_text(
        f"""{user}
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/site.conf;
}}
"""
    )
    return port


def start_nginx(folder, upstream_port, static_root, media_root):
    binary = nginx_binary()
    folder.mkdir(exist_ok=True)
    port = nginx_config(folder, upstream_port, static_root, media_root)
    check = subprocess.run(
        [binary, "-t", "-p", str(folder), "-c", str(folder / "nginx.conf")],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen(
        [binary, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off;"],
        start_new_session=True,
    )
    wait_for(f"http://127.0.0.1:{port}/static/")
    return process, port


def newsdesk_process(command, env, *args):
    """`newsdesk web` or `newsdesk worker` as its own process, output kept for the test to read."""
    # Open for as long as the process runs: stop() closes it.
    log = open(env["NEWSDESK_DATA_DIR"] + f"/{command}-{time.monotonic_ns()}.log", "w+")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "newsdesk", command, *args],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    process.log = log
    return process


def output_of(process):
    process.log.flush()
    process.log.seek(0)
    return process.log.read()


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    if log := getattr(process, "log", None):
        log.close()


def production_env(tmp_path, database_url, redis_url, **extra):
    """The environment of a production process: this run's test database and Redis."""
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DATABASE_URL=database_url,
        SECRET_KEY="s" * 20 + "0123456789abcdefghijklmnopqrstuvwxyz-secret",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        NEWSDESK_DATA_DIR=str(tmp_path),
        WEB_CONCURRENCY="1",
        WEB_THREADS="4",
        **extra,
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    else:
        env.pop("REDIS_URL", None)
    return env


def database_url_of(connection):
    """A URL for the database this test runs on (pytest's test_ database)."""
    params = connection.settings_dict
    user = params.get("USER") or "postgres"
    return f"postgres://{user}@{params.get('HOST') or '127.0.0.1'}:{params.get('PORT') or 5432}/{params['NAME']}"


class RestartableProxy:
    """A TCP proxy in front of a service this test may not restart (the machine's PostgreSQL).

    restart_begins() does to the processes behind it what a restarting server
    does: every open connection is dropped and new ones are refused, until
    restart_ends() accepts them again, on the same port.
    """

    def __init__(self, host, port):
        self.target = (host, port)
        self.port = free_port()
        self._lock = threading.Lock()
        self._open = set()
        self._listener = None
        self.restart_ends()

    def restart_ends(self):
        listener = socket.create_server(
            ("127.0.0.1", self.port)
        )  # SO_REUSEADDR: the port is ours again at once
        with self._lock:
            self._listener = listener
        threading.Thread(
            target=self._accept, args=(listener,), name="proxy-accept", daemon=True
        ).start()

    def restart_begins(self):
        with self._lock:
            listener, self._listener = self._listener, None
            dropped, self._open = self._open, set()
        if listener:
            # shutdown() wakes the thread blocked in accept(); close() alone would leave it listening.
            self._drop(listener)
        for sock in dropped:
            self._drop(sock)

    close = restart_begins

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # restart_begins() closed it
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self._lock:
                if listener is not self._listener:  # a restart began while connecting
                    self._drop(client), self._drop(upstream)
                    return
                self._open |= {client, upstream}
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(
                    target=self._pump, args=(source, sink), name="proxy-pump", daemon=True
                ).start()

    def _pump(self, source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for sock in (source, sink):
            with self._lock:
                self._open.discard(sock)
            self._drop(sock)

    @staticmethod
    def _drop(sock):
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()


def start_web(env, static):
    """`newsdesk web` on a free port of its own, with the collected static files; its base URL as .url."""
    shutil.copytree(static, env["NEWSDESK_DATA_DIR"] + "/static", dirs_exist_ok=True)
    port = free_port()
    web = newsdesk_process("web", env, "--bind", f"127.0.0.1:{port}")
    web.url = f"http://127.0.0.1:{port}"
    return web


def wait_until(check, timeout, message):
    """Polls check() until it returns something true; fails with message after timeout seconds."""
    deadline = time.monotonic() + timeout
    while not (outcome := check()):
        assert time.monotonic() < deadline, message
        time.sleep(0.2)
    return outcome
