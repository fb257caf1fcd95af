"""Checking and normalising an email address a reader typed, with the email-validator package."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from email_validator import EmailNotValidError, EmailUndeliverableError, validate_email

MAX_LENGTH = 254  # RFC 5321's limit on a forward path, as stored by Subscriber.email

INVALID = "Please enter a correct email address, like name@example.org."


def _problem(address):
    """A specific explanation for the mistakes people (and attackers) make most."""
    if not address:
        return "Enter your email address."
    if re.search(r"[\r\n\x00-\x1f\x7f]", address):
        return "An email address cannot contain line breaks or control characters."
    if len(address) > MAX_LENGTH:
        return f"That is too long for an email address (at most {MAX_LENGTH} characters)."
    if "<" in address or ">" in address:
        return "Enter the address alone, without a name or angle brackets."
    if address.count("@") > 1 or re.search(r"[,;\s]", address):
        return "Enter one email address only."
    return ""


def normalise_address(raw: str | None) -> str:
    """The address as it will be stored and mailed to; ValidationError with a clear message if unusable."""
    address = (raw or "").strip()
    problem = _problem(address)
    if problem:
        raise ValidationError(problem, code="invalid")
    try:
        # Non-ASCII mailbox names travel with SMTPUTF8 (core/smtp.py);
        # internationalised domains alone are sent as punycode.
        result = validate_email(
            address,
            allow_smtputf8=True,
            allow_display_name=False,
            check_deliverability=settings.NEWSLETTERS_CHECK_DELIVERABILITY,
        )
    except EmailUndeliverableError as error:
        raise ValidationError(
            "The domain of this address does not receive email.", code="undeliverable"
        ) from error
    except EmailNotValidError as error:
        raise ValidationError(INVALID, code="invalid") from error
    return result.normalized
