"""The subscribe form against what goes wrong in the open: proxies, floods, replays, bounced addresses."""

import pytest
from django.core.cache import cache

from newsdesk.newsletters.models import ConsentRecord, Subscriber

from .conftest import SUBSCRIBE_URL, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def through_nginx(client, django_capture_on_commit_callbacks):
    """Posts the form as the shipped nginx hands it over: from loopback, the reader in X-Forwarded-For."""

    def post(reader, email, peer="127.0.0.1", **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                SUBSCRIBE_URL,
                form_data(email, **extra),
                headers={"Accept": "application/json"},
                REMOTE_ADDR=peer,
                HTTP_X_FORWARDED_FOR=reader,
            )

    return post


def test_behind_the_proxy_each_reader_has_their_own_limit_and_consent_record(
    newsletters, through_nginx
):
    for n in range(21):
        assert through_nginx("203.0.113.7", f"flood{n}@example.org").json()["ok"]
    assert Subscriber.objects.count() == 20  # the 21st from that reader was not taken
    through_nginx("198.51.100.4", "neighbour@example.org")
    record = ConsentRecord.objects.get(subscription__subscriber__email="neighbour@example.org")
    assert record.ip_address == "198.51.100.4"
    assert ConsentRecord.objects.filter(ip_address="127.0.0.1").count() == 0


def test_a_forged_header_from_outside_changes_no_address(newsletters, through_nginx):
    through_nginx("192.0.2.1", "reader@example.org", peer="203.0.113.7")
    assert ConsentRecord.objects.get().ip_address == "203.0.113.7"


def test_a_flood_that_empties_the_cache_does_not_reopen_a_victims_inbox(
    newsletters, subscribe, run_tasks, mail_catcher
):
    for _ in range(3):
        subscribe(email="victim@example.org")
    # Random query strings fill the page cache until it culls, or it is cleared on a deploy.
    cache.clear()
    for _ in range(3):
        assert subscribe(email="victim@example.org", json=True).json()["ok"]
    run_tasks()
    assert len(mail_catcher()) == 3
