"""Request bodies bounded before they are read.

Django's DATA_UPLOAD_MAX_MEMORY_SIZE refuses a large form only once it is
parsing it, and a body sent in chunks (no Content-Length) is not read by Django
at all. This WSGI layer, in front of Django, answers 413 from the
Content-Length alone, and reads a chunked body only up to the limit (into
memory, or a temporary file past DATA_UPLOAD_MAX_MEMORY_SIZE) before handing it
on with its length. The admin's uploads (images, documents, subscriber lists)
have a limit of their own, REQUEST_BODY_MAX_BYTES_ADMIN; everything else, forms
and webhooks, has REQUEST_BODY_MAX_BYTES.
"""

import tempfile

from django.conf import settings

CHUNK = 64 * 1024
TOO_LARGE = b"Request body too large.\n"


def body_limit(path):
    if path.startswith("/admin/"):
        return settings.REQUEST_BODY_MAX_BYTES_ADMIN
    return settings.REQUEST_BODY_MAX_BYTES


class BodyLimit:
    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        limit = body_limit(environ.get("PATH_INFO", ""))
        length = environ.get("CONTENT_LENGTH", "").strip()
        if length:
            # More digits than any limit: refused without turning them into a number.
            if len(length) > 18 or (length.isdigit() and int(length) > limit):
                return self.too_large(start_response)
        elif "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
            body = self.read_chunked(environ["wsgi.input"], limit)
            if body is None:
                return self.too_large(start_response)
            environ["wsgi.input"], environ["CONTENT_LENGTH"] = body, str(body.tell())
            body.seek(0)
        return self.application(environ, start_response)

    @staticmethod
    def read_chunked(stream, limit):
        """The body in a file, or None when it is longer than the limit (reading stops there)."""
        # Handed on open: Django reads it as the request body, and it goes with the request.
        body = tempfile.SpooledTemporaryFile(max_size=settings.DATA_UPLOAD_MAX_MEMORY_SIZE)  # noqa: SIM115
        while chunk := stream.read(min(CHUNK, limit + 1 - body.tell())):
            body.write(chunk)
            if body.tell() > limit:
                body.close()
                return None
        return body

    @staticmethod
    def too_large(start_response):
        start_response(
            "413 Content Too Large",
            [
                ("Content-Type", "text/plain; charset=utf-8"),
                ("Content-Length", str(len(TOO_LARGE))),
            ],
        )
        return [TOO_LARGE]
