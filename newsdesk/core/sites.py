"""The request's Wagtail site and the newsroom's settings, kept in the shared cache.

Every rendered page needs the site that answers its host (Wagtail's
Site.find_for_request: a query with a CASE ranking the candidates, the
costliest of a page's queries to build) and the NewsroomSettings of that site
(name, time zone: another query). Both change rarely, so they are kept per
host and port, with the generations of the page cache's tags they were read
under (pagecache.py): `sites` (any Site saved or deleted), `newsroom` (the
settings) and the root page's own tag (the site carries its root page, and
publishing it renews that tag). A kept entry is used while those generations
are unchanged, as the page cache does with whole pages; one read before the
lookup was done may hold what a change replaced, so an entry is kept only if
no generation is newer than the start of the lookup. With the cache away,
Wagtail looks the site up as it always did.
"""

import time

from django.core.cache import cache
from django.http.request import split_domain_port
from wagtail.models import Site

from newsdesk.core.models import NewsroomSettings
from newsdesk.core.pagecache import NEWSROOM, current_generations, generations, page_tag

SITES = "sites"
SITE_KEY = "site:{}:{}"
SITE_SECONDS = 24 * 60 * 60  # the generations are what keeps it right; this only frees memory


def _keep(request):
    hostname, port = split_domain_port(request._get_raw_host())[0], request.get_port()
    key = SITE_KEY.format(hostname, port)
    entry = cache.get(key)
    if entry is not None and generations(entry["tags"]) == entry["tags"]:
        request._wagtail_site = entry["site"]
        setattr(request, NewsroomSettings.get_cache_attr_name(), entry["settings"])
        entry["settings"]._request = request  # as for_request does, for its page links
        return
    started = time.time()
    site = Site.find_for_request(request)  # Wagtail's lookup, remembered on the request
    if site is None:
        return
    settings = NewsroomSettings.for_request(request)
    current = current_generations([SITES, NEWSROOM, page_tag(site.root_page)])
    if all(generation <= started for generation in current.values()):
        entry = {"site": site, "settings": settings, "tags": current}
        cache.set(key, entry, timeout=SITE_SECONDS)


class KeptSiteMiddleware:
    """Gives each request its site and newsroom settings from the shared cache when they are current."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        _keep(request)
        return self.get_response(request)
