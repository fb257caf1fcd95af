"""One issue's email for one recipient, as the bytes that go over SMTP.

The MIME skeleton (headers shared by all, both bodies) is built once per
issue by `IssueMail`; each recipient's copy only fills in their address,
their links and a Message-ID fixed by issue and subscriber, then is signed
with DKIM when a key is configured. That is what keeps a send of 100,000 at
the speed of the mail server rather than of the email package. An editor's
test copy is an ordinary Django email (`test_issue_message`).
"""

import base64
import hashlib
import hmac
from datetime import datetime
from email.header import Header
from email.utils import format_datetime, formataddr

import dkim
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from newsdesk.newsletters.models import Issue, Subscriber
from newsdesk.newsletters.sending import issues
from newsdesk.newsletters.sending.issues import PREFERENCES_PLACEHOLDER, UNSUBSCRIBE_PLACEHOLDER
from newsdesk.newsletters.subscribers import tokens

# Exactly the headers RFC 8058 asks a one-click sender to sign, and the usual ones.
SIGNED_HEADERS = [
    b"From",
    b"To",
    b"Subject",
    b"Date",
    b"Message-ID",
    b"List-Id",
    b"List-Unsubscribe",
    b"List-Unsubscribe-Post",
    b"Reply-To",
    b"MIME-Version",
    b"Content-Type",
]
BOUNDARY = "newsdesk-alternative-7f3c9a"
CRLF = "\r\n"


def message_id(issue_id: int, subscriber_id: int, domain: str) -> str:
    """The same for every attempt at one issue to one subscriber, so that a repeat is recognisably a repeat.

    The digest keeps ids unique between installations whose database ids coincide.
    """
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"{issue_id}.{subscriber_id}".encode(), hashlib.sha256
    )
    return f"<issue-{issue_id}.{subscriber_id}.{digest.hexdigest()[:16]}@{domain}>"


def _b64_lines(text):
    encoded = base64.encodebytes(text.encode()).decode("ascii")
    return encoded.replace("\n", CRLF)


class IssueMail:
    """The prepared email of one issue; `for_recipient` makes each copy."""

    def __init__(self, issue: Issue):
        newsletter = issue.newsletter
        self.issue_id = issue.pk
        self.newsletter_id = newsletter.pk
        self.sender = newsletter.sender_address
        self.domain = settings.DKIM_DOMAIN or newsletter.sender_address.rpartition("@")[2]
        self.html, self.text = issue.email_html, issue.email_text
        # RFC 2919: a list's id is a name under a domain its owner controls: the sender's.
        list_host = newsletter.sender_address.rpartition("@")[2]
        headers = [
            (
                "From",
                formataddr((newsletter.sender_name, newsletter.sender_address), charset="utf-8"),
            ),
            ("Reply-To", newsletter.reply_to or newsletter.sender_address),
            ("Subject", Header(issue.subject, "utf-8", maxlinelen=998).encode()),
            (
                "List-Id",
                formataddr((newsletter.name, f"{newsletter.slug}.{list_host}"), charset="utf-8"),
            ),
            ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
            ("MIME-Version", "1.0"),
            ("Content-Type", f'multipart/alternative; boundary="{BOUNDARY}"'),
        ]
        self.shared_headers = "".join(f"{name}: {value}{CRLF}" for name, value in headers)
        self.mailto = settings.NEWSLETTER_UNSUBSCRIBE_MAILTO
        self.dkim_key = settings.DKIM_PRIVATE_KEY.encode() if settings.DKIM_PRIVATE_KEY else None

    def message_id(self, subscriber_id: int) -> str:
        return message_id(self.issue_id, subscriber_id, self.domain)

    def for_recipient(self, subscriber_id: int, email: str, date: datetime | None = None) -> bytes:
        unsubscribe = tokens.unsubscribe_url(subscriber_id, self.newsletter_id)
        preferences = tokens.preferences_url(Subscriber(pk=subscriber_id))
        list_unsubscribe = f"<{unsubscribe}>"
        if self.mailto:
            list_unsubscribe += f", <mailto:{self.mailto}?subject=unsubscribe%20{self.newsletter_id}%20{subscriber_id}>"
        personal = {UNSUBSCRIBE_PLACEHOLDER: unsubscribe, PREFERENCES_PLACEHOLDER: preferences}
        text, html = self.text, self.html
        for placeholder, url in personal.items():
            text, html = text.replace(placeholder, url), html.replace(placeholder, url)
        head = (
            f"To: {email}{CRLF}"
            f"Date: {format_datetime(date or timezone.now())}{CRLF}"
            f"Message-ID: {self.message_id(subscriber_id)}{CRLF}"
            f"List-Unsubscribe: {list_unsubscribe}{CRLF}"
            f"{self.shared_headers}"
        )
        body = (
            f"{CRLF}--{BOUNDARY}{CRLF}"
            f"Content-Type: text/plain; charset=utf-8{CRLF}Content-Transfer-Encoding: base64{CRLF}{CRLF}"
            f"{_b64_lines(text)}"
            f"--{BOUNDARY}{CRLF}"
            f"Content-Type: text/html; charset=utf-8{CRLF}Content-Transfer-Encoding: base64{CRLF}{CRLF}"
            f"{_b64_lines(html)}"
            f"--{BOUNDARY}--{CRLF}"
        )
        message = (head + body).encode("utf-8")
        if self.dkim_key:
            message = sign(message, self.dkim_key)
        return message


def sign(message: bytes, private_key: bytes) -> bytes:
    signature = dkim.sign(
        message,
        settings.DKIM_SELECTOR.encode(),
        settings.DKIM_DOMAIN.encode(),
        private_key,
        include_headers=SIGNED_HEADERS,
        canonicalize=(b"relaxed", b"simple"),
    )
    return signature + message


def test_issue_message(issue: Issue, address: str) -> EmailMultiAlternatives:
    """An issue as its readers will get it, to an editor's own address; marked as a test."""
    html, text = issues.render_sample(issue)
    newsletter = issue.newsletter
    message = EmailMultiAlternatives(
        subject=f"[Test] {issue.subject}",
        body=text,
        from_email=newsletter.from_header,
        to=[address],
        reply_to=[newsletter.reply_to or newsletter.sender_address],
    )
    message.attach_alternative(html, "text/html")
    return message
