from datetime import datetime

from django.db import transaction
from django_tasks import default_task_backend, task

from newsdesk.newsletters.models import Issue
from newsdesk.newsletters.sending import delivery
from newsdesk.newsletters.sending.messages import test_issue_message


def enqueue_batch(batch_id: int, run_after: datetime | None = None) -> None:
    """Queues the batch's task once the current transaction commits."""
    task = send_batch
    if run_after is not None and default_task_backend.supports_defer:
        task = task.using(run_after=run_after)
    # Without deferral the task runs early, finds the batch not yet due, and the once-a-minute
    # sweep (sends.resume_stalled_batches) queues it again when it is.
    transaction.on_commit(lambda: task.enqueue(batch_id))


@task(queue_name="mail")
def send_batch(batch_id):
    """One batch of an issue's recipients (delivery.py); safe to run twice or late."""
    run = delivery.run_batch(batch_id)
    # delivery.py only says which batches are due again: queuing them is this module's, so that
    # delivery needs neither the task nor the send's steering (sends.py), which queues through here.
    for pk, run_after in run.due:
        enqueue_batch(pk, run_after)
    return run.sent


@task(queue_name="mail")
def send_test_issue(issue_id, address):
    issue = Issue.objects.select_related("newsletter__host").get(pk=issue_id)
    return test_issue_message(issue, address).send()
