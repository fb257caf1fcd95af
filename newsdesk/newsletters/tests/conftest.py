import time

import pytest

from newsdesk.newsletters.forms import started_token
from newsdesk.newsletters.models import Newsletter

SUBSCRIBE_URL = "/newsletters/subscribe/"


@pytest.fixture
def newsletters(newsroom):
    def make(slug, name, **fields):
        fields.setdefault("host", newsroom["reporter"])
        return Newsletter.objects.create(
            slug=slug,
            name=name,
            description=f"All about {name.lower()}.",
            cadence="Every weekday morning",
            sender_name=name,
            sender_address=f"{slug}@ledger.example.org",
            reply_to="letters@ledger.example.org",
            **fields,
        )

    return {
        "briefing": make("briefing", "The Briefing"),
        "explainer": make("explainer", "The Explainer", host=newsroom["desk"]),
        "closed": make("closed", "Old Letter", is_active=False),
    }


def form_data(email="reader@example.org", newsletter="briefing", **extra):
    """What a reader's browser posts after a few seconds on the page."""
    data = {"email": email, "newsletter": newsletter, "started": started_token(time.time() - 30), "website": "",
            "source": "/city/bridge/"}  # fmt: skip
    data.update(extra)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def run_tasks(run_tasks):
    """Runs the queued mail, or the queues named, as `newsdesk worker` would; other apps' long jobs stay queued."""
    return lambda *queues: run_tasks(*(queues or ["mail"]))


@pytest.fixture
def subscribe(client, django_capture_on_commit_callbacks):
    """Posts the subscribe form as a reader would; tasks queued on commit are queued for real."""

    def post(email="reader@example.org", newsletter="briefing", json=False, ip="203.0.113.7", **extra):
        headers = {"Accept": "application/json"} if json else {}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                SUBSCRIBE_URL,
                form_data(email, newsletter, **extra),
                headers=headers,
                REMOTE_ADDR=ip,
                HTTP_USER_AGENT="Mozilla/5.0 (Test reader)",
            )

    return post
