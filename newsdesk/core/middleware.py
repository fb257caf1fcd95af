from functools import cache

from django.middleware.gzip import GZipMiddleware
from django.urls import resolve, reverse
from django.utils import timezone

from newsdesk.core.admin_zone import lend_newsroom_zone
from newsdesk.core.models import NewsroomSettings


class NewsroomTimeZoneMiddleware:
    """Shows every time on the site, and in the admin, in the newsroom's own time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = NewsroomSettings.for_request(request).zone
        timezone.activate(zone)
        if hasattr(request, "user"):
            lend_newsroom_zone(request, zone.key)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


# Views that must answer with the database or the cache away: what they read, they read themselves.
SERVICE_ENDPOINTS = ("healthz", "readyz", "metrics")


@cache
def service_paths():
    return frozenset(reverse(name) for name in SERVICE_ENDPOINTS)


class ServiceEndpointsMiddleware:
    """Hands /healthz, /readyz and /metrics to their views ahead of the middleware below it.

    The page cache would ask Redis for them and the time-zone middleware the
    database for the newsroom's settings: with either away, a probe asking
    whether the process is alive would wait for it, or get the 503 page. They
    need no session, CSRF or page cache, and are never kept (no-store).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info not in service_paths():
            return self.get_response(request)
        request.resolver_match = match = resolve(request.path_info)
        return match.func(request, *match.args, **match.kwargs)


# What is worth compressing: deploy/nginx/newsdesk.conf's gzip_types, and HTML.
TEXT_TYPES = {
    "text/html",
    "text/css",
    "text/plain",
    "text/xml",
    "text/vtt",
    "application/javascript",
    "application/json",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "image/svg+xml",
}


class TextCompressionMiddleware(GZipMiddleware):
    """Gzips pages, feeds and other text for browsers that accept it, as nginx does.

    `newsdesk web` has no nginx in front on the embedded profile, and an uncompressed
    article is a quarter of a phone's first second (docs/performance.md). Above the
    page cache, so kept pages are compressed too and kept once for every client; above
    ConditionalGetMiddleware, so ETags are those of the page, not of its gzip (which
    differs on each response: Django pads it against BREACH) and 304s still happen.
    Static files are WhiteNoise's, above this, already compressed at collectstatic.
    Audio, pictures and downloads are left alone, and so are ranges of a file.
    """

    def process_response(self, request, response):
        media_type = response.get("Content-Type", "").split(";")[0].strip().lower()
        if response.status_code == 206 or media_type not in TEXT_TYPES:
            return response
        return super().process_response(request, response)
