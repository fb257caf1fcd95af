"""Editors manage newsletters and see, search and export their subscribers; nobody else can."""

import csv
import io

import pytest
from django.contrib.auth.models import User

from newsdesk.newsletters.models import Subscriber, Subscription

pytestmark = pytest.mark.django_db

NEWSLETTERS_URL = "/admin/snippets/newsletters/newsletter/"
SUBSCRIBERS_URL = "/admin/snippets/newsletters/subscription/"


@pytest.fixture
def subscribers(newsletters):
    briefing = newsletters["briefing"]
    rows = [
        ("ana@example.org", "confirmed"),
        ("bo@example.org", "confirmed"),
        ("cy@example.org", "pending"),
        ("=HYPERLINK(1)@example.org", "unsubscribed"),
    ]
    for email, status in rows:
        Subscription.objects.create(
            subscriber=Subscriber.objects.create(email=email), newsletter=briefing, status=status
        )
    Subscription.objects.create(
        subscriber=Subscriber.objects.get(email="ana@example.org"),
        newsletter=newsletters["explainer"],
        status="pending",
    )
    return newsletters


def cells(html, name):
    from bs4 import BeautifulSoup

    row = next(
        tr for tr in BeautifulSoup(html, "html.parser").select("tbody tr") if name in tr.get_text()
    )
    return [td.get_text(" ", strip=True) for td in row.find_all("td")]


def test_editors_see_each_newsletters_subscriber_counts(editor_client, subscribers):
    html = editor_client.get(NEWSLETTERS_URL).content.decode()
    briefing = cells(html, "The Briefing")
    assert briefing[-4:-1] == ["2", "1", "1"]  # confirmed, pending, unsubscribed
    assert "Ira Test" in briefing and "Every weekday morning" in briefing
    assert cells(html, "The Explainer")[-4:-1] == ["0", "1", "0"]


def test_editors_search_subscribers_by_address_and_filter_by_newsletter(editor_client, subscribers):
    html = editor_client.get(SUBSCRIBERS_URL, {"q": "bo@exa"}).content.decode()
    assert "bo@example.org" in html and "ana@example.org" not in html
    briefing = subscribers["explainer"].pk
    html = editor_client.get(SUBSCRIBERS_URL, {"newsletter": briefing}).content.decode()
    assert "ana@example.org" in html and "bo@example.org" not in html


def test_editors_export_a_newsletters_subscribers_as_csv(editor_client, subscribers):
    response = editor_client.get(
        SUBSCRIBERS_URL, {"newsletter": subscribers["briefing"].pk, "export": "csv"}
    )
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="subscribers.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {(row["Email"], row["Newsletter"], row["Status"]) for row in rows} == {
        ("ana@example.org", "briefing", "confirmed"),
        ("bo@example.org", "briefing", "confirmed"),
        ("cy@example.org", "briefing", "pending"),
        ("'=HYPERLINK(1)@example.org", "briefing", "unsubscribed"),  # not run as a formula
    }
    assert "Confirmed at" in rows[0] and "Unsubscribe method" in rows[0]


def test_editors_cannot_add_or_edit_subscriptions_by_hand(editor_client, subscribers):
    subscription = Subscription.objects.first()
    assert editor_client.get(SUBSCRIBERS_URL + "add/").status_code in (302, 403)
    response = editor_client.post(
        SUBSCRIBERS_URL + f"edit/{subscription.pk}/", {"status": "confirmed"}
    )
    assert response.status_code in (302, 403)
    assert Subscription.objects.get(pk=subscription.pk).status == subscription.status


def test_editors_add_a_newsletter(editor_client, newsroom):
    response = editor_client.post(
        NEWSLETTERS_URL + "add/",
        {
            "name": "Night Desk",
            "slug": "night-desk",
            "description": "What happened while you slept.",
            "host": newsroom["reporter"].pk,
            "cadence": "Every night",
            "sender_name": "Night Desk",
            "sender_address": "night@ledger.example.org",
            "reply_to": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert editor_client.get("/newsletters/").content.decode().count("Night Desk") >= 1


def test_a_sender_name_cannot_carry_extra_headers(editor_client, newsroom):
    response = editor_client.post(
        NEWSLETTERS_URL + "add/",
        {
            "name": "Evil",
            "slug": "evil",
            "description": "x",
            "host": newsroom["reporter"].pk,
            "cadence": "Daily",
            "sender_name": "Evil\r\nBcc: everyone@example.org",
            "sender_address": "evil@ledger.example.org",
        },
    )
    assert response.status_code == 200 and "Use a single line of text." in response.content.decode()


@pytest.mark.parametrize("url", [NEWSLETTERS_URL, SUBSCRIBERS_URL, SUBSCRIBERS_URL + "?export=csv"])
def test_subscriber_lists_are_staff_only(client, subscribers, url):
    response = client.get(url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(User.objects.create_user("reader", "reader@example.org", "pw"))
    response = client.get(url)
    assert response.status_code in (302, 403)
    assert b"ana@example.org" not in b"".join(
        getattr(response, "streaming_content", [response.content])
    )
