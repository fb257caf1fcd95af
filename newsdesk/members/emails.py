from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from wagtail.models import Site

from newsdesk.core.links import absolute_url
from newsdesk.core.models import NewsroomSettings


def _newsroom():
    site = Site.objects.filter(is_default_site=True).first()
    return NewsroomSettings.for_site(site) if site else None


def _message(to: str, subject: str, template: str, context: dict) -> EmailMultiAlternatives:
    """An email as plain text and HTML, from the templates members/email/<template>.txt and .html."""
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"members/email/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
    )
    message.attach_alternative(
        render_to_string(f"members/email/{template}.html", context), "text/html"
    )
    return message


def sign_in_message(email: str, url: str, is_member: bool) -> EmailMultiAlternatives:
    """The sign-in (or sign-up, for a new address) email, as plain text and HTML, as the newsletters' confirmation is."""
    from newsdesk.members.signin import LINK_LIFETIME

    newsroom = _newsroom()
    context = {
        "newsroom": newsroom,
        "url": url,
        "is_member": is_member,
        "valid_minutes": int(LINK_LIFETIME.total_seconds() // 60),
    }
    name = newsroom.name if newsroom else "newsdesk"
    subject = f"Sign in to {name}" if is_member else f"Finish joining {name}"
    return _message(email, subject, "sign_in", context)


def receipt_message(payment) -> EmailMultiAlternatives:
    """A payment's receipt (a membership's, a donation's, a gift's), to the address that paid."""
    newsroom = _newsroom()
    name = newsroom.name if newsroom else "newsdesk"
    context = {
        "newsroom": newsroom,
        "name": name,
        "payment": payment,
        "account_url": absolute_url(reverse("account")),
    }
    return _message(payment.email, f"Your receipt from {name}", "receipt", context)


def payment_failed_message(membership) -> EmailMultiAlternatives:
    newsroom = _newsroom()
    name = newsroom.name if newsroom else "newsdesk"
    context = {
        "newsroom": newsroom,
        "name": name,
        "membership": membership,
        "account_url": absolute_url(reverse("account")),
    }
    return _message(
        membership.member.email, f"Your {name} membership payment failed", "payment_failed", context
    )
