import posixpath
import re
import sys
from functools import cache
from pathlib import Path

from csp.decorators import csp_update
from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.static import serve

from newsdesk.core import health, metrics
from newsdesk.core.outages import unavailable_service_error

# Positions beyond 18 digits (an exabyte) are no range this server understands:
# the whole file, as for any range it does not understand.
BYTE_RANGE = re.compile(r"bytes=(\d{0,18})-(\d{0,18})")
CHUNK = 64 * 1024
# Wagtail's documents (upload folder "documents") are served only by its document view, which
# checks their collection's view restrictions: never by address in the media folder.
NOT_SERVED = ("documents/",)


# Browsers and bots ask every site for /favicon.ico, whatever its pages link.
FAVICON = Path(__file__).parent / "static" / "newsdesk" / "favicon.ico"


@cache
def _favicon_bytes():
    return FAVICON.read_bytes()


def favicon(request):
    response = HttpResponse(_favicon_bytes(), content_type="image/vnd.microsoft.icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def serve_media(request, path):
    """Uploaded media from the local disk, where nginx does not answer /media/ itself.

    Byte ranges are answered, so that readers can seek in audio and video. With object
    storage, media have the bucket's (or the CDN's) addresses and none here.
    """
    if not isinstance(storages["default"], FileSystemStorage):
        raise Http404("Media are in object storage.")
    if (posixpath.normpath(path).lstrip("/") + "/").startswith(NOT_SERVED):
        raise Http404("Not served from here.")
    return ranged(request, serve(request, path, document_root=settings.MEDIA_ROOT))


def ranged(request, response):
    """The byte range the request asks of a whole-file response (a FileResponse), or the whole file."""
    response["Accept-Ranges"] = "bytes"
    wanted = BYTE_RANGE.fullmatch(request.headers.get("Range", "").strip())
    first, last = wanted.groups() if wanted else ("", "")
    backwards = first and last and int(last) < int(first)
    if response.status_code != 200 or not (first or last) or backwards:
        return response  # no range, or one that is not valid: the whole file (RFC 9110)
    size = int(response["Content-Length"])
    if first:
        start, end = int(first), min(int(last) if last else size - 1, size - 1)
    else:  # "bytes=-N": the last N bytes
        start, end = max(0, size - int(last)), size - 1
    if start > end:
        response.close()
        refused = HttpResponse(status=416)
        refused["Content-Range"] = f"bytes */{size}"
        return refused
    partial = StreamingHttpResponse(
        _read(response.file_to_stream, start, end - start + 1),
        status=206,
        content_type=response["Content-Type"],
    )
    partial["Content-Range"] = f"bytes {start}-{end}/{size}"
    partial["Content-Length"] = str(end - start + 1)
    partial["Accept-Ranges"] = "bytes"
    for header in ("Cache-Control", "Last-Modified"):
        if header in response:
            partial[header] = response[header]
    return partial


def _read(file, start, length):
    with file:
        file.seek(start)
        while length > 0:
            chunk = file.read(min(CHUNK, length))
            if not chunk:
                return
            length -= len(chunk)
            yield chunk


# The error pages carry their style inline: they must look right without static files.
@csp_update({"style-src": ["'unsafe-inline'"]})
def server_error(request):
    """Django's handler500, which runs inside the `except` of the failed request.

    A service the site needs (PostgreSQL, or Redis as the task queue) away for
    now gets a 503 asking readers to come back; the next request tries again,
    since the connection pool replaces broken connections. Neither page touches
    the database or shows anything of the error.
    """
    if unavailable_service_error(sys.exc_info()[1]):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "10"
    else:
        response = HttpResponse(loader.get_template("500.html").render(), status=500)
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@require_safe
def healthz(request):
    """The process answers: for a supervisor or load balancer deciding whether to restart it."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request):
    """The services this process needs answer: 200, or 503 naming what failed (core/health.py)."""
    ready, checks = health.readiness()
    failed = [name for name, result in checks.items() if not result["ok"]]
    body = {"status": "ok" if ready else "unavailable", "checks": checks}
    if failed:
        body["failed"] = failed
    return JsonResponse(body, status=200 if ready else 503)


@never_cache
@require_safe
def metrics_view(request):
    """Prometheus metrics, for the addresses in NEWSDESK_METRICS_ALLOWED or the bearer of NEWSDESK_METRICS_TOKEN."""
    if not metrics.may_scrape(request):
        return HttpResponse("Forbidden.\n", status=403, content_type="text/plain")
    body, content_type = metrics.exposition()
    return HttpResponse(body, content_type=content_type)
