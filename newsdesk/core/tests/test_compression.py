"""Pages gzipped by the app (core/middleware.py, TextCompressionMiddleware): kept pages too,
with their 304s, and nothing that is not text."""

import gzip

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from newsdesk.core.middleware import TextCompressionMiddleware

pytestmark = pytest.mark.django_db


def test_a_page_is_gzipped_for_a_browser_that_accepts_it_kept_or_not(
    client, publish_article, settings
):
    settings.PAGE_CACHE_SECONDS = 60
    article = publish_article()
    for kept in ("miss", "hit"):
        response = client.get(article.url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        body = response.getvalue()
        assert response.get("X-Page-Cache") == kept
        assert response["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response["Vary"]
        assert "Bridge reopens after repairs" in gzip.decompress(body).decode()
        assert response["Content-Type"] == "text/html; charset=utf-8"

    plain = client.get(article.url)
    assert "Content-Encoding" not in plain
    assert "Accept-Encoding" in plain["Vary"]
    assert "Bridge reopens after repairs" in plain.content.decode()


def test_a_gzipped_page_s_etag_is_the_page_s_so_the_browser_s_copy_is_confirmed_with_304(
    client, publish_article, settings
):
    settings.PAGE_CACHE_SECONDS = 60
    article = publish_article()
    first = client.get(article.url, HTTP_ACCEPT_ENCODING="gzip")
    second = client.get(article.url, HTTP_ACCEPT_ENCODING="gzip")
    assert first["ETag"].startswith('W/"')
    # Django pads each gzip differently (BREACH): the ETag must not follow the bytes.
    assert first.getvalue() != second.getvalue() and first["ETag"] == second["ETag"]
    again = client.get(article.url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


@pytest.mark.parametrize(
    "content_type, status, compressed",
    [
        ("text/html; charset=utf-8", 200, True),
        ("application/atom+xml; charset=utf-8", 200, True),
        ("audio/mpeg", 200, False),
        ("image/webp", 200, False),
        ("application/octet-stream", 200, False),
        ("text/vtt", 206, False),  # a range of a file: its bytes, as asked
    ],
)
def test_only_whole_text_responses_are_gzipped(content_type, status, compressed):
    body = b"<p>The old bridge reopened on Monday.</p>" * 20
    request = RequestFactory().get("/", HTTP_ACCEPT_ENCODING="gzip")
    middleware = TextCompressionMiddleware(
        lambda request: HttpResponse(body, content_type=content_type, status=status)
    )
    response = middleware(request)
    assert (response.get("Content-Encoding") == "gzip") is compressed
    assert (response.content != body) is compressed
