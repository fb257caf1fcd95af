"""Errors reported to Sentry (SENTRY_DSN), with nothing of a reader's or a secret in them.

An error report carries the request (headers, cookies, query, form), the
frames' local variables and the log lines before it: subscribers' addresses,
session cookies, signed links that manage a reader's newsletters, webhook
signatures. `scrub` goes through the whole event before it leaves: values under
a name that says secret are replaced, e-mail addresses and signed values
(core/accesslog.py) are cut out of every string, and the request keeps no
cookies and no headers but a few harmless ones.
"""

import re

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration

from newsdesk.core.accesslog import redact

FILTERED = "[Filtered]"
# Without "=", "&" and "?", which a query string puts before an address ("email=...").
EMAIL = re.compile(r"[\w.!#$%'*+/^`{|}~-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
EMAIL_REDACTED = "[email]"
# Bearer tokens and basic credentials in a string (a header quoted in a message), and a URL's password.
CREDENTIALS = re.compile(r"(?i)\b(bearer|basic|token)\s+[\w.~+/=-]+")
URL_PASSWORD = re.compile(r"//([^/@\s:]+):[^/@\s]+@")
SECRET_NAMES = re.compile(
    r"(?i)pass|secret|token|key|auth|cookie|session|csrf|signature|dsn|email|address|credential"
)
# The request headers an error report may keep: none says who the reader is or carries a secret.
KEPT_HEADERS = {"accept", "accept-language", "content-length", "content-type", "host", "user-agent"}


def scrub_text(text: str) -> str:
    text = redact(text)
    text = URL_PASSWORD.sub(rf"//\1:{FILTERED}@", text)
    text = CREDENTIALS.sub(rf"\1 {FILTERED}", text)
    return EMAIL.sub(EMAIL_REDACTED, text)


def scrub_value(value, depth=0):
    if depth > 20:
        return FILTERED
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        return {
            key: FILTERED
            if isinstance(key, str) and SECRET_NAMES.search(key)
            else scrub_value(item, depth + 1)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [scrub_value(item, depth + 1) for item in value]
    return value


def scrub(event, hint=None):
    """Sentry's before_send (and before_send_transaction): the event, with nothing to hide left in it."""
    request = event.get("request")
    if isinstance(request, dict):
        request.pop("cookies", None)
        headers = request.get("headers") or {}
        request["headers"] = {
            name: value for name, value in headers.items() if name.lower() in KEPT_HEADERS
        }
        request.pop("env", None)  # REMOTE_ADDR, the reader's address
    user = event.get("user")
    if isinstance(user, dict):
        event["user"] = {"id": user["id"]} if "id" in user else {}
    return scrub_value(event)


def init_sentry(dsn: str, environment: str) -> None:
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration()],
        # No user details and no request bodies (readers' forms) are collected; scrub checks again.
        data_collection={"user_info": False, "http_bodies": []},
        before_send=scrub,
        before_send_transaction=scrub,
        # Error reports only: no performance tracing, which would send every request's path.
        traces_sample_rate=0,
    )
