"""Mail to every reader: addresses with non-Latin letters before the @ (SMTPUTF8, RFC 6531).

An address such as читач@приклад.укр can only travel as itself, in UTF-8,
to a server that offers SMTPUTF8. Django's SMTP backend does not do that: it
writes such a mailbox name as an RFC 2047 encoded word, in the envelope as
in To:, which names a mailbox nobody has. `EmailBackend` sends those messages
with SMTPUTF8 where the server offers it and refuses them with a clear error
where it does not; every other message goes through Django's own code.
Addresses whose mailbox name is ASCII need no SMTPUTF8: an internationalised
domain travels as punycode, which every server takes.
"""

import io
import smtplib
from email import policy
from email.generator import BytesGenerator
from email.utils import getaddresses, parseaddr

from django.core.mail.backends import smtp
from django.core.mail.message import sanitize_address
from email_validator import EmailNotValidError, validate_email

# RFC 6531's status for a server that cannot take such an address.
NOT_OFFERED = (
    "5.6.7 Not sent: the address has non-Latin letters before the @, "
    "and the mail server does not offer SMTPUTF8 to carry it"
)


def needs_smtputf8(address):
    mailbox = parseaddr(address)[1] or address
    return not mailbox.rpartition("@")[0].isascii()


def envelope_address(address):
    """(the address as SMTP commands carry it, whether it needs SMTPUTF8)."""
    if address.isascii():
        return address, False
    try:
        # An internationalised domain in IDNA 2008's punycode (Python's own codec is
        # IDNA 2003, for which faß.de is fass.de); None when the mailbox name is not ASCII.
        ascii_address = validate_email(
            address, allow_smtputf8=True, check_deliverability=False
        ).ascii_email
    except EmailNotValidError:
        ascii_address = None
    return (ascii_address, False) if ascii_address else (address, True)


class NotOffered(smtplib.SMTPNotSupportedError):
    def __init__(self):
        super().__init__(NOT_OFFERED)


class EmailBackend(smtp.EmailBackend):
    """Django's SMTP backend, sending with SMTPUTF8 the messages that need it."""

    def _send(self, email_message):
        recipients = email_message.recipients()
        if not recipients or not any(
            needs_smtputf8(address) for address in [email_message.from_email, *recipients]
        ):
            return super()._send(email_message)
        self.connection.ehlo_or_helo_if_needed()
        if not self.connection.has_extn("smtputf8"):
            if not self.fail_silently:
                raise NotOffered()
            return False
        message = email_message.message()
        # The addresses themselves, in UTF-8 as RFC 6532 lets an SMTPUTF8 message carry them.
        for header, addresses in (("To", email_message.to), ("Cc", email_message.cc)):
            if addresses:
                message.replace_header(header, ", ".join(addresses))
        sender = parseaddr(email_message.from_email)[1]
        if not needs_smtputf8(sender):
            sender = sanitize_address(email_message.from_email, email_message.encoding)
        buffer = io.BytesIO()
        BytesGenerator(buffer, mangle_from_=False, policy=policy.SMTPUTF8).flatten(message)
        try:
            self.connection.sendmail(
                sender,
                [envelope_address(address)[0] for _, address in getaddresses(recipients)],
                buffer.getvalue(),
                mail_options=["SMTPUTF8"],
            )
        except smtplib.SMTPException:
            if not self.fail_silently:
                raise
            return False
        return True
