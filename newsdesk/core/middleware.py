from django.utils import timezone

from newsdesk.core.models import NewsroomSettings


class NewsroomTimeZoneMiddleware:
    """Shows every time on the site in the newsroom's own time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timezone.activate(NewsroomSettings.for_request(request).zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
