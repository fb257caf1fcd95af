import logging

from django_tasks import task

from newsdesk.core import smtp
from newsdesk.newsletters.models import Subscription, Suppression
from newsdesk.newsletters.subscribers.emails import confirmation_message

logger = logging.getLogger(__name__)


@task(queue_name="mail")
def send_confirmation_email(subscriber_id, newsletter_ids):
    """Mails the confirmation link, unless the reader confirmed or left, or the address was suppressed, meanwhile."""
    pending = list(
        Subscription.objects.filter(
            subscriber_id=subscriber_id,
            newsletter_id__in=newsletter_ids,
            status=Subscription.Status.PENDING,
        )
        .select_related("subscriber", "newsletter__host")
        .order_by("newsletter__name")
    )
    # Suppressed since it was asked for (a bounce of an earlier mail, a complaint).
    if not pending or Suppression.covers(pending[0].subscriber.email):
        return 0
    message = confirmation_message(pending[0].subscriber, [s.newsletter for s in pending])
    try:
        return message.send()
    except smtp.NotOffered as refused:
        # Retrying cannot help: only another mail server could carry it.
        logger.warning("Confirmation email to subscriber %s not sent: %s", subscriber_id, refused)
        return 0
