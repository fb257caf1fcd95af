"""`newsdesk run`'s line of progress for the queues apps set apart (narration's)."""

import io
from datetime import timedelta

import pytest
from django.core.management.base import OutputWrapper
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from newsdesk.core import queues
from newsdesk.core.management.commands.run import PROGRESS_EVERY, Progress

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _database_queue(settings):
    # The line counts the database queue's results, as `make run` has them; on RQ (the
    # production run of the tests) finished tasks are not kept to count, and no line is made.
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.TASK_QUEUES}
    }


@task(queue_name="narration")
def slow_work():
    return None


def finish(result):
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.SUCCESSFUL, finished_at=timezone.now()
    )


def test_a_line_each_time_the_work_advances_until_it_is_done(django_capture_on_commit_callbacks):
    assert queues.set_apart_queues() == {"narration": 10}  # narration's apps.py
    with django_capture_on_commit_callbacks(execute=True):
        # Left running by a worker that died before this run: not counted.
        stale = slow_work.enqueue()
        DBTaskResult.objects.filter(pk=stale.id).update(
            status=TaskResultStatus.RUNNING, started_at=timezone.now() - timedelta(minutes=9)
        )
    out = io.StringIO()
    progress = Progress(OutputWrapper(out))
    progress.look(0)
    assert out.getvalue() == ""  # nothing to do, nothing said

    with django_capture_on_commit_callbacks(execute=True):
        work = [slow_work.enqueue() for _ in range(3)]
    moments = iter(range(PROGRESS_EVERY, 1000, PROGRESS_EVERY))
    progress.look(next(moments))
    finish(work[0])
    progress.look(next(moments))
    progress.look(next(moments))  # unchanged: no line
    finish(work[1])
    progress.look(1)  # too soon after the last look: not looked at
    finish(work[2])
    progress.look(next(moments))
    progress.look(next(moments))  # done: no more lines
    assert out.getvalue().splitlines() == [
        "Narrating the stories: 0 of 3 done",
        "Narrating the stories: 1 of 3 done",
        "Narrating the stories: 3 of 3 done",
    ]
