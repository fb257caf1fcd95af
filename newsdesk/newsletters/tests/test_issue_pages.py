"""What readers reach from an issue: the one-click unsubscribe, the public archive; and the bounce webhook."""

import hashlib
import hmac
import json
import time
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from newsdesk.newsletters.models import ConsentRecord, Issue, Subscriber, Subscription, Suppression
from newsdesk.newsletters.subscribers import tokens

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscription(newsletters):
    subscriber = Subscriber.objects.create(email="reader@example.org")
    Subscription.objects.create(
        subscriber=subscriber, newsletter=newsletters["explainer"], status="confirmed"
    )
    return Subscription.objects.create(
        subscriber=subscriber, newsletter=newsletters["briefing"], status="confirmed"
    )


def path_of(url):
    return urlsplit(url).path


def test_one_click_post_without_cookies_unsubscribes_with_200_and_no_redirect(subscription):
    url = path_of(tokens.unsubscribe_url(subscription.subscriber_id, subscription.newsletter_id))
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert "Location" not in response.headers
    subscription.refresh_from_db()
    assert (subscription.status, subscription.unsubscribe_method) == ("unsubscribed", "one_click")
    assert ConsentRecord.objects.get(subscription=subscription).action == "withdrawn"
    # Only this newsletter: the reader's other subscription stays.
    assert (
        Subscription.objects.get(
            subscriber=subscription.subscriber, newsletter__slug="explainer"
        ).status
        == "confirmed"
    )
    # Again: still 200, nothing more recorded.
    assert (
        mail_client.post(
            url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        ).status_code
        == 200
    )
    assert ConsentRecord.objects.filter(subscription=subscription).count() == 1


def test_get_only_shows_a_button(client, subscription):
    url = path_of(tokens.unsubscribe_url(subscription.subscriber_id, subscription.newsletter_id))
    response = client.get(url)
    assert response.status_code == 200
    assert b'<button class="button" type="submit">Unsubscribe</button>' in response.content
    assert "private" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    subscription.refresh_from_db()
    assert subscription.status == "confirmed"


@pytest.mark.parametrize("token", ["forged", "WzEsIDJd:1tFake:abc"])
def test_a_forged_link_changes_nothing(client, subscription, token):
    response = client.post(
        f"/newsletters/unsubscribe/{token}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    subscription.refresh_from_db()
    assert subscription.status == "confirmed"


def test_archive_lists_sent_issues_and_shows_them_without_personal_links(
    client, issue, newsletters
):
    draft = Issue.objects.create(newsletter=newsletters["briefing"], subject="Not yet")
    Issue.objects.filter(pk=issue.pk).update(status="sent", started_at=timezone.now())
    response = client.get("/newsletters/briefing/archive/")
    assert response.status_code == 200
    assert issue.subject in response.content.decode() and "Not yet" not in response.content.decode()

    page = client.get(f"/newsletters/briefing/archive/{issue.pk}/").content.decode()
    assert "Bridge reopens after repairs" in page and "Council passes the budget" in page
    assert "unsubscribe/" not in page and "preferences/" not in page
    assert '<link rel="canonical" href="http' in page
    assert client.get(f"/newsletters/briefing/archive/{draft.pk}/").status_code == 404
    assert client.get(f"/newsletters/explainer/archive/{issue.pk}/").status_code == 404


def test_archive_issue_page_is_accessible_html(client, issue):
    Issue.objects.filter(pk=issue.pk).update(status="sent", started_at=timezone.now())
    page = client.get(f"/newsletters/briefing/archive/{issue.pk}/").content.decode()
    assert page.count("<h1>") == 1 and 'href="#content"' in page


WEBHOOK = "/newsletters/esp/mailgun/tracking/"


@pytest.fixture
def esp(settings):
    settings.ANYMAIL = {
        "WEBHOOK_SECRET": "hook:s3cret",
        "MAILGUN_WEBHOOK_SIGNING_KEY": "key-test-signing",
    }


def mailgun_event(event, recipient, key="key-test-signing", **data):
    timestamp, token = str(int(time.time())), "a" * 50
    signature = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    return json.dumps(
        {
            "signature": {"timestamp": timestamp, "token": token, "signature": signature},
            "event-data": {
                "event": event,
                "recipient": recipient,
                "timestamp": time.time(),
                "id": "ev1",
                **data,
            },
        }
    )


def post_hook(client, body, auth="hook:s3cret"):
    import base64

    headers = {"Authorization": "Basic " + base64.b64encode(auth.encode()).decode()} if auth else {}
    return client.post(WEBHOOK, body, content_type="application/json", headers=headers)


@pytest.mark.parametrize(
    ("event", "extra", "reason"),
    [
        (
            "failed",
            {
                "severity": "permanent",
                "reason": "bounce",
                "delivery-status": {"code": 550, "message": "5.1.1 no such mailbox"},
            },
            "bounced",
        ),
        ("complained", {}, "complained"),
    ],
)
def test_a_signed_bounce_or_complaint_suppresses_the_address(client, esp, event, extra, reason):
    response = post_hook(client, mailgun_event(event, "Reader@Example.org", **extra))
    assert response.status_code == 200
    suppression = Suppression.objects.get()
    assert (suppression.email, suppression.reason, suppression.source) == (
        "reader@example.org",
        reason,
        "mailgun",
    )


def test_a_temporary_failure_suppresses_nothing(client, esp):
    body = mailgun_event("failed", "reader@example.org", severity="temporary", reason="generic")
    assert post_hook(client, body).status_code == 200
    assert not Suppression.objects.exists()


@pytest.mark.parametrize("problem", ["bad signature", "no auth", "wrong auth"])
def test_unsigned_or_unauthenticated_webhooks_are_refused(client, esp, problem):
    body = mailgun_event(
        "complained",
        "reader@example.org",
        key="key-forged" if problem == "bad signature" else "key-test-signing",
    )
    auth = {"no auth": None, "wrong auth": "hook:guess"}.get(problem, "hook:s3cret")
    assert post_hook(client, body, auth).status_code in (400, 403)
    assert not Suppression.objects.exists()


def test_the_webhook_is_off_until_configured(client, settings):
    settings.ANYMAIL = {}
    assert post_hook(client, mailgun_event("complained", "reader@example.org")).status_code == 404
    assert not Suppression.objects.exists()
