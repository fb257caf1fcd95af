import logging
import os
import threading
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from newsdesk.core.periodic import run_due_jobs
from newsdesk.core.queues import work

logger = logging.getLogger("newsdesk.worker")


def run_periodic_jobs_forever():
    while True:
        try:
            close_old_connections()
            run_due_jobs()
        except Exception:
            logger.exception("Periodic jobs failed; trying again next minute")
        finally:
            close_old_connections()
        # Wake a second into the next minute, so each pass lands in its own minute.
        time.sleep(61 - time.time() % 60)


class Command(BaseCommand):
    help = (
        "Runs the background task worker (RQ when REDIS_URL is set, the database queue otherwise) "
        "and the once-a-minute jobs (scheduled publishing and newsletter sends)."
    )

    def add_arguments(self, parser):
        parser.add_argument("queues", nargs="*", help="queues to serve (default: all, mail first)")
        parser.add_argument(
            "--nice",
            type=int,
            default=0,
            help="run at this lower OS priority (niceness), so that web servers on the same "
            "machine take the cores first",
        )

    def handle(self, *args, queues, nice, **options):
        if nice:
            # Before any thread starts: threads (the voice's too) inherit it.
            os.nice(nice)
        threading.Thread(target=run_periodic_jobs_forever, name="periodic", daemon=True).start()
        work(queues, verbosity=options["verbosity"])
