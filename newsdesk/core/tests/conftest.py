"""What core's tests share: stories published as an editor would, documents public and private."""

import shutil
import subprocess
import sys

import pytest
import redis
from django.db import connection

from .servers import (
    SECRET_DB_PASSWORD,
    SECRET_REDIS_PASSWORD,
    RestartableProxy,
    free_port,
    production_env,
    wait_until,
)


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Runs the block and then its on-commit callbacks, as a real transaction would."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


@pytest.fixture
def stories(newsroom, publish_article, commit, run_tasks):
    """Two stories on different tags; the second, by the desk, shows a card of the first."""
    first = commit(publish_article, "Bridge reopens", tags=["bridges"])
    second = commit(
        publish_article,
        "Trams return",
        tags=["trams"],
        bylines=[newsroom["desk"]],
        body=[
            {"type": "paragraph", "value": "<p>Trams are back.</p>"},
            {"type": "related_story", "value": {"article": first.pk}},
        ],
    )
    run_tasks()  # the reference index, as the worker keeps it
    return first, second


def republish(article, commit, **fields):
    for name, value in fields.items():
        setattr(article, name, value)
    commit(lambda: article.save_revision().publish())
    article.refresh_from_db()
    return article


@pytest.fixture
def documents():
    """A public document, and one in a collection restricted to signed-in users."""
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document
    from wagtail.models import Collection, CollectionViewRestriction

    private = Collection.get_first_root_node().add_child(name="Board papers")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    public = Document.objects.create(
        title="Annual report", file=ContentFile(b"%PDF public", name="annual-report.pdf")
    )
    restricted = Document.objects.create(
        title="Board minutes",
        file=ContentFile(b"%PDF restricted", name="board-minutes.pdf"),
        collection=private,
    )
    return public, restricted


@pytest.fixture
def reader():
    """A reader whose session cookie takes every request past the page cache, to the kept fragments."""
    from django.test import Client

    client = Client()
    client.cookies["sessionid"] = "no-such-session"
    return client


@pytest.fixture
def redis_server(tmp_path):
    """A Redis server of this test's own on a free port, which the test stops and starts again.

    It has a password, in its URL, to look for in what the processes using it show.
    """
    binary = shutil.which("redis-server")
    if not binary:
        pytest.fail("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    args = [
        binary,
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        str(tmp_path),
        "--requirepass",
        SECRET_REDIS_PASSWORD,
    ]

    class Server:
        url = f"redis://:{SECRET_REDIS_PASSWORD}@127.0.0.1:{port}/0"

        def start(self):
            self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL)
            client = redis.Redis(port=port, password=SECRET_REDIS_PASSWORD)
            wait_until(lambda: self._answers(client), 20, "redis-server did not start")

        def _answers(self, client):
            try:
                return client.ping()
            except redis.ConnectionError:
                return False

        def stop(self):
            self.process.terminate()
            self.process.wait()

    server = Server()
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """The static files a production web process serves, collected once for the tests below."""
    folder = tmp_path_factory.mktemp("collected")
    env = production_env(folder, "postgres://unused@127.0.0.1/unused", None)
    subprocess.run(
        [sys.executable, "-m", "newsdesk", "collectstatic", "--noinput", "-v0"], env=env, check=True
    )
    return folder / "static"


@pytest.fixture
def database_proxy():
    """The test database behind a proxy that can "restart" it; its URL has a password, to look for in the output."""
    params = connection.settings_dict
    proxy = RestartableProxy(params["HOST"] or "127.0.0.1", int(params["PORT"] or 5432))
    user = params["USER"] or "postgres"
    proxy.url = f"postgres://{user}:{SECRET_DB_PASSWORD}@127.0.0.1:{proxy.port}/{params['NAME']}"
    yield proxy
    proxy.close()
