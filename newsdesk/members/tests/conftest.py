import re

import pytest
from django.core import mail

from newsdesk.core.tests.conftest import commit  # noqa: F401 (a fixture)
from newsdesk.members.models import Tier

LINK = re.compile(r"https?://\S+/account/sign-in/[\w-]+/")


@pytest.fixture
def run_tasks(run_tasks):
    """Runs the queued mail, as `newsdesk worker` would; other apps' long jobs stay queued."""
    return lambda *queues: run_tasks(*(queues or ["mail"]))


@pytest.fixture
def tiers(db):
    return {
        "free": Tier.objects.get(is_free=True),
        "supporter": Tier.objects.create(
            name="Supporter",
            slug="supporter",
            monthly_price=500,
            yearly_price=5000,
            currency="EUR",
            benefits="Every story\nThe members' newsletter",
            sort_order=1,
        ),
        "patron": Tier.objects.create(
            name="Patron", slug="patron", monthly_price=2000, yearly_price=20000, sort_order=2
        ),
    }


@pytest.fixture
def ask_for_link(client, django_capture_on_commit_callbacks):
    """Posts the sign-in form as a reader would; the email task is queued for real on commit."""

    def post(email="reader@example.org", ip="203.0.113.7", test_client=None, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return (test_client or client).post(
                "/account/sign-in/", {"email": email, **extra}, REMOTE_ADDR=ip
            )

    return post


def link_in(message):
    return LINK.search(message.body).group(0)


@pytest.fixture
def mailed_link(ask_for_link, run_tasks):
    """The sign-in link mailed to an address, after the worker sent it."""

    def get(email="reader@example.org", **extra):
        ask_for_link(email, **extra)
        run_tasks()
        return link_in(mail.outbox[-1])

    return get


@pytest.fixture
def sign_in(mailed_link):
    """Signs the client in as the member of that address, by pressing the mailed link's button."""

    def press(client, email="reader@example.org"):
        url = mailed_link(email)
        response = client.post(url)
        assert response.status_code == 302, response.content
        return response

    return press
