"""Fixed-window counters that every process shares and that nothing but their window ends.

A limit is only as good as its count. The cache cannot hold one: the file
cache writes a counter back with its default timeout on every increment and
culls a third of its entries once it holds 300, so a flood of other keys (or
any cache clear) started every window afresh. So a count lives in Redis when
there is one (INCR, the window's expiry set only by the command that creates
the key), and otherwise in the database (RateCounter, one upsert per hit).
Either way a hit is one atomic step: concurrent requests never lose a count.
"""

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from redis.exceptions import RedisError

from newsdesk.core.models import RateCounter

logger = logging.getLogger(__name__)


def allow(scope, key, limit, period):
    """Counts one hit for key; False once it has had more than `limit` hits in this window of `period` seconds."""
    # Hashed: addresses stay out of Redis keys and database rows.
    name = f"{scope}:{hashlib.sha256(str(key).encode()).hexdigest()}"
    count = _redis_hit(name, period) if settings.REDIS_URL else _database_hit(name, period)
    # None: Redis is away. Nothing can be counted, and refusing everyone would
    # break the site where a missing Redis should only slow it.
    return count is None or count <= limit


def _redis_hit(name, period):
    from django_redis import get_redis_connection

    key = cache.make_key(f"rate:{name}")
    try:
        # MULTI/EXEC: the window starts with the key and is never extended by a hit.
        with get_redis_connection("default").pipeline(transaction=True) as pipe:
            pipe.set(key, 0, ex=period, nx=True)
            pipe.incr(key)
            return pipe.execute()[1]
    except RedisError as error:
        logger.warning("Rate limit %s not counted: Redis unavailable (%s)", name, error)
        return None


def _database_hit(name, period):
    now = timezone.now()
    adapt, quote = connection.ops.adapt_datetimefield_value, connection.ops.quote_name
    table = quote(RateCounter._meta.db_table)
    key, count, expires_at = (quote(column) for column in ("key", "count", "expires_at"))
    # One statement on SQLite and PostgreSQL alike: the row is created, counted
    # on, or (its window over) started again, under the row's own lock.
    statement = (
        f"INSERT INTO {table} ({key}, {count}, {expires_at}) VALUES (%s, 1, %s) "
        f"ON CONFLICT ({key}) DO UPDATE SET "
        f"{count} = CASE WHEN {table}.{expires_at} > %s THEN {table}.{count} + 1 ELSE 1 END, "
        f"{expires_at} = CASE WHEN {table}.{expires_at} > %s "
        f"THEN {table}.{expires_at} ELSE excluded.{expires_at} END "
        f"RETURNING {count}"
    )
    window_end = adapt(now + timedelta(seconds=period))
    with connection.cursor() as cursor:
        cursor.execute(statement, [name, window_end, adapt(now), adapt(now)])
        hits = cursor.fetchone()[0]
    if hits == 1:
        # A window opened: the time to clear away the ones that ended.
        RateCounter.objects.filter(expires_at__lte=now).delete()
    return hits
