"""Services going away while the site serves: slower or a clean 503, never a traceback or a secret."""

import shutil
import subprocess
import time

import pytest
import redis

from newsdesk.settings import redis_cache

from .servers import fetch, free_port, newsdesk_process, output_of, production_env, stop, wait_for

SECRET_DB_PASSWORD = "hunter2-db-password"


@pytest.fixture
def redis_server(tmp_path):
    """A Redis server of this test's own on a free port, which the test stops and starts again."""
    binary = shutil.which("redis-server")
    if not binary:
        pytest.fail("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(tmp_path)]

    class Server:
        url = f"redis://127.0.0.1:{port}/0"

        def start(self):
            self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL)
            for _ in range(100):
                try:
                    redis.Redis(port=port).ping()
                    return
                except redis.ConnectionError:
                    time.sleep(0.05)

        def stop(self):
            self.process.terminate()
            self.process.wait()

    server = Server()
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


@pytest.mark.django_db
def test_a_cache_that_goes_away_makes_pages_slower_not_broken(settings, redis_server, client, publish_article):
    settings.CACHES = {"default": redis_cache(redis_server.url)}
    settings.PAGE_CACHE_SECONDS = 60
    article = publish_article("Bridge reopens")
    client.get(article.url)
    assert client.get(article.url)["X-Page-Cache"] == "hit"

    redis_server.stop()
    started = time.monotonic()
    response = client.get(article.url)
    assert response.status_code == 200 and "Bridge reopens" in response.content.decode()
    assert response["X-Page-Cache"] == "miss"  # rendered, and not kept anywhere
    assert time.monotonic() - started < 5

    redis_server.start()  # the same process picks it up again
    client.get(article.url)
    assert client.get(article.url)["X-Page-Cache"] == "hit"


def test_without_its_database_the_site_answers_503_and_shows_no_secret(tmp_path):
    port = free_port()
    env = production_env(
        tmp_path,
        f"postgres://newsdesk:{SECRET_DB_PASSWORD}@127.0.0.1:{free_port()}/newsdesk",
        None,
        NEWSDESK_DB_POOL_TIMEOUT="1",
    )
    web = newsdesk_process("web", env, "--bind", f"127.0.0.1:{port}")
    try:
        status, headers, body = wait_for(f"http://127.0.0.1:{port}/")
        assert status == 503 and headers["Retry-After"]
        assert b"Back in a moment" in body
        status, _, body = fetch(f"http://127.0.0.1:{port}/city/some-story/")
        assert status == 503
        for secret in (SECRET_DB_PASSWORD, env["SECRET_KEY"]):
            assert secret.encode() not in body
            assert secret not in output_of(web)
        assert b"Traceback" not in body
    finally:
        stop(web)
