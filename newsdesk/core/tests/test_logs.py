"""Log lines as JSON, each with its request's id and staff member, and no secret."""

import io
import json
import logging

import pytest
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.test import RequestFactory

from newsdesk.core.logs import (
    HEADER,
    JsonFormatter,
    RequestIdMiddleware,
    forget_request,
    request_id_for,
)

SIGNED = "reader-42:1u0abc:" + "S" * 43


@pytest.fixture
def json_log():
    """A logger writing through the JSON formatter into a buffer: the lines, parsed."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("newsdesk.tests.json")
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.INFO)
    logger.lines = lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    yield logger
    logger.removeHandler(handler)


def serve(request, view):
    response = RequestIdMiddleware(view)(request)
    forget_request()
    return response


@pytest.mark.parametrize(
    ("remote", "sent", "kept"),
    [
        ("127.0.0.1", "lb-0123456789abcdef", True),  # a trusted proxy's
        ("203.0.113.9", "lb-0123456789abcdef", False),  # a client's own: not believed
        ("127.0.0.1", "x" * 65, False),  # too long
        ("127.0.0.1", "id with spaces\u00e9", False),
        ("127.0.0.1", "short", False),
        ("127.0.0.1", "", False),
    ],
)
def test_an_incoming_request_id_is_kept_only_from_a_trusted_proxy_and_sane(remote, sent, kept):
    request = RequestFactory().get("/", headers={HEADER: sent}, REMOTE_ADDR=remote)
    found = request_id_for(request)
    assert (found == sent) is kept
    if not kept:
        assert len(found) == 32 and found.isalnum()


@pytest.mark.django_db
def test_each_line_is_json_with_the_request_id_and_the_staff_members_id(json_log):
    editor = User.objects.create_user("editor", is_staff=True)
    reader = User.objects.create_user("reader")

    def view(request):
        json_log.info("Rendering %s", request.path)
        request._cached_user = request.user_to_be  # as AuthenticationMiddleware leaves it
        json_log.warning("Not Found: /newsletters/preferences/%s/", SIGNED)
        try:
            raise ValueError(f"bad link {SIGNED}")
        except ValueError:
            json_log.exception("Failed")
        return HttpResponse("ok")

    staff_request = RequestFactory().get("/city/")
    staff_request.user_to_be = editor
    response = serve(staff_request, view)
    reader_request = RequestFactory().get("/city/")
    reader_request.user_to_be = reader
    serve(reader_request, view)
    json_log.info("Between requests")

    lines = json_log.lines()
    assert [line["level"] for line in lines[:3]] == ["INFO", "WARNING", "ERROR"]
    staff_lines, reader_lines, after = lines[:3], lines[3:6], lines[6]
    assert {line["request_id"] for line in staff_lines} == {response[HEADER]}
    assert "user_id" not in staff_lines[0]  # the user not looked up yet: not looked up for a log
    assert staff_lines[1]["user_id"] == editor.pk and staff_lines[2]["user_id"] == editor.pk
    assert not any("user_id" in line for line in reader_lines)  # readers are nobody in the log
    assert reader_lines[0]["request_id"] != response[HEADER]
    assert "request_id" not in after
    assert staff_lines[0]["message"] == "Rendering /city/" and staff_lines[0]["logger"]
    assert "[signed]" in staff_lines[1]["message"] and "ValueError" in staff_lines[2]["exception"]
    assert SIGNED not in json.dumps(lines)


def test_every_response_names_its_request(client):
    response = client.get("/healthz")
    assert len(response[HEADER]) == 32
    assert client.get("/healthz")[HEADER] != response[HEADER]
