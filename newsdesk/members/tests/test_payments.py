import json
import time

import pytest
import stripe

from newsdesk.members import payments
from newsdesk.members.models import StripeEvent

SECRET = "whsec_test_secret"


def signed(payload: str, secret: str = SECRET) -> str:
    timestamp = int(time.time())
    signature = stripe.WebhookSignature._compute_signature(f"{timestamp}.{payload}", secret)
    return f"t={timestamp},v1={signature}"


def event(event_id="evt_1", event_type="test.happened"):
    return json.dumps(
        {
            "id": event_id,
            "object": "event",
            "type": event_type,
            "created": 1_764_000_000,
            "data": {"object": {"id": "obj_1", "object": "thing"}},
        }
    )


@pytest.fixture
def received(settings, monkeypatch):
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    seen = []
    monkeypatch.setitem(payments._handlers, "test.happened", [lambda e: seen.append(e.id)])
    return seen


def post(client, body, signature):
    return client.post(
        "/members/stripe/webhook/",
        body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signature,
    )


@pytest.mark.django_db
def test_a_signed_event_is_handled_once_however_often_it_comes(client, received):
    body = event()
    assert post(client, body, signed(body)).status_code == 200
    assert post(client, body, signed(body)).status_code == 200
    assert received == ["evt_1"]
    stored = StripeEvent.objects.get()
    assert (stored.type, stored.handled_at is not None) == ("test.happened", True)


@pytest.mark.django_db
def test_a_bad_signature_is_a_400_that_changes_nothing(client, received):
    body = event()
    response = post(client, body, signed(body, secret="whsec_someone_else"))
    assert response.status_code == 400
    assert post(client, body, "t=1,v1=nonsense").status_code == 400
    assert received == []
    assert not StripeEvent.objects.exists()


@pytest.mark.django_db
def test_a_failing_handler_leaves_the_event_to_be_delivered_again(client, settings, monkeypatch):
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    attempts = []

    def flaky(e):
        attempts.append(e.id)
        if len(attempts) == 1:
            raise RuntimeError("database went away")

    monkeypatch.setitem(payments._handlers, "test.happened", [flaky])
    client.raise_request_exception = False
    body = event()
    assert post(client, body, signed(body)).status_code == 500
    assert not StripeEvent.objects.exists()
    assert post(client, body, signed(body)).status_code == 200
    assert attempts == ["evt_1", "evt_1"]


@pytest.mark.django_db
def test_without_a_webhook_secret_the_endpoint_is_not_there(client, settings):
    settings.STRIPE_WEBHOOK_SECRET = ""
    body = event()
    assert post(client, body, signed(body)).status_code == 404
