from django_tasks import task

from newsdesk.newsletters.models import Issue
from newsdesk.newsletters.sending import delivery
from newsdesk.newsletters.subscribers.emails import test_issue_message


@task(queue_name="mail")
def send_batch(batch_id):
    """One batch of an issue's recipients (delivery.py); safe to run twice or late."""
    return delivery.run_batch(batch_id)


@task(queue_name="mail")
def send_test_issue(issue_id, address):
    issue = Issue.objects.select_related("newsletter__host").get(pk=issue_id)
    return test_issue_message(issue, address).send()
