import json
import time
from datetime import timedelta

import pytest
import stripe
from django.utils import timezone

from newsdesk.core.tests.conftest import commit  # noqa: F401 (a fixture)
from newsdesk.members.tests.conftest import run_tasks, tiers  # noqa: F401 (fixtures)
from newsdesk.support.models import Campaign

SECRET = "whsec_support_tests"


def signed(payload: str, secret: str = SECRET) -> str:
    timestamp = int(time.time())
    signature = stripe.WebhookSignature._compute_signature(f"{timestamp}.{payload}", secret)
    return f"t={timestamp},v1={signature}"


@pytest.fixture
def deliver(client, settings, django_capture_on_commit_callbacks):
    """Posts a signed Stripe event to the webhook, as Stripe would (what waits for the commit runs); the response."""
    settings.STRIPE_WEBHOOK_SECRET = SECRET

    def post(event_id, event_type, obj, created=1_764_000_000):
        body = json.dumps(
            {
                "id": event_id,
                "object": "event",
                "type": event_type,
                "created": created,
                "data": {"object": obj},
            }
        )
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                "/members/stripe/webhook/",
                body,
                content_type="application/json",
                HTTP_STRIPE_SIGNATURE=signed(body),
            )

    return post


@pytest.fixture
def campaign(db):
    now = timezone.now()
    return Campaign.objects.create(
        name="1,000 new members by spring",
        goal_kind=Campaign.Goal.MEMBERS,
        goal=1000,
        starts_at=now - timedelta(days=3),
        ends_at=now + timedelta(days=27),
    )
