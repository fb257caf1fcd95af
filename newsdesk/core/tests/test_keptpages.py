"""KeptPages: kept pages answered in front of Django, with the headers of the whole stack."""

import gzip

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from wagtail.contrib.redirects.models import Redirect

from newsdesk.core.metrics import REQUESTS
from newsdesk.core.pagecache import MISSED, KeptPages
from newsdesk.core.tests.test_pagecache import warm

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 60


class Django:
    """Django's application behind the layer: a kept page must not reach it."""

    def __init__(self):
        self.environs = []

    def __call__(self, environ, start_response):
        self.environs.append(environ)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"Django"]


@pytest.fixture
def django_app():
    return Django()


@pytest.fixture
def layer(django_app):
    return KeptPages(django_app)


def answer(layer, rf, path, method="get", **headers):
    """(status, headers, body) of the layer's answer to a request like the test client's.

    As Django's test client does, the request's signals leave the database
    connection open: the test's transaction is on it.
    """
    environ = dict(getattr(rf, method)(path, **headers).environ)
    started = {}

    def start_response(status, response_headers, exc_info=None):
        started["status"], started["headers"] = status, response_headers

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        response = layer(environ, start_response)
        try:
            body = b"".join(response)
        finally:
            getattr(response, "close", lambda: None)()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return started["status"], dict(started["headers"]), body


def test_a_kept_page_is_answered_without_django_with_the_headers_of_the_whole_stack(
    layer, django_app, rf, client, stories, django_assert_num_queries
):
    first, _ = stories
    warm(client, first.url)
    through_django = client.get(first.url)
    with django_assert_num_queries(0):
        status, headers, body = answer(layer, rf, first.url)
    assert not django_app.environs  # neither Django's middleware nor its view ran
    assert status == "200 OK" and body == through_django.content
    assert headers.pop("X-Request-ID") != through_django["X-Request-ID"]
    assert headers == {
        name: value for name, value in through_django.items() if name != "X-Request-ID"
    }
    # What the middleware before the page cache adds: security headers, CSP, the ETag.
    assert {"Content-Security-Policy", "X-Content-Type-Options", "ETag", "Vary"} <= set(headers)
    assert "Set-Cookie" not in headers and "sessionid" not in client.cookies


def test_a_kept_page_is_gzipped_by_the_layer_for_a_browser_that_accepts_it(
    layer, django_app, rf, client, stories
):
    first, _ = stories
    warm(client, first.url)
    plain = client.get(first.url).content
    status, headers, body = answer(layer, rf, first.url, HTTP_ACCEPT_ENCODING="gzip, br")
    assert status == "200 OK" and not django_app.environs
    assert headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in headers["Vary"]
    assert gzip.decompress(body) == plain and int(headers["Content-Length"]) == len(body)


def test_a_kept_page_is_counted_in_the_metrics(layer, rf, client, stories):
    first, _ = stories
    warm(client, first.url)
    counted = REQUESTS.labels("page_cache", "GET", "200")
    before = counted._value.get()
    answer(layer, rf, first.url)
    assert counted._value.get() == before + 1


def test_a_browser_holding_the_page_gets_304_from_the_layer(layer, django_app, rf, client, stories):
    first, _ = stories
    warm(client, first.url)
    etag = client.get(first.url)["ETag"]
    status, headers, body = answer(layer, rf, first.url, HTTP_IF_NONE_MATCH=etag)
    assert status == "304 Not Modified" and body == b"" and headers["ETag"] == etag
    assert not django_app.environs


def test_head_is_answered_with_the_headers_of_get(layer, django_app, rf, client, stories):
    first, _ = stories
    warm(client, first.url)
    _, got, _ = answer(layer, rf, first.url)
    status, headed, _ = answer(layer, rf, first.url, method="head")
    assert status == "200 OK" and not django_app.environs
    assert {**headed, "X-Request-ID": ""} == {**got, "X-Request-ID": ""}


def test_a_wordpress_address_is_redirected_not_answered_with_the_kept_home_page(
    layer, django_app, rf, client, stories
):
    first, _ = stories
    Redirect.objects.create(old_path="/?p=12", redirect_link=first.url)
    warm(client, "/", "/?x=1")
    status, headers, _ = answer(layer, rf, "/?p=12")
    assert status == "301 Moved Permanently" and headers["Location"] == first.url
    assert not django_app.environs


def test_what_is_not_kept_goes_to_django_looked_up_once(layer, django_app, rf, client, stories):
    first, second = stories
    warm(client, first.url)
    assert answer(layer, rf, second.url)[2] == b"Django"  # not kept yet
    assert django_app.environs[-1][MISSED]  # the page cache does not look it up again
    signed_in = answer(layer, rf, first.url, HTTP_COOKIE="sessionid=abc")
    assert signed_in[2] == b"Django" and MISSED not in django_app.environs[-1]
    assert answer(layer, rf, first.url, method="post")[2] == b"Django"
    # A host Django refuses is refused by Django (400), not looked up.
    assert answer(layer, rf, first.url, HTTP_HOST="elsewhere.example")[2] == b"Django"


def test_the_page_cache_keeps_what_the_layer_missed(rf, stories):
    """The whole application (newsdesk/wsgi.py): a miss is rendered and kept by Django, then answered in front."""
    from newsdesk.wsgi import application

    first, _ = stories
    missed = answer(application, rf, first.url)
    kept = answer(application, rf, first.url)
    assert missed[1]["X-Page-Cache"] == "miss" and kept[1]["X-Page-Cache"] == "hit"
    assert missed[2] == kept[2]
    assert Client().get(first.url)["X-Page-Cache"] == "hit"
