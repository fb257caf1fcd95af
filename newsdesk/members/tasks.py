import logging

from django_tasks import task

from newsdesk.core import smtp
from newsdesk.newsletters.models import Suppression

logger = logging.getLogger(__name__)


@task(queue_name="mail")
def send_sign_in_email(link_id):
    """Mails the sign-in link, made here so that the queue never holds it; once however often it runs."""
    from newsdesk.members import signin
    from newsdesk.members.emails import sign_in_message

    issued = signin.issue_token(link_id)
    if issued is None:
        return 0
    link, token = issued
    # Suppressed since it was asked for (a bounce of an earlier mail, a complaint).
    if Suppression.covers(link.email):
        return 0
    message = sign_in_message(link.email, signin.link_url(token), signin.is_member(link.email))
    try:
        return message.send()
    except smtp.NotOffered as refused:
        # Retrying cannot help: only another mail server could carry it.
        logger.warning("Sign-in email for link %s not sent: %s", link_id, refused)
        return 0


def _send(message, what):
    try:
        return message.send()
    except smtp.NotOffered as refused:
        logger.warning("%s not sent: %s", what, refused)
        return 0


@task(queue_name="mail")
def send_receipt(payment_id):
    """Mails a payment's receipt, once however often it runs (claimed by receipt_sent_at)."""
    from django.utils import timezone

    from newsdesk.members.emails import receipt_message
    from newsdesk.members.models import Payment

    claimed = Payment.objects.filter(pk=payment_id, receipt_sent_at__isnull=True).update(
        receipt_sent_at=timezone.now()
    )
    payment = Payment.objects.filter(pk=payment_id).first()
    if not claimed or payment is None or Suppression.covers(payment.email):
        return 0
    return _send(receipt_message(payment), f"Receipt of payment {payment_id}")


@task(queue_name="mail")
def send_payment_failed(membership_id, invoice_id):
    """Tells a member their renewal payment failed and when their membership ends without it."""
    from newsdesk.members.emails import payment_failed_message
    from newsdesk.members.models import Membership

    membership = (
        Membership.objects.filter(pk=membership_id).select_related("member", "tier").first()
    )
    if membership is None or Suppression.covers(membership.member.email):
        return 0
    return _send(payment_failed_message(membership), f"Payment failure of {invoice_id}")
