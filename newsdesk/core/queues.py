"""Running the task queue: the database queue, or RQ on Redis when REDIS_URL is set."""

import logging
import signal
import sys
import threading
import time
import uuid
from datetime import datetime

import django_rq
from django.conf import settings
from django.db import connections
from django.db.models import Q
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker as DatabaseWorker
from django_tasks_db.models import DBTaskResult
from django_tasks_rq import Job
from redis.exceptions import RedisError
from rq.exceptions import StopRequested
from rq.worker import SimpleWorker

logger = logging.getLogger("newsdesk.worker")

# The queues an app sets apart (`set_apart`): each gets a worker process of its own
# under `newsdesk run`, at its niceness, and a line each time its work advances.
_set_apart: dict[str, tuple[int, str]] = {}

# After RQ's loop has stopped on an error (Redis went away during a task, say),
# `newsdesk worker` starts a new one after the first delay, doubling up to the
# second while Redis stays away, so the worker is back within seconds of Redis.
RESTART_DELAYS = (1, 8)


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

    # RQ retries a lost connection while waiting for a task, with a delay that
    # doubles up to a minute; capped lower, the worker finds Redis back sooner.
    max_connection_wait_time = 8.0

    def __init__(self, *args, **kwargs):
        # RQ's scheduler (delayed retries) runs in a process of its own that ends
        # on any Redis error; the worker starts it again at its maintenance, every
        # ten minutes by default: every minute, retries are late by a minute at most.
        kwargs.setdefault("maintenance_interval", 60)
        super().__init__(*args, **kwargs)
        self.stop_requested = False

    def request_stop(self, signum, frame):
        self.stop_requested = True
        super().request_stop(signum, frame)

    def execute_job(self, job, queue):
        release_connections()
        try:
            return super().execute_job(job, queue)
        finally:
            release_connections()

    def teardown(self):
        """RQ's, except that with Redis away the listener for commands still stops, instead of
        retrying beside the next worker; recording the worker's end in Redis is what fails."""
        try:
            super().teardown()
        except RedisError:
            if self.pubsub_thread:
                self.pubsub_thread.stop()
            raise


def set_apart(queue: str, niceness: int, progress: str) -> None:
    """Declares a queue whose tasks take minutes of every core (narration, say).

    `newsdesk run` serves it in a worker process of its own at this OS
    niceness, so readers' pages and mail take the cores first, and says how
    far its work is with `progress`, a format of {done} and {total}.
    Called from the app's AppConfig.ready().
    """
    _set_apart[queue] = (niceness, progress)


def set_apart_queues() -> dict[str, int]:
    """The queues set apart and their niceness."""
    return {queue: niceness for queue, (niceness, _) in _set_apart.items()}


def describe(queue: str, done: int, total: int) -> str:
    return _set_apart[queue][1].format(done=done, total=total)


def backlog(queue: str, since: datetime, workers_started: datetime) -> tuple[int, int] | None:
    """(tasks of the queue finished since then, tasks waiting or running) on the database
    queue; None on RQ, whose finished tasks are not kept. A task running since before
    the workers started is left out: its worker died with it (its lease takes it up)."""
    if uses_rq():
        return None
    results = DBTaskResult.objects.filter(backend_name="default", queue_name=queue)
    return (
        results.finished().filter(finished_at__gte=since).count(),
        results.filter(
            Q(status=TaskResultStatus.READY)
            | Q(status=TaskResultStatus.RUNNING, started_at__gte=workers_started)
        ).count(),
    )


def set_task_log_level(verbosity: int) -> None:
    """Each task's start and end at verbosity 1 (django-tasks' own choice); at 0 only failures."""
    level = {0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG)
    for name in ("django_tasks", "django_tasks_db"):
        logging.getLogger(name).setLevel(level)


def uses_rq():
    return settings.TASKS["default"]["BACKEND"] == "newsdesk.core.tasks_backend.RQBackend"


def work(queues=(), burst=False, verbosity=1):
    """Serves the queues named (all by default) until stopped, or until they are empty with burst."""
    queues = list(queues) or settings.TASK_QUEUES
    set_task_log_level(verbosity)
    if uses_rq():
        work_on_redis(queues, burst, logging_level="INFO" if verbosity else "WARNING")
    else:
        if burst:
            drain_database_queues(queues)
        else:
            work_on_database(queues)


def database_worker(queue, batch=False, max_tasks=None):
    return DatabaseWorker(
        queue_names=[queue],
        interval=1,
        batch=batch,
        backend_name="default",
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id=f"{queue}-{uuid.uuid4().hex[:20]}",
        excluded_queue_names=[],
    )


def drain_database_queues(queues):
    """Runs every ready task, one at a time, each from the first queue (in the order given) that has one."""
    while True:
        ready = DBTaskResult.objects.ready().filter(backend_name="default")
        queue = next((q for q in queues if ready.filter(queue_name=q).exists()), None)
        if queue is None:
            return
        database_worker(queue, batch=True, max_tasks=1).run()


def work_on_database(queues):
    """Serves each queue in a thread of its own until SIGINT or SIGTERM.

    django-tasks-db's worker takes the oldest ready task of all its queues
    alike, so a reader's confirmation would wait behind every narration and
    index update queued before it, and behind the one being run: here mail
    is taken as soon as it is queued, whatever the other queues hold.
    A signal lets running tasks finish (a second one does not wait); a thread
    that dies ends the process, for its supervisor to start again.
    """
    workers = [database_worker(queue) for queue in queues]
    threads = [
        threading.Thread(target=serve_in_thread, args=(worker,), name=worker.queue_names[0])
        for worker in workers
    ]
    stopping = threading.Event()

    def stop(signum, frame):
        if stopping.is_set():
            logger.warning("Stopping without waiting for running tasks")
            sys.exit(1)
        stopping.set()
        for worker in workers:
            worker.running = False

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, stop)
    for thread in threads:
        thread.daemon = True
        thread.start()
    while not stopping.wait(1):
        dead = [thread.name for thread in threads if not thread.is_alive()]
        if dead:
            sys.exit(f"The worker of the {dead[0]} queue stopped on an error")
    for thread in threads:
        thread.join()


def serve_in_thread(worker):
    try:
        worker.run()
    except Exception:
        logger.exception("The worker of the %s queue failed", worker.queue_names[0])
    finally:
        connections.close_all()


def work_on_redis(queues, burst, logging_level):
    """RQ's worker, started again whenever its loop stops on an error rather than on request.

    RQ rides out Redis going away only while it waits for a task; gone while a
    task runs or between two, RQ's loop logs the error and ends. Without this,
    every Redis restart would leave the queues unserved until the process was.
    """
    delay = RESTART_DELAYS[0]
    while True:
        started = time.monotonic()
        worker = error = None
        try:
            worker = django_rq.get_worker(*queues, worker_class=Worker, job_class=Job)
            # RQ's scheduler moves tasks queued with run_after (retries) onto their queue when due;
            # in burst mode it does so once, before the queues are emptied.
            worker.work(burst=burst, with_scheduler=True, logging_level=logging_level)
        except RedisError as raised:  # Redis away as the worker starts or records its end
            if burst:
                raise
            error = raised
        except StopRequested:
            return
        if burst or (worker and worker.stop_requested):
            return
        if time.monotonic() - started > RESTART_DELAYS[1]:
            delay = RESTART_DELAYS[0]  # it served a while: a new failure, not the same one
        reason = f"{type(error).__name__}: {error}" if error else "see above"
        logger.warning(
            "The task worker stopped on an error (%s); starting again in %d s", reason, delay
        )
        try:
            time.sleep(delay)
        except (
            StopRequested
        ):  # SIGTERM while waiting, through the handler of the worker that stopped
            return
        delay = min(delay * 2, RESTART_DELAYS[1])
