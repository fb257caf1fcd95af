from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from wagtail.models import Site

from newsdesk.core.models import NewsroomSettings
from newsdesk.newsletters.models import Newsletter, Subscriber
from newsdesk.newsletters.subscribers import tokens


def confirmation_message(
    subscriber: Subscriber, newsletters: list[Newsletter]
) -> EmailMultiAlternatives:
    """The double opt-in email, as plain text and HTML, for one or several newsletters."""
    site = Site.objects.filter(is_default_site=True).first()
    context = {
        "newsroom": NewsroomSettings.for_site(site) if site else None,
        "newsletters": newsletters,
        "confirm_url": tokens.confirmation_url(subscriber, newsletters),
        "preferences_url": tokens.preferences_url(subscriber),
        "valid_days": tokens.CONFIRMATION_MAX_AGE.days,
    }
    names = ", ".join(newsletter.name for newsletter in newsletters)
    # One newsletter speaks as itself; several at once come from the newsroom.
    single = newsletters[0] if len(newsletters) == 1 else None
    message = EmailMultiAlternatives(
        subject=f"Confirm your subscription to {names}",
        body=render_to_string("newsletters/email/confirmation.txt", context),
        from_email=single.from_header if single else settings.DEFAULT_FROM_EMAIL,
        to=[subscriber.email],
        reply_to=[single.reply_to or single.sender_address] if single else None,
    )
    message.attach_alternative(
        render_to_string("newsletters/email/confirmation.html", context), "text/html"
    )
    return message
