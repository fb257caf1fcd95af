"""Jobs the task worker runs once a minute: scheduled publishing and newsletter sends.

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
from newsdesk.newsletters.sending import sends as sending

logger = logging.getLogger(__name__)

KEEP_RUNS_FOR = timedelta(days=1)


def publish_scheduled_pages():
    """Wagtail's go-live and expiry times: publish and unpublish what is due."""
    call_command("publish_scheduled", stdout=io.StringIO())


def send_newsletters():
    """Starts scheduled issues, and takes over batches of sends whose worker died or whose retry is due."""
    sending.start_scheduled_sends()
    sending.resume_stalled_batches()


JOBS = {
    "publish_scheduled_pages": publish_scheduled_pages,
    "send_newsletters": send_newsletters,
}


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
