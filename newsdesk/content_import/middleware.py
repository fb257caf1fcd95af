"""WordPress's numbered addresses of imported stories and pages: /?p=12, /?page_id=7.

The import records them as redirects, but Wagtail's redirects answer only
where the site has no page, and "/" is the home page: "/?p=12" would show it.
This middleware, placed before the page cache (which keeps the home page
whatever the query string), answers such a request with the redirect. Any
other request passes untouched, without a query to the database.
"""

from collections.abc import Callable

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from wagtail.contrib.redirects.middleware import get_redirect
from wagtail.contrib.redirects.models import Redirect

WORDPRESS_IDS = ("p", "page_id")
MAX_DIGITS = 19  # a 64-bit id: anything longer names no post


class WordPressAddressMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == "/" and request.GET:
            for name in WORDPRESS_IDS:
                value = request.GET.get(name, "")
                if value.isascii() and value.isdigit() and len(value) <= MAX_DIGITS:
                    redirect = get_redirect(
                        request, Redirect.normalise_path(f"/?{name}={int(value)}")
                    )
                    if redirect is not None and redirect.link:
                        if redirect.is_permanent:
                            return HttpResponsePermanentRedirect(redirect.link)
                        return HttpResponseRedirect(redirect.link)
        return self.get_response(request)
