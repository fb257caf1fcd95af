"""Running the task queue: the database queue, or RQ on Redis when REDIS_URL is set."""

import django_rq
from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django_tasks_rq import Job
from rq.worker import SimpleWorker


def release_connections():
    """Django's close_old_connections, except inside a transaction opened around the worker (by a test)."""
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()


class Worker(SimpleWorker):
    """RQ's worker, running each task in its own process instead of a forked child.

    Forking would copy the database connection pool without its threads;
    in-process jobs share the pool, and like a request each job starts and ends
    by releasing its connections, so one broken by a PostgreSQL restart is
    replaced instead of failing every later job.
    """

    def execute_job(self, job, queue):
        release_connections()
        try:
            return super().execute_job(job, queue)
        finally:
            release_connections()


def uses_rq():
    return settings.TASKS["default"]["BACKEND"] == "django_tasks_rq.RQBackend"


def work(queues=(), burst=False, verbosity=1):
    """Serves the queues named (all by default) until stopped, or until they are empty with burst."""
    queues = list(queues) or settings.TASK_QUEUES
    if uses_rq():
        worker = django_rq.get_worker(*queues, worker_class=Worker, job_class=Job)
        # RQ's scheduler moves tasks queued with run_after (retries) onto their queue when due;
        # in burst mode it does so once, before the queues are emptied.
        worker.work(burst=burst, with_scheduler=True, logging_level="INFO" if verbosity else "WARNING")
    elif burst:
        call_command(
            "db_worker", batch=True, reload=False, startup_delay=False, queue_name=",".join(queues), verbosity=verbosity
        )
    else:
        call_command("db_worker", queue_name=",".join(queues), interval=1, reload=False, verbosity=verbosity)
