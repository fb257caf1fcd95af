import logging

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from newsdesk.core import smtp

logger = logging.getLogger(__name__)


@task(queue_name="mail")
def send_receipt(payment_id):
    """Mails the payment's receipt once however often the task runs (Payment.receipt_sent_at)."""
    from newsdesk.members.models import Payment
    from newsdesk.support.emails import receipt_message

    with transaction.atomic():
        payment = Payment.objects.select_for_update().filter(pk=payment_id).first()
        if payment is None or payment.receipt_sent_at is not None:
            return 0
        try:
            sent = receipt_message(payment).send()
        except smtp.NotOffered as refused:
            logger.warning("Receipt for payment %s not sent: %s", payment_id, refused)
            return 0
        payment.receipt_sent_at = timezone.now()
        payment.save(update_fields=["receipt_sent_at"])
    return sent


@task(queue_name="mail")
def send_gift_link(gift_id):
    """Mails the recipient a new claim link, made here so the queue never holds it; once however often it runs."""
    from newsdesk.support import gifts
    from newsdesk.support.emails import gift_message

    issued = gifts.issue_claim_token(gift_id)
    if issued is None:
        return 0
    gift, token = issued
    try:
        return gift_message(gift, gifts.claim_url(token)).send()
    except smtp.NotOffered as refused:
        logger.warning("Claim link of gift %s not sent: %s", gift_id, refused)
        return 0
