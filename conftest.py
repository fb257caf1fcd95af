"""Fixtures shared by every app's tests: a small newsroom, and a real browser."""

import contextlib
import io
import os
import threading
import time

import pytest
from django.core.files.images import ImageFile

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Playwright's sync API runs an event loop in the test's thread; the tests'
# own database calls are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_addoption(parser):
    parser.addoption(
        "--screenshots",
        metavar="FOLDER",
        help="where the README's screenshots go (`make screenshots`: docs/images); "
        "by default a temporary folder",
    )


def pytest_configure(config):
    """Each pytest-xdist worker of the production run gets a Redis database of its own.

    The tests empty Redis before each test; two workers sharing one database would
    empty each other's. Worker N takes the Makefile's database number plus N, and
    the processes the tests start inherit it through the environment.
    """
    from django.conf import settings

    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not (worker and settings.REDIS_URL):
        return
    base, _, number = settings.REDIS_URL.rpartition("/")
    url = f"{base}/{int(number or 0) + int(worker.removeprefix('gw'))}"
    settings.REDIS_URL = os.environ["REDIS_URL"] = url
    settings.CACHES["default"]["LOCATION"] = url
    for queue in settings.RQ_QUEUES.values():
        queue["URL"] = url


def pytest_report_header(config):
    from django.conf import settings

    if not settings.REDIS_URL:
        return (
            "embedded profile: tests marked `production` run in the production run of `make test`"
        )


def pytest_collection_modifyitems(config, items):
    """Tests of several processes sharing PostgreSQL and Redis belong to the production run only.

    Tests of uploaded files (`media_storage`) are marked `media`: `pytest -m media`."""
    from django.conf import settings

    for item in items:
        if "media_storage" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.media)

    if settings.REDIS_URL and settings.PROFILE == "production":
        return
    production = [item for item in items if item.get_closest_marker("production")]
    if production:
        config.hook.pytest_deselected(items=production)
        items[:] = [item for item in items if not item.get_closest_marker("production")]


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path):
    # The cache is shared by every process, other test runs included. Each test
    # starts from an empty one: Wagtail caches renditions by image id, ids repeat
    # from test to test, and counters such as rate limits must start from zero.
    # The embedded cache gets its own folder; Redis (the production run's own
    # database number, see the Makefile) is emptied, task queues included.
    if settings.REDIS_URL:
        from django.core.cache import cache

        cache.clear()
    else:
        settings.CACHES = {
            "default": {**settings.CACHES["default"], "LOCATION": tmp_path / "cache"}
        }
    settings.MEDIA_ROOT = tmp_path / "media"
    # Tests that change content behind Wagtail's back expect the next request to
    # see it; the page cache's own tests turn it on (core/tests/test_pagecache.py).
    settings.PAGE_CACHE_SECONDS = 0
    settings.FRAGMENT_CACHE_SECONDS = (
        0  # the same, for parts of pages (core/tests/test_fragments.py)
    )
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()
    # On the disk whatever the environment says (NEWSDESK_S3_URL); tests of uploaded files run
    # in a bucket too (media_storage).
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(scope="session")
def s3_server():
    """A real S3-compatible server (moto's server mode) on a free loopback port, for the run."""
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # a line for every request
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"{host}:{port}"
    server.stop()


@pytest.fixture
def s3_media(settings, s3_server):
    """Media and private files in a bucket of this test's own on the S3 server, configured from
    a NEWSDESK_S3_URL by the settings' own parser and set up by `newsdesk media_bucket --apply`.
    Its value is the bucket's address."""
    import uuid

    from django.core.management import call_command

    from newsdesk.settings import s3_settings

    bucket = f"test-{uuid.uuid4().hex[:12]}"
    s3 = s3_settings(f"s3://test-key:test%2Fsecret@{s3_server}/{bucket}?region=eu-central-1")
    settings.AWS_S3_ACCESS_KEY_ID = s3["AWS_S3_ACCESS_KEY_ID"]
    settings.AWS_S3_SECRET_ACCESS_KEY = s3["AWS_S3_SECRET_ACCESS_KEY"]
    settings.STORAGES = {**settings.STORAGES, **s3["STORAGES"]}
    call_command("media_bucket", apply=True, stdout=io.StringIO())
    return f"http://{s3_server}/{bucket}"


@pytest.fixture(params=["disk", "s3"])
def media_storage(request):
    """Runs a test of uploaded files twice: on the local disk, and in an S3 bucket (`s3_media`);
    `pytest -m media -k s3` runs the second alone. Its value is the bucket's address, or None."""
    return request.getfixturevalue("s3_media") if request.param == "s3" else None


def make_image(
    title="A river at dusk", caption="The river at dusk.", credit="Ira Test / Test Agency"
):
    from PIL import Image

    from newsdesk.images.models import NewsImage

    buffer = io.BytesIO()
    Image.new("RGB", (1600, 900), (40, 90, 140)).save(buffer, format="JPEG")
    image = NewsImage(
        title=title, description=f"Illustration: {title.lower()}", caption=caption, credit=credit
    )
    image.file = ImageFile(buffer, name="test.jpg")
    image.save()
    return image


@pytest.fixture
def newsroom(base_site):
    """A home page, one section, a reporter, a desk and a picture; no stories yet."""
    from newsdesk.articles.models import SectionPage
    from newsdesk.core.models import NewsroomSettings
    from newsdesk.home.models import HomePage
    from newsdesk.people.models import Contributor

    home = HomePage.objects.get()
    settings_ = NewsroomSettings.for_site(home.get_site())
    settings_.name = "The Test Ledger"
    settings_.time_zone = "Europe/Kyiv"
    settings_.save()
    section = home.add_child(instance=SectionPage(title="City", slug="city"))
    section.save_revision().publish()
    return {
        "home": home,
        "section": section,
        "reporter": Contributor.objects.create(
            name="Ira Test", slug="ira-test", role="City reporter"
        ),
        "desk": Contributor.objects.create(name="News desk", slug="news-desk", kind="desk"),
        "image": make_image(),
    }


@pytest.fixture
def publish_article(newsroom):
    """Makes and publishes an article; keyword arguments set its fields."""
    from newsdesk.articles.models import ArticleByline, ArticlePage

    def publish(
        title="Bridge reopens after repairs", *, bylines=None, tags=(), published=True, **fields
    ):
        fields.setdefault("standfirst", "Traffic returns to the old bridge after six weeks.")
        fields.setdefault(
            "body",
            [{"type": "paragraph", "value": "<p>The old bridge reopened on Monday.</p>"}],
        )
        article = ArticlePage(title=title, live=False, **fields)
        article.bylines = [
            ArticleByline(contributor=c) for c in (bylines or [newsroom["reporter"]])
        ]
        article.tags.add(*tags)
        newsroom["section"].add_child(instance=article)
        revision = article.save_revision()
        if published:
            revision.publish()
        article.refresh_from_db()
        return article

    return publish


@pytest.fixture
def editor_client(client):
    """The test client, signed in as a member of staff who may do everything."""
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_superuser("chief", "chief@example.org", "pw"))
    return client


@pytest.fixture
def run_tasks():
    """Runs every queued background task, as `newsdesk worker` would; or only those of the queues named."""
    from newsdesk.core.queues import work

    def run(*queues):
        with ONE_CONNECTION if shared_connection() else contextlib.nullcontext():
            through_locks(lambda: work(queues, burst=True, verbosity=0))

    return run


# SQLite's in-memory test database is one connection, which the live server's threads
# and a task worker beside them share (see live_site and task_worker). On it, two
# threads' transactions interleave ("no such savepoint": an editor's autosave meeting
# the publish rolled the publish back) and a write meets another thread's unfinished
# read ("database table is locked"), as they never do on a database file, where each
# has a connection of its own and waits for the other. So they take turns: a request
# from its start until it has been sent, a background task from its start to its end.
ONE_CONNECTION = threading.Lock()


def shared_connection():
    """The default connection, when it is SQLite's in-memory database that threads must share."""
    from django.db import connections

    connection = connections["default"]
    return connection if connection.vendor == "sqlite" and connection.is_in_memory_db() else None


def through_locks(serve):
    """serve(), again whenever SQLite's in-memory test database answers "table is locked".

    A worker takes turns with the live server's threads (ONE_CONNECTION), not with
    the test's own thread, and SQLite answers at once instead of waiting; the worker,
    outside its own retry (at BEGIN), just tries again, as a process on a database
    file would after its busy timeout. Workers take each task in a transaction, so a try that failed took none.
    """
    from django.db import OperationalError

    while True:
        try:
            return serve()
        except OperationalError as error:
            if "locked" not in str(error):
                raise
            time.sleep(0.1)


@pytest.fixture
def task_worker():
    """A task worker serving every queue in a thread, beside the live server, as `newsdesk worker` would.

    A thread, not a process: the test database may be in this process's memory.
    The workers' loops are used directly because their commands install signal
    handlers, which only the main thread may do. Call the fixture's value to
    stop the worker before checking the database from the test.
    """

    from django.conf import settings
    from django.db import connections

    from newsdesk.core.queues import uses_rq

    # As Django's live server thread does: SQLite's in-memory test database is
    # used through the test's own connection, since a second connection to it
    # fails with "database table is locked" where a database file would wait.
    shared = shared_connection()

    if uses_rq():
        import django_rq
        from django_tasks_rq import Job
        from rq.timeouts import TimerDeathPenalty

        from newsdesk.core.queues import Worker

        class ThreadWorker(Worker):
            # Signals are for the main thread only: job timeouts by a timer thread instead
            # of SIGALRM, and the fixture's stop ends the loop between bursts instead of SIGTERM.
            death_penalty_class = TimerDeathPenalty

            def _install_signal_handlers(self):
                pass

        def work_a_while():
            worker = django_rq.get_worker(
                *settings.TASK_QUEUES, worker_class=ThreadWorker, job_class=Job
            )
            worker.work(burst=True, logging_level="WARNING")
    else:
        from django_tasks_db.management.commands.db_worker import Worker

        def work_a_while():
            """One ready task, taken and run in its turn with the live server (ONE_CONNECTION)."""
            worker = Worker(
                queue_names=["*"],
                interval=0.1,
                batch=True,
                backend_name="default",
                startup_delay=False,
                max_tasks=1,
                worker_id="test-worker",
                excluded_queue_names=[],
            )
            with ONE_CONNECTION if shared else contextlib.nullcontext():
                worker.run()

    stopping = threading.Event()

    def serve():
        while not stopping.is_set():
            work_a_while()
            stopping.wait(0.1)

    def run():
        if shared:
            connections[shared.alias] = shared
        try:
            through_locks(serve)
        finally:
            if not shared:
                connections.close_all()

    if shared:
        shared.inc_thread_sharing()
    thread = threading.Thread(target=run, name="test-worker", daemon=True)
    thread.start()

    def stop():
        if thread.is_alive():
            stopping.set()
            thread.join(timeout=30)
            if shared:
                shared.dec_thread_sharing()

    yield stop
    stop()


@pytest.fixture
def queued_tasks():
    """The background tasks waiting to run, on either queue: a list of (task path, args, run_after)."""
    from django.conf import settings

    from newsdesk.core.queues import uses_rq

    def waiting():
        if not uses_rq():
            from django_tasks_db.models import DBTaskResult

            return [
                (result.task_path, result.args_kwargs["args"], result.run_after)
                for result in DBTaskResult.objects.filter(status="READY").order_by("enqueued_at")
            ]
        import django_rq
        from rq.registry import ScheduledJobRegistry

        jobs = []
        for name in settings.TASK_QUEUES:
            queue = django_rq.get_queue(name, job_class="django_tasks_rq.Job")
            jobs += queue.jobs + [
                queue.fetch_job(id) for id in ScheduledJobRegistry(queue=queue).get_job_ids()
            ]
        return [(job.func_name, list(job.args), job.task_result.task.run_after) for job in jobs]

    return waiting


@pytest.fixture
def mail_catcher(settings, tmp_path):
    """The development mail catcher, a real SMTP server on a free loopback port; Django sends to it."""
    import socket

    from newsdesk.mailcatcher import server, store

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.MAILCATCHER_DIR = tmp_path / "mail"
    settings.EMAIL_BACKEND = "newsdesk.core.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    controller = server.start(settings.MAILCATCHER_DIR, "127.0.0.1", port)
    yield lambda: store.messages(settings.MAILCATCHER_DIR)
    controller.stop()


@pytest.fixture(scope="session", autouse=True)
def migrated_data(request, django_db_setup, django_db_blocker):
    """What the migrations put into an empty database: root and home page, site, collection.

    Taken before any test runs, so that no test's own data is in it. A run of
    tests that need no database has none set up, and nothing to take.
    """
    from django.db import connection

    if not any(
        item.get_closest_marker("django_db") or {"db", "transactional_db"} & set(item.fixturenames)
        for item in request.session.items
    ):
        return None

    with django_db_blocker.unblock():
        return connection.creation.serialize_db_to_string()


@pytest.fixture
def base_site(db, migrated_data):
    """A database holding what the migrations made: root and home page, site, collection.

    Transactional tests (those against a live server, among others) flush the
    database after each test, which would leave the next one without a home page.
    """
    from django.apps import apps
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection
    from wagtail.models import Page

    if not Page.objects.exists():
        # The flush re-created content types and permissions; clear them before restoring.
        call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
        connection.creation.deserialize_db_from_string(migrated_data)
        # The rows came back with their ids; PostgreSQL's sequences must count on from them.
        with connection.cursor() as cursor:
            models = [model for model in apps.get_models() if model._meta.managed]
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)


class RequestsInFlight:
    """Counts the requests the live server is answering, so a test can end after the last one.

    The database is flushed after each live test; a request still running then (a
    browser's late fetch, an editor's autosave) would use it from another thread and
    find its tables locked, failing the flush and leaving rows for the next tests.

    With a `turn` (ONE_CONNECTION), each request waits for it. Stripe's webhooks are
    let through: the Stripe stand-in sends them while the request that called it
    waits for its answer.
    """

    def __init__(self, application, turn):
        self.application = application
        self.count = 0
        self.changed = threading.Condition()
        self.turn = turn

    def __call__(self, environ, start_response):
        from django.urls import reverse

        with self.changed:
            self.count += 1
        turn = self.turn if environ["PATH_INFO"] != reverse("stripe_webhook") else None
        if turn:
            turn.acquire()
        try:
            response = self.application(environ, start_response)
        except BaseException:
            self._done(turn)
            raise
        return _ClosedThen(response, lambda: self._done(turn))

    def _done(self, turn):
        if turn:
            turn.release()
        with self.changed:
            self.count -= 1
            self.changed.notify_all()

    def wait_until_idle(self, timeout=30):
        with self.changed:
            self.changed.wait_for(lambda: self.count == 0, timeout=timeout)


class _ClosedThen:
    """A WSGI response that calls `then` once the server has closed it (sent it all)."""

    def __init__(self, response, then):
        self.response = response
        self.then = then

    def __iter__(self):
        return iter(self.response)

    def close(self):
        try:
            if hasattr(self.response, "close"):
                self.response.close()
        finally:
            self.then()


@pytest.fixture
def live_site(transactional_db, live_server, base_site):
    """The live server, over a database holding what the migrations made.

    It ends once the server has answered every request it was given (see RequestsInFlight).
    """
    server = live_server.thread.httpd
    if not isinstance(server.get_app(), RequestsInFlight):
        turn = ONE_CONNECTION if shared_connection() else None
        server.set_app(RequestsInFlight(server.get_app(), turn))
    yield live_server
    server.get_app().wait_until_idle()


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        message = f"Debian's Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_site):
    # Set up after the live site, so closed before it: no new request once it winds down.
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def assert_accessible():
    """Runs axe-core (shipped with axe-playwright-python) for WCAG 2.2 AA on a page."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page, within=None):
        """The whole page, or only what the CSS selector `within` names."""
        results = axe.run(
            page, context=within, options={"runOnly": {"type": "tag", "values": WCAG_AA_TAGS}}
        )
        assert results.violations_count == 0, results.generate_report()

    return check


@pytest.fixture
def picture_maker(db):
    """make_image, for a test that needs pictures of its own (another caption, no credit)."""
    return make_image


@pytest.fixture(scope="session")
def stripe_server():
    """The local Stripe stand-in (members/tests/stripe_standin.py), on a free loopback port, for the run."""
    from newsdesk.members.tests.stripe_standin import Server

    server = Server()
    yield server
    server.stop()


@pytest.fixture
def stripe_api(request, settings, stripe_server):
    """Stripe for one test: the stand-in emptied, and the settings' keys and address pointed at it.

    With a live server in the test, events go to its webhook as they happen;
    otherwise `stripe_api.deliver(client)` posts them through the test client.
    """
    from newsdesk.members.tests.stripe_standin import StripeAPI
    from newsdesk.settings import stripe_page_origins

    api = StripeAPI(stripe_server.url)
    api.reset()
    settings.STRIPE_SECRET_KEY = api.secret_key
    settings.STRIPE_PUBLISHABLE_KEY = api.publishable_key
    settings.STRIPE_WEBHOOK_SECRET = api.webhook_secret
    settings.STRIPE_API_BASE = api.url
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    settings.CONTENT_SECURITY_POLICY = {
        **settings.CONTENT_SECURITY_POLICY,
        "DIRECTIVES": {**directives, "form-action": ["'self'", *stripe_page_origins(api.url)]},
    }
    if "live_server" in request.fixturenames:
        api.register_webhook(request.getfixturevalue("live_server").url)
    yield api
    api.reset()
