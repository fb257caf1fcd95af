import time

import pytest

from newsdesk.newsletters.models import Newsletter
from newsdesk.newsletters.subscribers.forms import started_token

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
    data = {
        "email": email,
        "newsletter": newsletter,
        "started": started_token(time.time() - 30),
        "website": "",
        "source": "/city/bridge/",
    }
    data.update(extra)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def run_tasks(run_tasks):
    """Runs the queued mail, or the queues named, as `newsdesk worker` would; other apps' long jobs stay queued."""
    return lambda *queues: run_tasks(*(queues or ["mail"]))


@pytest.fixture
def subscribe(client, django_capture_on_commit_callbacks):
    """Posts the subscribe form as a reader would; tasks queued on commit are queued for real."""

    def post(
        email="reader@example.org", newsletter="briefing", json=False, ip="203.0.113.7", **extra
    ):
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


@pytest.fixture
def sink(settings, request):
    """A real SMTP server on a free loopback port, which newsletter sends go to.

    It offers SMTPUTF8 unless parametrized (indirect) with False.
    """
    from newsdesk.newsletters.tests.smtp import Sink

    server = Sink(smtputf8=getattr(request, "param", True)).start()
    settings.EMAIL_BACKEND = "newsdesk.core.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()


@pytest.fixture
def audience(newsletters):
    """Subscribers of the Briefing: confirmed ones, and some who must get nothing."""
    from newsdesk.newsletters.models import Subscriber, Subscription, Suppression

    def make(confirmed=5):
        Status = Subscription.Status
        people = {
            "confirmed": [f"reader{n}@example.org" for n in range(confirmed)],
            "pending": ["pending@example.org"],
            "unsubscribed": ["left@example.org"],
            "suppressed": ["Bounced@Example.org"],
        }
        status = {
            "confirmed": Status.CONFIRMED,
            "pending": Status.PENDING,
            "unsubscribed": Status.UNSUBSCRIBED,
            "suppressed": Status.CONFIRMED,
        }
        for kind, addresses in people.items():
            for address in addresses:
                subscriber = Subscriber.objects.create(email=address)
                Subscription.objects.create(
                    subscriber=subscriber, newsletter=newsletters["briefing"], status=status[kind]
                )
        # Subscribed to another newsletter only.
        other = Subscriber.objects.create(email="explainer-only@example.org")
        Subscription.objects.create(
            subscriber=other, newsletter=newsletters["explainer"], status=Status.CONFIRMED
        )
        Suppression.suppress("bounced@example.org", Suppression.Reason.BOUNCED, "test")
        return people

    return make


@pytest.fixture
def issue(newsletters, publish_article, newsroom):
    from newsdesk.newsletters.models import Issue, IssueStory

    article = publish_article("Bridge reopens after repairs", lead_image=newsroom["image"])
    second = publish_article("Council passes the budget")
    issue = Issue.objects.create(
        newsletter=newsletters["briefing"],
        subject="Bridge reopens — and the budget",
        preheader="Two stories for your morning",
        intro='<p>Good morning. <a href="https://example.org/more">More</a> below.</p>',
    )
    IssueStory.objects.create(issue=issue, article=article, sort_order=0)
    IssueStory.objects.create(issue=issue, article=second, sort_order=1)
    return issue
