"""Numbers from URLs and headers are bounded before use: a huge one is a 4xx, never a 500."""

import re

import pytest
from django.urls import URLResolver, get_resolver
from django.urls.converters import IntConverter

from newsdesk.core.converters import IdConverter

pytestmark = pytest.mark.django_db

HUGE = "9" * 20


def routes_with_numbers(resolver, prefix=""):
    """Every route of the project, Wagtail's admin included, that takes a number from its path."""
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern).lstrip("^").rstrip("$")
        if isinstance(pattern, URLResolver):
            yield from routes_with_numbers(pattern, route)
        elif any(
            isinstance(converter, (IntConverter, IdConverter))
            for converter in pattern.pattern.converters.values()
        ) or re.search(r"<(int|id):", route):
            yield route


def test_every_number_in_a_url_is_bounded(admin_client):
    routes = sorted(set(routes_with_numbers(get_resolver())))
    assert "narration/<id:page_id>/captions.vtt" in routes
    answers = {}
    for route in routes:
        url = "/" + re.sub(r"<(int|id):\w+>", HUGE, re.sub(r"<(?!int:|id:)\w+:\w+>", "x", route))
        for method in (admin_client.get, admin_client.post):
            answers[(method.__name__, url)] = method(url).status_code
    assert {key: status for key, status in answers.items() if status >= 500} == {}


def test_captions_of_an_id_too_large_for_the_database_are_a_404(client):
    assert client.get(f"/narration/{HUGE}/captions.vtt").status_code == 404


def test_an_id_converter_refuses_what_no_id_column_holds():
    converter = IdConverter()
    assert converter.to_python("2147483647") == 2**31 - 1
    with pytest.raises(ValueError):
        converter.to_python("2147483648")
