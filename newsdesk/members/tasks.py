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
