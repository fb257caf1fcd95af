"""A gift's claim link, mailed to its recipient (receipts are members' receipt mail)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from wagtail.models import Site

from newsdesk.core.models import NewsroomSettings


def gift_message(gift, url: str) -> EmailMultiAlternatives:
    from newsdesk.support.gifts import CLAIM_WITHIN

    site = Site.objects.filter(is_default_site=True).first()
    newsroom = NewsroomSettings.for_site(site) if site else None
    name = newsroom.name if newsroom else "newsdesk"
    context = {"gift": gift, "url": url, "claim_days": CLAIM_WITHIN.days, "newsroom_name": name}
    message = EmailMultiAlternatives(
        subject=f"A gift membership of {name} for you",
        body=render_to_string("support/email/gift.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[gift.recipient_email],
    )
    message.attach_alternative(render_to_string("support/email/gift.html", context), "text/html")
    return message
