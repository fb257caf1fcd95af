import logging

from django_tasks import task

from newsdesk.core import smtp

logger = logging.getLogger(__name__)


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
