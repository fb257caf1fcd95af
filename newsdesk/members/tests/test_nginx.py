"""Gated stories behind the shipped nginx (deploy/nginx/newsdesk.conf): its micro-cache never mixes readers."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from newsdesk.core.tests.servers import fetch, start_nginx, stop
from newsdesk.members import accounts, sessions
from newsdesk.members.models import StoryAccess

pytestmark = pytest.mark.django_db(transaction=True)

GATED_TEXT = b"Only members read this paragraph."


def member_cookie(email):
    member, _ = accounts.join(email)
    response = HttpResponse()
    sessions.start(RequestFactory().get("/"), response, member)
    return f"{sessions.MEMBER_COOKIE}={response.cookies[sessions.MEMBER_COOKIE].value}"


@pytest.fixture
def front(live_site, settings, tmp_path, publish_article):
    settings.PAGE_CACHE_SECONDS = 60
    body = [{"type": "paragraph", "value": f"<p>Open paragraph {n}.</p>"} for n in range(3)]
    body.append({"type": "paragraph", "value": f"<p>{GATED_TEXT.decode()}</p>"})
    story = publish_article("Inside the water deal", body=body)
    StoryAccess.objects.create(page=story)
    upstream_port = int(live_site.url.rsplit(":", 1)[1])
    process, port = start_nginx(
        tmp_path / "nginx", upstream_port, tmp_path / "static-root", tmp_path / "media-root"
    )
    yield f"http://127.0.0.1:{port}", story
    stop(process)


def test_members_go_past_the_micro_cache_and_their_page_is_kept_for_nobody(front):
    base, story = front
    cookie = member_cookie("member@example.org")
    status, headers, body = fetch(base + story.url, headers={"Cookie": cookie})
    assert status == 200 and GATED_TEXT in body
    assert headers["X-Micro-Cache"] == "BYPASS"
    assert "private" in headers["Cache-Control"]
    for _ in range(2):  # the first answer is kept by nginx, the second comes from it
        status, headers, body = fetch(base + story.url)
        assert status == 200 and b"Open paragraph 2." in body and GATED_TEXT not in body
    assert headers["X-Micro-Cache"] in {"HIT", "UPDATING"}
    # The kept anonymous page does not reach the member either.
    _, headers, body = fetch(base + story.url, headers={"Cookie": cookie})
    assert GATED_TEXT in body and headers["X-Micro-Cache"] == "BYPASS"


def test_the_account_pages_are_never_kept_by_nginx(front):
    base, _ = front
    cookie = member_cookie("member@example.org")
    status, headers, body = fetch(base + "/account/", headers={"Cookie": cookie})
    assert status == 200 and b"member@example.org" in body
    status, headers, body = fetch(base + "/account/")
    assert headers["X-Micro-Cache"] == "BYPASS" and b"member@example.org" not in body
