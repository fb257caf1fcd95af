"""Bounces and complaints reported by the email service, through django-anymail's tracking webhooks.

Anymail checks each webhook's signature and turns every service's events into
the same normalised event; this turns the ones that mean "stop mailing this
address" into a suppression.
"""

from anymail.signals import AnymailTrackingEvent, EventType
from anymail.webhooks.mailgun import MailgunTrackingWebhookView
from django.conf import settings
from django.http import Http404
from django.views.decorators.csrf import csrf_exempt

from newsdesk.core.metrics import WEBHOOK_FAILURES
from newsdesk.newsletters.models import Suppression

REASONS = {
    EventType.BOUNCED: Suppression.Reason.BOUNCED,
    EventType.COMPLAINED: Suppression.Reason.COMPLAINED,
    EventType.REJECTED: Suppression.Reason.REJECTED,
    EventType.UNSUBSCRIBED: Suppression.Reason.UNSUBSCRIBED,
}


def suppress_on_tracking_event(
    sender, event: AnymailTrackingEvent, esp_name: str, **kwargs
) -> None:
    reason = REASONS.get(event.event_type)
    if reason and event.recipient:
        detail = event.description or event.mta_response or ""
        Suppression.suppress(event.recipient, reason, esp_name.lower(), detail)


_mailgun_tracking = MailgunTrackingWebhookView.as_view()


@csrf_exempt
def mailgun_tracking(request):
    """Mailgun's bounces and complaints; answers only once its signing key and our shared secret are set."""
    if not (
        settings.ANYMAIL.get("MAILGUN_WEBHOOK_SIGNING_KEY")
        and settings.ANYMAIL.get("WEBHOOK_SECRET")
    ):
        raise Http404
    try:
        response = _mailgun_tracking(request)
    except Exception:  # a forged signature too: anymail raises, and Django answers 400
        WEBHOOK_FAILURES.labels("mailgun").inc()
        raise
    if response.status_code >= 400:
        WEBHOOK_FAILURES.labels("mailgun").inc()
    return response
