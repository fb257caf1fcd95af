"""The micro-cache's expiry never makes a reader wait: a stale page is served while one request refreshes it."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from .servers import fetch, start_nginx, stop


class SlowableApp(BaseHTTPRequestHandler):
    """An app server whose page and answering time the test sets; it counts the requests it gets."""

    protocol_version = "HTTP/1.1"
    page, delay, requests = b"first version", 0.0, 0

    def do_GET(self):
        type(self).requests += 1
        time.sleep(self.delay)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(self.page)))
        self.end_headers()
        self.wfile.write(self.page)

    def log_message(self, *args):
        pass


@pytest.fixture
def front(tmp_path):
    app = type("App", (SlowableApp,), {})
    server = ThreadingHTTPServer(("127.0.0.1", 0), app)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    (tmp_path / "static-root").mkdir()
    (tmp_path / "media-root").mkdir()
    process, port = start_nginx(
        tmp_path / "nginx",
        server.server_address[1],
        tmp_path / "static-root",
        tmp_path / "media-root",
    )
    yield f"http://127.0.0.1:{port}/city/bridge-reopens/", app
    stop(process)
    server.shutdown()


def timed_fetch(url):
    started = time.monotonic()
    status, headers, body = fetch(url)
    return status, headers["X-Micro-Cache"], body, time.monotonic() - started


def test_an_expired_page_is_served_stale_at_once_while_one_request_refreshes_it(front):
    url, app = front
    assert timed_fetch(url)[1:3] == ("MISS", b"first version")
    # Past proxy_cache_valid (1 s): nginx counts whole seconds and calls a copy stale
    # only once its clock's second is past the copy's last valid one, up to 2 s after.
    time.sleep(2.2)
    app.page, app.delay = b"second version", 2.0  # a publish, and an app slow to render it

    status, cache, body, took = timed_fetch(url)
    assert (status, cache, body) == (200, "STALE", b"first version")
    assert took < 1.0  # not the app's 2 s
    # Readers meanwhile get the stale copy too, and do not add to the app's load.
    status, cache, body, took = timed_fetch(url)
    assert (cache, body) == ("UPDATING", b"first version") and took < 1.0
    # nginx sends the refresh after answering STALE: on a busy machine it may reach the app
    # only after the reader's answer.
    deadline = time.monotonic() + 1.5
    while app.requests < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert app.requests == 2

    time.sleep(2.5)  # the refresh has come back
    assert timed_fetch(url)[1:3] == ("HIT", b"second version")
    assert app.requests == 2
