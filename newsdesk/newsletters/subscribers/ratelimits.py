"""Fixed-window counters in the shared cache, so every web process counts the same requests."""

import hashlib

from django.core.cache import cache


def allow(scope: str, key: object, limit: int, period: int) -> bool:
    """Counts one hit for key; False once it has had more than `limit` hits in this window of `period` seconds."""
    digest = hashlib.sha256(
        str(key).encode()
    ).hexdigest()  # keeps addresses out of cache file names and keys
    cache_key = f"newsletters:rate:{scope}:{digest}"
    cache.add(cache_key, 0, timeout=period)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr: this hit opens a new window
        cache.set(cache_key, 1, timeout=period)
        count = 1
    # None: the cache is away (Redis down, its errors ignored). Nothing can be counted,
    # and refusing everyone would break the site where a missing cache should only slow it.
    return count is None or count <= limit
