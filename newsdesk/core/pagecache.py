"""The page cache: whole responses for anonymous readers, kept in the shared cache.

A reader without a session cookie gets a page that was rendered once and kept
in the cache (Redis in production), served without touching the database. A
signed-in user (any request carrying the session cookie) always gets the live
page, so editors see their "Edit" links and their changes at once.

Invalidation is by dependency, not by URL. Every cached response names the
dependencies ("tags") it was rendered from: the Wagtail page it is
(`page:<id>`), the listings it shows (`tag:<slug>`, `author:<slug>`), or a
family of outputs (`feeds`, `sitemaps`, `search`, `newsfeed`, `picks`,
`sections`: the navigation on every page). Each
tag has a generation in the cache, the time it last changed. An entry keeps the
generations it was rendered under, and is served only while all of them are
still current. Publishing, unpublishing, moving or deleting a page gives new
generations to exactly the tags it touches (`page_changed`): the page, its
ancestors (its section, the home page), its tag and author pages before and
after the change, every page that shows it through a card (Wagtail's reference
index), the editors' picks beside every page if it is among them, the news
feed if an item links it, the sections if it is one, the feeds, the sitemaps
and search. Nothing else is re-rendered. One small key per tag
changes; no list of URLs is kept, so paginated listings and search queries are
covered too.

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
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.utils.cache import patch_cache_control
from django.utils.http import http_date

GENERATION_KEY = "pagecache:tag:{}"
ENTRY_KEY = "pagecache:page:{}"
PARAMETERS_KEY = "pagecache:parameters:{}"
ALL_PARAMETERS = "*"

# Query parameters that only say where a reader came from (utm_* too): no page
# reads them, so they are no part of any key (see without_marketing_parameters).
MARKETING_PARAMETERS = {"fbclid", "gclid", "mc_cid", "mc_eid", "ref"}

# Views whose responses are the same for every anonymous reader, by URL name,
# with the tags they depend on. Wagtail's pages are tagged by the
# `before_serve_page` hook (core/wagtail_hooks.py).
VIEW_TAGS = {
    "tag": lambda kwargs: [f"tag:{kwargs['slug'].lower()}"],
    "author": lambda kwargs: [f"author:{kwargs['slug']}"],
    "news": lambda kwargs: ["newsfeed"],
    "news_updates": lambda kwargs: ["newsfeed"],
    "news_feed": lambda kwargs: ["newsfeed"],
    "search": lambda kwargs: ["search"],
    "articles_feed": lambda kwargs: ["feeds"],
    "listing_feed": lambda kwargs: ["feeds"],
    "podcast_feed": lambda kwargs: ["feeds"],
    "section_podcast_feed": lambda kwargs: ["feeds"],
    "sitemap": lambda kwargs: ["sitemaps"],
    "sitemap_section": lambda kwargs: ["sitemaps"],
}


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


def bump(tags):
    """Gives the tags new generations once the transaction commits, so no reader caches what it is replacing."""
    if not tags:
        return
    now = time.time()

    def renew():
        cache.set_many({GENERATION_KEY.format(tag): now for tag in tags}, timeout=None)

    transaction.on_commit(renew)
    purge_frontend_cache(tags)


def purge_frontend_cache(tags):
    """Purges a CDN or proxy named in WAGTAILFRONTENDCACHE: the first page of each listing that changed."""
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    from django.urls import reverse
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache
    from wagtail.models import Page

    base = settings.NEWSDESK_SITE_URL
    urls = []
    page_ids = [int(tag.split(":", 1)[1]) for tag in tags if tag.startswith("page:")]
    for page in Page.objects.filter(pk__in=page_ids).specific(defer=True):
        if page.live and page.full_url:
            urls.append(page.full_url)
    for tag in tags:
        kind, _, value = tag.partition(":")
        if kind in {"tag", "author"}:
            urls.append(base + reverse(kind, kwargs={"slug": value}))
    if "feeds" in tags:
        urls += [base + reverse("articles_feed", args=[kind]) for kind in ("rss", "atom")]
    if "sitemaps" in tags:
        urls += [base + reverse("sitemap")] + [
            base + reverse("sitemap_section", args=[s]) for s in ("pages", "news")
        ]
    transaction.on_commit(lambda: purge_urls_from_cache(urls))


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
    """The key of a response, by its path and the query parameters the page read to render it."""
    names = sorted(query) if read == ALL_PARAMETERS else read
    values = [[name, query.getlist(name)] for name in names]
    return ENTRY_KEY.format(
        hashlib.sha256(json.dumps([path_key, read, values]).encode()).hexdigest()
    )


def _is_marketing(name):
    return name.startswith("utm_") or name in MARKETING_PARAMETERS


def without_marketing_parameters(request):
    """The request as the page sees it: what only says where a reader came from is dropped.

    Scripts in the browser can still read them from the address bar.
    """
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


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable_request(request):
            return self.get_response(request)
        query = without_marketing_parameters(request)
        path_key = _path_key(request)
        # The parameters this page read when it was last rendered: a page that reads
        # none is kept once, whatever query string each reader brings.
        read = cache.get(PARAMETERS_KEY.format(path_key))
        entry = cache.get(_entry_key(path_key, query, read)) if read is not None else None
        if entry and generations(entry["tags"]) == entry["tags"]:
            response = HttpResponse(entry["content"], status=entry["status"])
            for name, value in entry["headers"]:
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return response

        started = time.time()
        request.page_cache_tags = set()
        request.GET = ReadRecordingQueryDict(
            request.META.get("QUERY_STRING", ""), encoding=request.encoding
        )
        response = self.get_response(request)
        match = request.resolver_match
        if match and match.url_name in VIEW_TAGS:
            add_tags(request, *VIEW_TAGS[match.url_name](match.kwargs))
        if not request.page_cache_tags or not _storable(response):
            return response
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
            entry = {"status": response.status_code, "headers": headers, "tags": current}
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
    def kept_once_sent(chunks, key, entry):
        """Streams a response (a sitemap page) to the reader and keeps it when the last chunk has gone."""
        sent = []
        for chunk in chunks:
            sent.append(chunk)
            yield chunk
        cache.set(key, {**entry, "content": b"".join(sent)}, timeout=settings.PAGE_CACHE_SECONDS)


def _listing_tags(article_id):
    """The tag and author pages an article is listed on, as stored now."""
    from newsdesk.articles.models import ArticleByline, ArticlePageTag

    slugs = ArticlePageTag.objects.filter(content_object_id=article_id).values_list(
        "tag__slug", flat=True
    )
    authors = ArticleByline.objects.filter(page_id=article_id).values_list(
        "contributor__slug", flat=True
    )
    return {f"tag:{slug.lower()}" for slug in slugs} | {f"author:{slug}" for slug in authors}


def remember_listings(sender, instance, **kwargs):
    """Before an article is saved: the listings it leaves, if its tags or bylines change."""
    if instance.pk:
        instance._listed_before = _listing_tags(instance.pk)


def page_changed(page):
    """The tags of everything that shows this page: see the module's docstring."""
    from wagtail.models import Page

    from newsdesk.articles.models import SectionPage
    from newsdesk.curation.models import EditorsPicks
    from newsdesk.feed.models import NewsItem

    tags = {page_tag(page), "feeds", "sitemaps", "search"}
    tags |= {f"page:{pk}" for pk in page.get_ancestors().values_list("pk", flat=True)}
    tags |= getattr(page, "_listed_before", set()) | _listing_tags(page.pk)
    if page.specific_class and issubclass(page.specific_class, SectionPage):
        tags.add("sections")
    for model, object_id in _referring_objects(page):
        if issubclass(model, Page):
            tags.add(f"page:{object_id}")
        elif issubclass(model, EditorsPicks):
            tags.add("picks")
        elif issubclass(model, NewsItem):  # a news item links its story while the story is live
            tags.add("newsfeed")
    bump(tags)


def _referring_objects(page):
    """(model, id) of every object that links the page in its content: story cards, picks, front-page lists."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ReferenceIndex

    rows = (
        ReferenceIndex.get_references_to(page)
        .values_list("base_content_type", "object_id")
        .distinct()
    )
    for content_type_id, object_id in rows:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is not None:
            yield model, object_id


def on_page_published_or_unpublished(sender, instance, **kwargs):
    page_changed(instance)


def on_page_moved(sender, instance, parent_page_before, **kwargs):
    bump(
        {
            f"page:{pk}"
            for pk in parent_page_before.get_ancestors(inclusive=True).values_list("pk", flat=True)
        }
    )
    page_changed(instance)


def on_page_deleted(sender, instance, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page):
        page_changed(instance)


def on_picks_saved(sender, instance, **kwargs):
    bump({"picks"})


def on_news_item_saved(sender, instance, **kwargs):
    bump({"newsfeed"})
