"""Is this process up, and can it reach what it needs: the checks behind /healthz and /readyz.

Each check is generic (core knows no app above it): the database answers and
has every migration applied, the cache keeps a value, the task queue (the
database's table, or Redis) answers, and the mail server (SMTP, or the
embedded profile's mail catcher) greets and answers NOOP. Each waits at most
about a second for its service, so that a stopped PostgreSQL or Redis gives a
503 within two seconds instead of holding the load balancer's probe.
"""

import logging
import smtplib
import time
import uuid
from collections.abc import Callable

import redis
from django.conf import settings
from django.core.cache import cache
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# Seconds each service has to answer: a probe needs a quick "no", not a hanging one.
TIMEOUT = 1.0

CACHE_KEY = f"health:{uuid.uuid4().hex}"


class NotReady(Exception):
    """A service answered, but not as it should (a migration not applied, a value not kept)."""


def check_database() -> None:
    """The database answers, and has every migration of this code applied."""
    ping_database()
    check_migrations(connections[DEFAULT_DB_ALIAS])


def ping_database() -> None:
    """SELECT 1 through the pool, waiting at most TIMEOUT for a connection."""
    connection = connections[DEFAULT_DB_ALIAS]
    pool = getattr(connection, "pool", None)
    if pool is not None:
        # Django's own borrowing would wait the pool's full timeout (NEWSDESK_DB_POOL_TIMEOUT).
        pool.open()
        with pool.connection(timeout=TIMEOUT) as raw:
            raw.execute("SELECT 1")
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")


_migrations_applied = set()


def check_migrations(connection) -> None:
    # Reading every migration from the disk is the slow part: once all are applied, this
    # process's code has none left to apply (an upgrade restarts it), so it is done once.
    if connection.alias in _migrations_applied:
        return
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        raise NotReady(f"{len(plan)} migrations not applied")
    _migrations_applied.add(connection.alias)


def check_cache() -> None:
    """The shared cache keeps and returns a value (django-redis reads Redis away as a miss)."""
    token = uuid.uuid4().hex
    cache.set(CACHE_KEY, token, timeout=30)
    if cache.get(CACHE_KEY) != token:
        raise NotReady("the cache did not keep a value")


def check_task_queue() -> None:
    """The task backend's store: Redis answers PING, or the database's task table is readable."""
    backend = settings.TASKS["default"]["BACKEND"]
    if backend == "newsdesk.core.tasks_backend.RQBackend":
        for url in {queue["URL"] for queue in settings.RQ_QUEUES.values()}:
            client = redis.Redis.from_url(
                url, socket_connect_timeout=TIMEOUT, socket_timeout=TIMEOUT
            )
            try:
                client.ping()
            finally:
                client.close()
    elif backend == "django_tasks_db.DatabaseBackend":
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.exists()
    else:
        raise NotReady(f"no check for the task backend {backend}")


def check_mail() -> None:
    """The SMTP server greets and answers NOOP; any other mail backend (an ESP's API) is not checked."""
    if not issubclass(import_string(settings.EMAIL_BACKEND), SMTPBackend):
        return
    smtp = smtplib.SMTP_SSL if settings.EMAIL_USE_SSL else smtplib.SMTP
    with smtp(settings.EMAIL_HOST, settings.EMAIL_PORT, timeout=TIMEOUT) as server:
        code, _ = server.noop()
        if code != 250:
            raise NotReady(f"NOOP answered {code}")


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "cache": check_cache,
    "task_queue": check_task_queue,
    "mail": check_mail,
}


def readiness() -> tuple[bool, dict]:
    """Runs every check: whether all passed, and each one's result and time in seconds.

    Results name the kind of error only: the probe is public, and the message of
    a connection error names hosts and ports. The full message goes to the log.
    """
    results = {}
    for name, check in CHECKS.items():
        started = time.monotonic()
        try:
            check()
        except Exception as error:
            logger.warning("Readiness check %s failed: %s: %s", name, type(error).__name__, error)
            result = {"ok": False, "error": type(error).__name__}
        else:
            result = {"ok": True}
        result["seconds"] = round(time.monotonic() - started, 4)
        results[name] = result
    return all(result["ok"] for result in results.values()), results
