"""Log lines that can be searched: a request id on each, and one JSON object per line in production.

Every request gets an id (X-Request-ID): the one nginx or a load balancer in
NEWSDESK_TRUSTED_PROXIES made, when it is a sane one, else a new one. It is
sent back on the response and written on every line logged while the request
is served, with the user's id when a staff member is signed in, so that a
reader's report, the proxy's log and the app's log meet. Nothing secret is
written: signed values are cut out of messages as everywhere (core/accesslog.py).
"""

import contextvars
import json
import logging
import re
import uuid
from datetime import UTC, datetime

from newsdesk.core.accesslog import redact
from newsdesk.core.clientaddress import from_trusted_proxy

HEADER = "X-Request-ID"
# What a proxy's id may look like (nginx's $request_id is 32 hex digits; others use UUIDs):
# anything longer, or with other characters, would let a client write into every log line.
SANE_ID = re.compile(r"[A-Za-z0-9._:-]{8,64}")

current_request = contextvars.ContextVar("current_request", default=None)


def request_id_for(request) -> str:
    sent = request.headers.get(HEADER, "")
    if SANE_ID.fullmatch(sent) and from_trusted_proxy(request.META):
        return sent
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Names each request for the logs, and tells the client its name; first in MIDDLEWARE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = request_id_for(request)
        # Kept until the response is closed (forget_request), not only while the middleware
        # runs: Django logs a 4xx or 5xx ("Not Found: ...") once the middleware has returned.
        current_request.set(request)
        response = self.get_response(request)
        response[HEADER] = request.id
        return response


def forget_request(**kwargs):
    """request_finished: the lines logged after it are no request's."""
    current_request.set(None)


def staff_user_id(request):
    """The signed-in staff member's id, if this request has already looked its user up.

    A log line never makes the request read its session or user from the database.
    """
    user = getattr(request, "_cached_user", None)
    if user is not None and user.is_authenticated and user.is_staff:
        return user.pk
    return None


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, staff user, exception."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        request = current_request.get()
        if request is not None:
            entry["request_id"] = getattr(request, "id", None)
            if (user_id := staff_user_id(request)) is not None:
                entry["user_id"] = user_id
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, default=str)
