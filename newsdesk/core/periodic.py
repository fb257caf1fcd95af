"""Jobs the task worker runs once a minute: Wagtail's scheduled publishing, and those the apps register.

An app adds its own from its AppConfig.ready() with `register(name, job)`.
However many workers run, each job runs once per minute: a worker runs a job
only after inserting its (job, minute) row, and the database lets one insert
win.
"""

import io
import logging
from datetime import timedelta

from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from newsdesk.core.models import PeriodicJobRun

logger = logging.getLogger(__name__)

KEEP_RUNS_FOR = timedelta(days=1)


def publish_scheduled_pages():
    """Wagtail's go-live and expiry times: publish and unpublish what is due."""
    call_command("publish_scheduled", stdout=io.StringIO())


JOBS = {"publish_scheduled_pages": publish_scheduled_pages}


def register(name, job):
    """Runs job() once a minute, in one worker."""
    JOBS[name] = job


def claim(job, period):
    try:
        with transaction.atomic():
            PeriodicJobRun.objects.create(job=job, period=period)
    except IntegrityError:
        return False
    return True


def run_due_jobs(now=None):
    """Runs each job not yet run this minute; returns the names of those run."""
    now = now or timezone.now()
    period = now.replace(second=0, microsecond=0)
    ran = []
    for name, job in JOBS.items():
        if not claim(name, period):
            continue
        try:
            job()
        except Exception:
            logger.exception("Periodic job %s failed", name)
        ran.append(name)
    PeriodicJobRun.objects.filter(period__lt=period - KEEP_RUNS_FOR).delete()
    return ran
