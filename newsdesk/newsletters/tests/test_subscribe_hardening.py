"""The subscribe form against what goes wrong in the open: proxies, floods, replays, bounced addresses."""

import time

import pytest
from django.core.cache import cache

from newsdesk.newsletters.models import ConsentRecord, Subscriber, Suppression
from newsdesk.newsletters.subscribers.forms import started_token

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


def signed_hours_ago(monkeypatch, hours):
    """A form's fill-time token as the page rendered `hours` ago carried it."""
    then = time.time() - hours * 3600
    monkeypatch.setattr("django.core.signing.time.time", lambda: then)
    token = started_token(then)
    monkeypatch.undo()
    return token


def test_a_fill_time_token_expires(newsletters, subscribe, monkeypatch):
    old = subscribe(json=True, started=signed_hours_ago(monkeypatch, 7))
    assert old.status_code == 400
    assert "out of date" in old.json()["errors"]["started"]
    assert not Subscriber.objects.exists()
    # A tab left open for the afternoon still works.
    assert subscribe(json=True, started=signed_hours_ago(monkeypatch, 5)).json()["ok"]
    assert Subscriber.objects.count() == 1


@pytest.mark.parametrize("reason", [Suppression.Reason.BOUNCED, Suppression.Reason.COMPLAINED])
def test_a_suppressed_address_gets_no_mail_and_the_same_answer(
    newsletters, subscribe, run_tasks, mail_catcher, reason
):
    Suppression.suppress("gone@example.org", reason, "test")
    suppressed = subscribe(email="Gone@Example.org", json=True).json()
    other = subscribe(email="here@example.org", json=True).json()
    assert suppressed["message"].replace("Gone@example.org", "here@example.org") == other["message"]
    assert not Subscriber.objects.filter(email__iexact="gone@example.org").exists()
    run_tasks()
    assert [m.header("To") for m in mail_catcher()] == ["here@example.org"]


def test_an_address_suppressed_while_its_mail_waits_gets_none(
    newsletters, subscribe, run_tasks, mail_catcher
):
    subscribe(email="soon-gone@example.org")
    Suppression.suppress("soon-gone@example.org", Suppression.Reason.BOUNCED, "test")
    run_tasks()
    assert mail_catcher() == []
