from django_tasks import task

from newsdesk.newsletters.models import Subscription
from newsdesk.newsletters.subscribers.emails import confirmation_message


@task(queue_name="mail")
def send_confirmation_email(subscriber_id, newsletter_ids):
    """Mails the confirmation link, unless the reader confirmed or left in the meantime."""
    pending = list(
        Subscription.objects.filter(
            subscriber_id=subscriber_id,
            newsletter_id__in=newsletter_ids,
            status=Subscription.Status.PENDING,
        )
        .select_related("subscriber", "newsletter__host")
        .order_by("newsletter__name")
    )
    if not pending:
        return 0
    return confirmation_message(pending[0].subscriber, [s.newsletter for s in pending]).send()
