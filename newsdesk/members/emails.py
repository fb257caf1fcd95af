from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from wagtail.models import Site

from newsdesk.core.models import NewsroomSettings


def sign_in_message(email: str, url: str, is_member: bool) -> EmailMultiAlternatives:
    """The sign-in (or sign-up, for a new address) email, as plain text and HTML, as the newsletters' confirmation is."""
    from newsdesk.members.signin import LINK_LIFETIME

    site = Site.objects.filter(is_default_site=True).first()
    newsroom = NewsroomSettings.for_site(site) if site else None
    context = {
        "newsroom": newsroom,
        "url": url,
        "is_member": is_member,
        "valid_minutes": int(LINK_LIFETIME.total_seconds() // 60),
    }
    name = newsroom.name if newsroom else "newsdesk"
    subject = f"Sign in to {name}" if is_member else f"Finish joining {name}"
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("members/email/sign_in.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email],
    )
    message.attach_alternative(render_to_string("members/email/sign_in.html", context), "text/html")
    return message
