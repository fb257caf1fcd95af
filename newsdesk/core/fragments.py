"""Fragments: parts of pages that are the same for every reader, rendered once and kept.

The page cache (pagecache.py) keeps whole pages for anonymous readers only.
Everyone else (editors, any request with the session cookie) gets a rendered
page, and most of what it shows is shared by every reader and changes rarely:
the news feed block, the editors' picks, the sections, an article's body.
Those parts are kept in the shared cache with the same dependency tags as the
page cache: a fragment names its tags, and its key holds their generations,
read before it is rendered. When a tag is renewed (`pagecache.bump`), the
key changes and the next request renders the fragment again; a fragment
rendered while one of its tags was being renewed is kept under a key nobody
asks for again, so no request can put the old version back.

Every fragment's key also holds the request's site and the active time zone,
which change how links and times are written; whatever else a fragment
depends on (today's date, the page it is on) is passed as `vary`. Nothing
that differs from reader to reader (CSRF tokens, "Edit" links, the signed-in
user) may go into a fragment. Previews show unpublished content and are never
served from or kept in the cache. Fragments are kept at most
FRAGMENT_CACHE_SECONDS (0 turns them off), which bounds how long anything not
covered by a tag (a subscribe form's signed fill time) can be.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from newsdesk.core.pagecache import current_generations

FRAGMENT_KEY = "fragment:{}:{}"


def cached_fragment(request, name, tags, render, vary=()):
    """What `render()` returns, kept while the tags' generations are unchanged."""
    if (
        settings.FRAGMENT_CACHE_SECONDS <= 0
        or request is None
        or getattr(request, "is_preview", False)
    ):
        return render()
    current = current_generations(tags)
    if float("inf") in current.values():  # the cache is away: nothing could be invalidated
        return render()
    key = FRAGMENT_KEY.format(name, _digest(request, current, vary))
    content = cache.get(key)
    if content is None:
        content = render()
        cache.set(key, content, timeout=settings.FRAGMENT_CACHE_SECONDS)
    return content


def _digest(request, generations, vary):
    from wagtail.models import Site

    site = Site.find_for_request(request)
    parts = (
        sorted(generations.items()),
        site.pk if site else None,
        timezone.get_current_timezone_name(),
        vary,
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()
