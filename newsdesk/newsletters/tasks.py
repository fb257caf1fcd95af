from django_tasks import task

from newsdesk.newsletters import delivery
from newsdesk.newsletters.emails import confirmation_message, test_issue_message
from newsdesk.newsletters.models import Issue, Subscription


@task(queue_name="mail")
def send_confirmation_email(subscriber_id, newsletter_ids):
    """Mails the confirmation link, unless the reader confirmed or left in the meantime."""
    pending = list(
        Subscription.objects.filter(
            subscriber_id=subscriber_id, newsletter_id__in=newsletter_ids, status=Subscription.Status.PENDING
        )
        .select_related("subscriber", "newsletter__host")
        .order_by("newsletter__name")
    )
    if not pending:
        return 0
    return confirmation_message(pending[0].subscriber, [s.newsletter for s in pending]).send()


@task(queue_name="mail")
def send_batch(batch_id):
    """One batch of an issue's recipients (delivery.py); safe to run twice or late."""
    return delivery.run_batch(batch_id)


@task(queue_name="mail")
def send_test_issue(issue_id, address):
    issue = Issue.objects.select_related("newsletter__host").get(pk=issue_id)
    return test_issue_message(issue, address).send()
