"""Logs that name the reader, not the proxy, and leave out the secrets some links carry.

The links in readers' mail (confirm, preferences, one-click unsubscribe) hold a
value signed with the secret key (django.core.signing), and the preferences
link never expires: whoever reads it in a log can manage that reader's
newsletters. Every signed value is cut out of what is logged, by the web
server's access log (gunicorn's `--logger-class`) and by Django's own loggers
("Not Found: /newsletters/confirm/…/"). This module is loaded by gunicorn's
master before Django is set up: Django's settings are read lazily, per line.
"""

import json
import logging
import re
import traceback
from datetime import UTC, datetime

from django.conf import settings
from gunicorn.glogging import Logger

from newsdesk.core.clientaddress import client_address

# payload[:timestamp]:signature, the signature being 43 characters of URL-safe
# base64 (HMAC-SHA256); the colons may arrive percent-encoded.
SIGNED_VALUE = re.compile(
    r"\.?[\w-]+(?:(?::|%3A)[\w-]+)*(?::|%3A)[\w-]{43}(?![\w-])", re.IGNORECASE
)
REDACTED = "[signed]"

# Asked every few seconds by load balancers and Prometheus: logged only when they fail.
PROBES = {"/healthz", "/readyz", "/metrics"}


def redact(text):
    return SIGNED_VALUE.sub(REDACTED, text)


class AccessLogger(Logger):
    """gunicorn's logger: the reader's address behind the proxy (core/clientaddress.py),
    and signed values cut out of every part of each access line; in production
    (LOG_JSON) each line is a JSON object, with the request's id (core/logs.py)."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["h"] = client_address(environ) or "-"
        return {
            key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()
        }

    def _set_handler(self, log, output, fmt, stream=None):
        """gunicorn's own lines (starting, a worker's timeout) as JSON too, in production."""
        if log is self.error_log and settings.LOG_JSON:
            from newsdesk.core.logs import JsonFormatter  # which uses this module's redact

            fmt = JsonFormatter()
        super()._set_handler(log, output, fmt, stream)

    def access(self, resp, req, environ, request_time):
        if environ.get("PATH_INFO") in PROBES and str(resp.status).startswith("2"):
            return
        if not (self.access_log_enabled and settings.LOG_JSON):
            return super().access(resp, req, environ, request_time)
        atoms = self.atoms(resp, req, environ, request_time)
        entry = {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "client": atoms["h"],
            "request": atoms["r"],  # method, path with its query, protocol
            "method": atoms["m"],
            "path": atoms["U"],
            "status": int(atoms["s"]),
            "bytes": atoms["B"] or 0,
            "duration_ms": atoms["M"],
            "referer": atoms["f"],
            "user_agent": atoms["a"],
            "request_id": atoms.get("{x-request-id}o"),
        }
        try:
            self.access_log.info("%s", json.dumps(entry))
        except Exception:
            self.error(traceback.format_exc())


class WithoutSignedValues(logging.Filter):
    """For Django's log handlers: the same, for messages that quote a request's path."""

    def filter(self, record):
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True
