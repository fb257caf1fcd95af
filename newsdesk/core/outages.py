"""PostgreSQL or Redis away for a while (restarting, say): what counts as that, and how it is logged."""

import logging
import time

from django.db import InterfaceError, OperationalError
from redis.exceptions import RedisError

# Errors that mean a service the site needs is away for now, not a fault in newsdesk:
# the database is unreachable or its connection was lost, or Redis is. Other database
# errors (integrity, programming) are bugs, answered with the 500 page and logged in full.
UNAVAILABLE = (OperationalError, InterfaceError, RedisError)


def unavailable_service_error(error):
    """The error, or one it was raised from, that says a service is away; None if there is none."""
    while error is not None:
        if isinstance(error, UNAVAILABLE):
            return error
        error = error.__cause__  # django-redis raises its own error from Redis's
    return None


class OneLineOutages(logging.Filter):
    """Logs a service that is away in one line, without the traceback.

    While PostgreSQL or Redis restarts, Django logs every 503 with the traceback
    of the error behind it, and django-redis every cache call it read as a miss:
    thousands of lines a minute on a busy site, none saying more than its last
    line. The cache's are also kept to one a minute per process, since the site
    works without it.
    """

    CACHE_QUIET_SECONDS = 60

    def __init__(self):
        super().__init__()
        self.cache_quiet_until = 0.0

    def filter(self, record):
        error = unavailable_service_error(record.exc_info[1] if record.exc_info else None)
        if error is None:
            return True
        first_line = (str(error).strip().splitlines() or [""])[
            0
        ]  # psycopg adds hints on further lines
        summary = f"{type(error).__name__}: {first_line}"
        if record.name.startswith("django_redis"):
            now = time.monotonic()
            if now < self.cache_quiet_until:
                return False
            self.cache_quiet_until = now + self.CACHE_QUIET_SECONDS
            record.msg = "The cache is not answering and reads as empty (%s); more this minute are not logged"
            record.args = (summary,)
        else:
            record.msg, record.args = "%s (%s)", (record.getMessage(), summary)
        record.exc_info = record.exc_text = None
        return True
