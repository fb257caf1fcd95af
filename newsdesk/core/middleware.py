from functools import cache

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
