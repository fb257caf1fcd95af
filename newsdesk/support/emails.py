"""The mail of reader revenue: a receipt for each payment, and a gift's claim link to its recipient."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from wagtail.models import Site

from newsdesk.core.models import NewsroomSettings


def _message(to: str, subject: str, template: str, context: dict) -> EmailMultiAlternatives:
    site = Site.objects.filter(is_default_site=True).first()
    newsroom = NewsroomSettings.for_site(site) if site else None
    context = {
        **context,
        "newsroom": newsroom,
        "newsroom_name": newsroom.name if newsroom else "newsdesk",
    }
    message = EmailMultiAlternatives(
        subject=subject.format(newsroom=context["newsroom_name"]),
        body=render_to_string(f"support/email/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
    )
    message.attach_alternative(
        render_to_string(f"support/email/{template}.html", context), "text/html"
    )
    return message


def receipt_message(payment) -> EmailMultiAlternatives:
    gift = getattr(payment, "gift", None) if payment.kind == payment.Kind.GIFT else None
    return _message(
        payment.email,
        "Your receipt from {newsroom}",
        "receipt",
        {"payment": payment, "gift": gift},
    )


def gift_message(gift, url: str) -> EmailMultiAlternatives:
    from newsdesk.support.gifts import CLAIM_WITHIN

    return _message(
        gift.recipient_email,
        "A gift membership of {newsroom} for you",
        "gift",
        {"gift": gift, "url": url, "claim_days": CLAIM_WITHIN.days},
    )
