"""The page cache: whole responses for anonymous readers, kept in the shared cache.

A reader without a session cookie gets a page that was rendered once and kept
in the cache (Redis in production), served without touching the database. A
signed-in user (any request carrying the session cookie) always gets the live
page, so editors see their "Edit" links and their changes at once.

Invalidation is by dependency, not by URL. Every cached response names the
dependencies ("tags") it was rendered from: the Wagtail page it is
(`page:<id>`), the listings it shows (`tag:<slug>`, `author:<slug>`), or a
family of outputs (`feeds`, `sitemaps`, `search`, `newsfeed`, `picks`,
`sections`: the navigation on every page; `newsroom`: the settings every
response shows). Each tag has a generation in the cache, the time it last
changed. An entry keeps the generations it was rendered under, and is served
only while all of them are still current. A change gives new generations to
exactly the tags of what shows it (core/renewal.py, filled by each app), when
its transaction commits (`bump`). Nothing else is re-rendered. One small key
per tag changes; no list of URLs is kept, so paginated listings and search
queries are covered too.

Kept pages are answered in front of Django, by the WSGI layer KeptPages
(newsdesk/wsgi.py), with the same lookup as the middleware's (find_kept); the
middleware keeps what Django renders, and answers where the layer is not in
front (the test client, runserver).

core knows no app above it: the apps register the views kept here and their
tags (`cache_view`), the tags every page of the tree carries (`cache_pages`),
and what a CDN in front purges for a tag (`purge_paths`).

The news feed block beside every page is the exception: a new news item does
not invalidate every page. Where JavaScript runs, live-feed.js brings new items
within five seconds from /news/updates/ (itself cached under `newsfeed`, which
every item renews); without it, cached pages are kept at most
PAGE_CACHE_SECONDS (60 s by default), so the block is at most that old.
"""

import hashlib
import json
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost, MiddlewareNotUsed
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.utils.cache import patch_cache_control, set_response_etag
from django.utils.http import http_date
from django.utils.module_loading import import_string

from newsdesk.core.metrics import PAGE_CACHE

GENERATION_KEY = "pagecache:tag:{}"
ENTRY_KEY = "pagecache:page:{}"
PARAMETERS_KEY = "pagecache:parameters:{}"
ALL_PARAMETERS = "*"
# Set in the WSGI environ by KeptPages when it found no kept page: the middleware does not look again.
MISSED = "newsdesk.page_cache.missed"
KEPT_REQUEST = "newsdesk.page_cache.request"

# Query parameters that only say where a reader came from (utm_* too): no page
# reads them, so they are no part of any key (see without_marketing_parameters).
MARKETING_PARAMETERS = {"fbclid", "gclid", "mc_cid", "mc_eid", "ref"}

# Views whose responses are the same for every anonymous reader, by URL name, with
# the tags they depend on: filled by the apps that own the views (`cache_view`, from
# their AppConfig.ready).
VIEW_TAGS = {}
# Wagtail's pages are kept under their own tag and the tags each function here gives
# (`cache_pages`): what every page of the tree shows besides itself.
PAGE_TAGS = []
# With a CDN in front: the paths it must purge when a tag is renewed, by the tag's
# kind ("tag" for `tag:<slug>`, or a whole tag such as "feeds"), filled by `purge_paths`.
PURGE_PATHS = {}
# Every kept response depends on the newsroom's settings (name, tagline, time zone).
NEWSROOM = "newsroom"
# Cookies of readers who may be shown more of some pages than anonymous readers (a
# member's sign-in, filled by `reader_cookie`). They do not bypass the cache as the
# session cookie does: such a reader gets kept pages, except those rendered as
# varying by reader (`varies_by_reader`), which they always get live and never keep.
READER_COOKIES = set()


def cache_view(url_name, tags):
    """Keeps the responses of the view named url_name for anonymous readers, under tags(kwargs)."""
    VIEW_TAGS[url_name] = tags


def cache_pages(tags):
    """Wagtail's pages are kept under tags(page) too: what the apps put beside every page."""
    PAGE_TAGS.append(tags)


def purge_paths(kind, paths):
    """With a CDN in front, a renewed tag of this kind purges paths(value): see PURGE_PATHS."""
    PURGE_PATHS[kind] = paths


def reader_cookie(name):
    """A cookie that marks a reader whose pages may differ where a page says so (see READER_COOKIES)."""
    READER_COOKIES.add(name)


def varies_by_reader(request):
    """This response depends on who reads it: kept for anonymous readers only, one version for all of them."""
    request.page_cache_varies = True


def _has_reader_cookie(request):
    return any(name in request.COOKIES for name in READER_COOKIES)


def page_tag(page):
    """The tag of a Wagtail page, renewed whenever it, or anything it shows, is published, moved or deleted."""
    return f"page:{page.pk}"


def add_tags(request, *tags):
    """Marks the response to this request as cacheable, depending on the tags given."""
    if hasattr(request, "page_cache_tags"):
        request.page_cache_tags.update(tags)


def generations(tags):
    keys = {tag: GENERATION_KEY.format(tag) for tag in tags}
    found = cache.get_many(keys.values())
    return {tag: found.get(key) for tag, key in keys.items()}


def current_generations(tags):
    """The tags' generations, giving a first one to those that have none (new, or evicted).

    With the cache away nothing can be checked later: every generation reads as
    infinite, which tells callers to keep nothing.
    """
    current = generations(tags)
    for tag, generation in current.items():
        if generation is None:
            cache.add(GENERATION_KEY.format(tag), 0.0, timeout=None)
    if None in current.values():
        current = generations(tags)
    return current if None not in current.values() else {tag: float("inf") for tag in tags}


class _Renewal:
    """The tags a transaction renews, and the URLs to purge, done once when it commits."""

    def __init__(self):
        self.tags, self.urls, self.done = set(), set(), False

    def __call__(self):
        from wagtail.contrib.frontend_cache.utils import PurgeBatch

        if self.done:
            return
        self.done = True
        # Stamped at the commit: a page rendered from before it is never kept (see the middleware).
        now = time.time()
        cache.set_many({GENERATION_KEY.format(tag): now for tag in self.tags}, timeout=None)
        if self.urls:
            PurgeBatch(self.urls).purge()


def bump(tags):
    """Gives the tags new generations once the transaction commits, so no reader caches what it is replacing.

    However many changes a transaction makes, its commit renews each tag once
    and, with a CDN in front (WAGTAILFRONTENDCACHE), purges each URL once, in
    one batch. The URLs are found now, while a page being deleted still has one.
    """
    if not tags:
        return
    connection = transaction.get_connection()
    renewal = getattr(connection, "pagecache_renewal", None)
    pending = [func for _, func, _ in connection.run_on_commit]
    if renewal is None or renewal.done or not any(func is renewal for func in pending):
        renewal = connection.pagecache_renewal = _Renewal()
    renewal.tags.update(tags)
    if getattr(settings, "WAGTAILFRONTENDCACHE", None):
        renewal.urls.update(_urls_to_purge(tags))
    transaction.on_commit(renewal)  # at once outside a transaction


def _urls_to_purge(tags):
    """What a CDN keeps of the tags: each page's URLs, and the first page of each view (PURGE_PATHS)."""
    from wagtail.contrib.frontend_cache.utils import PurgeBatch
    from wagtail.models import Page

    batch = PurgeBatch()
    page_ids = [int(tag.split(":", 1)[1]) for tag in tags if tag.startswith("page:")]
    batch.add_pages(Page.objects.filter(pk__in=page_ids).specific(defer=True))
    for tag in tags:
        kind, _, value = tag.partition(":")
        if kind in PURGE_PATHS:
            batch.add_urls(settings.NEWSDESK_SITE_URL + path for path in PURGE_PATHS[kind](value))
    return batch.urls


def _path_key(request):
    """Where the request was routed: its prefix and path apart, as routing took them.

    The full path alone would let a request whose SCRIPT_NAME is "/city" and path
    "/" (the home page) be kept as "/city/".
    """
    where = [
        request.scheme,
        request.get_host(),
        request.META.get("SCRIPT_NAME", ""),
        request.path_info,
    ]
    return hashlib.sha256(json.dumps(where).encode()).hexdigest()


def _entry_key(path_key, query, read):
    """The key of a response, by its path and the query parameters the page read to render it.

    When none of those parameters is given the key is the path's alone: the page
    then renders as it does without a query string, so a request without one needs
    no lookup of the parameters it read (read is None).
    """
    names = sorted(query) if read == ALL_PARAMETERS else read or ()
    values = [[name, query.getlist(name)] for name in names if name in query]
    if not values:
        return ENTRY_KEY.format(hashlib.sha256(json.dumps([path_key]).encode()).hexdigest())
    return ENTRY_KEY.format(
        hashlib.sha256(json.dumps([path_key, read, values]).encode()).hexdigest()
    )


def _is_marketing(name):
    return name.startswith("utm_") or name in MARKETING_PARAMETERS


def without_marketing_parameters(request):
    """The request as the page sees it: what only says where a reader came from is dropped.

    Scripts in the browser can still read them from the address bar.
    """
    if not request.META.get("QUERY_STRING"):
        return request.GET  # nothing to drop: no copy (most requests)
    query = request.GET.copy()
    marketing = [name for name in query if _is_marketing(name)]
    if marketing:
        for name in marketing:
            del query[name]
        request.META["QUERY_STRING"] = query.urlencode()
    return query


class ReadRecordingQueryDict(QueryDict):
    """request.GET, noting which parameters the page reads: they, and no others, make its key.

    Anything that sees the whole query (iterating it, its length, urlencode)
    makes every parameter part of the key.
    """

    def __init__(self, *args, **kwargs):
        self.read, self.read_all = set(), False
        super().__init__(*args, **kwargs)
        self.read, self.read_all = set(), False  # parsing it read nothing for the page

    def read_names(self):
        return ALL_PARAMETERS if self.read_all else sorted(self.read)

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def _getlist(self, key, *args, **kwargs):
        self.read.add(key)
        return super()._getlist(key, *args, **kwargs)

    def __contains__(self, key):
        self.read.add(key)
        return super().__contains__(key)

    def _whole(method):
        def whole(self, *args, **kwargs):
            self.read_all = True
            return method(self, *args, **kwargs)

        return whole

    __iter__ = _whole(QueryDict.__iter__)
    __len__ = _whole(QueryDict.__len__)
    keys = _whole(QueryDict.keys)
    lists = _whole(QueryDict.lists)
    urlencode = _whole(QueryDict.urlencode)
    copy = _whole(QueryDict.copy)
    __copy__ = _whole(QueryDict.__copy__)
    __deepcopy__ = _whole(QueryDict.__deepcopy__)
    del _whole


def _cacheable_request(request):
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def _storable(response):
    return (
        response.status_code == 200
        and not response.cookies
        and "private" not in response.get("Cache-Control", "")
    )


def _public_headers(response, stored_at):
    seconds = settings.PAGE_CACHE_SECONDS
    # Browsers revalidate every time (ETag, Last-Modified, 304); shared caches may keep
    # the page for as long as this cache does, and serve it stale while they fetch a new one.
    patch_cache_control(
        response, public=True, max_age=0, s_maxage=seconds, stale_while_revalidate=seconds // 2
    )
    response["Last-Modified"] = http_date(stored_at)
    # Made once here and kept with the page, rather than hashed again on every hit
    # by ConditionalGetMiddleware (which makes the same one when it finds none).
    set_response_etag(response)


# The tags each kept entry was last found to depend on, by its key, so that the entry and
# its tags' generations are read in one round trip (find_kept). Only which tags, never
# their generations: those are read from the cache on every request, so a publish
# shows at once. Forgotten all together when it grows past this many entries.
ENTRY_TAGS = {}
ENTRY_TAGS_MAX = 10_000


def _read_kept(key):
    """The entry at key, if every tag it was rendered under still has that generation."""
    tags = ENTRY_TAGS.get(key, ())
    found = cache.get_many([key, *(GENERATION_KEY.format(tag) for tag in tags)])
    entry = found.get(key)
    if entry is None:
        return None
    if set(entry["tags"]) - set(tags):
        # Not yet known here, or the page now shows more: its generations in a second trip.
        if len(ENTRY_TAGS) >= ENTRY_TAGS_MAX:
            ENTRY_TAGS.clear()
        ENTRY_TAGS[key] = tuple(entry["tags"])
        found.update(cache.get_many([GENERATION_KEY.format(tag) for tag in entry["tags"]]))
    current = {tag: found.get(GENERATION_KEY.format(tag)) for tag in entry["tags"]}
    return entry if current == entry["tags"] else None


def find_kept(request):
    """(the query as pages see it, the path's key, the kept response or None) for a cacheable request.

    The one lookup of kept pages: PageCacheMiddleware's, and KeptPages' in front
    of Django. A reader with a reader cookie does not get a page that varies by reader.
    """
    query = without_marketing_parameters(request)
    path_key = _path_key(request)
    if query:
        # The parameters this page read when it was last rendered: a page that reads
        # none is kept once, whatever query string each reader brings.
        read = cache.get(PARAMETERS_KEY.format(path_key))
        entry = _read_kept(_entry_key(path_key, query, read)) if read is not None else None
    else:
        entry = _read_kept(_entry_key(path_key, query, None))
    if entry is None or (entry.get("varies") and _has_reader_cookie(request)):
        PAGE_CACHE.labels("miss").inc()
        return query, path_key, None
    response = HttpResponse(entry["content"], status=entry["status"])
    for name, value in entry["headers"]:
        response[name] = value
    response["X-Page-Cache"] = "hit"
    PAGE_CACHE.labels("hit").inc()
    return query, path_key, response


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable_request(request):
            return self._private_if_personal(request, self.get_response(request))
        if request.META.get(MISSED):
            # KeptPages, in front of Django, has looked this request up already.
            query, path_key = request.GET, _path_key(request)
        else:
            query, path_key, response = find_kept(request)
            if response is not None:
                return response
        personal = _has_reader_cookie(request)

        started = time.time()
        request.page_cache_tags = set()
        request.GET = ReadRecordingQueryDict(
            request.META.get("QUERY_STRING", ""), encoding=request.encoding
        )
        response = self.get_response(request)
        match = request.resolver_match
        if match and match.url_name in VIEW_TAGS:
            add_tags(request, *VIEW_TAGS[match.url_name](match.kwargs))
        varies = getattr(request, "page_cache_varies", False)
        if varies and personal:
            return self._private_if_personal(request, response)
        if not request.page_cache_tags or not _storable(response):
            return response
        add_tags(request, NEWSROOM)
        current = current_generations(request.page_cache_tags)
        _public_headers(response, started)
        response["X-Page-Cache"] = "miss"
        # A tag renewed while this page was being rendered may mean it shows what
        # was just replaced: hand it to this reader, keep it for nobody.
        if all(generation <= started for generation in current.values()):
            read = request.GET.read_names()
            key = _entry_key(path_key, query, read)
            cache.set(PARAMETERS_KEY.format(path_key), read, timeout=settings.PAGE_CACHE_SECONDS)
            headers = [(name, value) for name, value in response.items() if name != "X-Page-Cache"]
            entry = {
                "status": response.status_code,
                "headers": headers,
                "tags": current,
                "varies": varies,
            }
            if response.streaming:
                response.streaming_content = self.kept_once_sent(
                    response.streaming_content, key, entry
                )
            else:
                cache.set(
                    key, {**entry, "content": response.content}, timeout=settings.PAGE_CACHE_SECONDS
                )
        return response

    @staticmethod
    def _private_if_personal(request, response):
        """One reader's version of a page that varies by reader: no cache on the way may keep it for another."""
        if getattr(request, "page_cache_varies", False) and (
            _has_reader_cookie(request) or settings.SESSION_COOKIE_NAME in request.COOKIES
        ):
            patch_cache_control(response, private=True, max_age=0)
        return response

    @staticmethod
    def kept_once_sent(chunks, key, entry):
        """Streams a response (a sitemap page) to the reader and keeps it when the last chunk has gone."""
        sent = []
        for chunk in chunks:
            sent.append(chunk)
            yield chunk
        cache.set(key, {**entry, "content": b"".join(sent)}, timeout=settings.PAGE_CACHE_SECONDS)


class KeptPages(WSGIHandler):
    """A WSGI layer around Django's application that answers kept pages itself (newsdesk/wsgi.py).

    A kept page needs none of what Django does for a live one: sessions, CSRF,
    authentication, URL routing, the view. This layer looks the request up
    (find_kept, the middleware's own lookup) and answers a kept page through
    the middleware placed before PageCacheMiddleware in settings.MIDDLEWARE
    only (request id, metrics, security headers, CSP, conditional GET, and
    what answers before the page cache: /healthz, static files, WordPress's
    /?p= addresses), so that its headers are exactly those of the same page
    through the whole stack. Everything else goes to Django untouched, marked
    so that the page cache does not look it up again.

    A middleware added before PageCacheMiddleware (compressing HTML, say)
    applies to the pages answered here too, at the cost of its work on each one.
    """

    def __init__(self, application):
        self.application = application
        super().__init__()

    def load_middleware(self, is_async=False):
        """The middleware before the page cache, around the kept page, built as Django builds its own chain."""
        page_cache = f"{__name__}.{PageCacheMiddleware.__name__}"
        handler = convert_exception_to_response(self._kept_page)
        for path in reversed(settings.MIDDLEWARE[: settings.MIDDLEWARE.index(page_cache)]):
            try:
                middleware = import_string(path)(handler)
            except MiddlewareNotUsed:
                continue
            handler = convert_exception_to_response(middleware)
        self._middleware_chain = handler

    @staticmethod
    def _kept_page(request):
        return request.kept_page

    def __call__(self, environ, start_response):
        request = WSGIRequest(environ)
        if not _cacheable_request(request):
            return self.application(environ, start_response)
        try:
            _, _, response = find_kept(request)
        except DisallowedHost:
            return self.application(environ, start_response)  # Django answers it: 400
        if response is None:
            environ[MISSED] = True
            return self.application(environ, start_response)
        request.kept_page = response
        # WSGIHandler's own answer, with this request rather than a new one.
        environ[KEPT_REQUEST] = request
        return super().__call__(environ, start_response)

    def request_class(self, environ):
        return environ.pop(KEPT_REQUEST)
