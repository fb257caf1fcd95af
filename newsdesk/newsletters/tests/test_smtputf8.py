"""Readers whose address has non-Latin letters before the @ get their mail, where the server can carry it."""

import logging

import pytest

from newsdesk.newsletters.models import Delivery, Issue, Subscriber, Subscription, Suppression
from newsdesk.newsletters.sending import sends

pytestmark = pytest.mark.django_db(transaction=True)

READER = "Читач@приклад.укр"
WITHOUT_SMTPUTF8 = [pytest.param(False, id="server-without-smtputf8")]


def test_a_confirmation_email_reaches_an_internationalised_address(
    newsletters, subscribe, run_tasks, mail_catcher
):
    assert subscribe(email="Читач@Приклад.УКР", json=True).json()["ok"]
    assert Subscriber.objects.get().email == READER
    run_tasks()
    [message] = mail_catcher()
    assert message.header("X-Envelope-To") == READER  # the mailbox itself, not an encoded word
    assert message.header("To") == READER
    assert "/newsletters/confirm/" in message.text


def test_confirmation_emails_over_smtputf8_to_a_server_that_offers_it(
    newsletters, subscribe, run_tasks, sink
):
    subscribe(email=READER)
    run_tasks()
    [(recipient, _)] = sink.received
    assert recipient == READER and "SMTPUTF8" in sink.mail_options[0]
    assert f"\r\nTo: {READER}\r\n".encode() in sink.raw[0]  # in UTF-8, as RFC 6532 has it


@pytest.mark.parametrize("sink", WITHOUT_SMTPUTF8, indirect=True)
def test_a_server_without_smtputf8_gets_no_confirmation_it_cannot_carry_and_nothing_breaks(
    newsletters, subscribe, run_tasks, sink, caplog
):
    subscribe(email=READER)
    subscribe(email="Reader@пример.укр")  # an ASCII mailbox name needs no SMTPUTF8: punycode
    with caplog.at_level(logging.WARNING, logger="newsdesk.newsletters.subscribers.tasks"):
        run_tasks()
    assert [recipient for recipient, _ in sink.received] == ["Reader@xn--e1afmkfd.xn--j1amh"]
    assert "does not offer SMTPUTF8" in caplog.text


def send_to_international_reader(audience, issue, run_tasks):
    audience(confirmed=2)
    reader = Subscriber.objects.create(email=READER)
    Subscription.objects.create(
        subscriber=reader, newsletter=issue.newsletter, status=Subscription.Status.CONFIRMED
    )
    sends.start(issue)
    run_tasks()
    issue.refresh_from_db()
    return Delivery.objects.get(issue=issue, email=READER)


def test_an_issue_reaches_an_internationalised_address_over_smtputf8(
    sink, audience, issue, run_tasks
):
    delivery = send_to_international_reader(audience, issue, run_tasks)
    assert delivery.status == Delivery.Status.SENT
    assert sorted(recipient for recipient, _ in sink.received)[-1] == READER
    assert sum(f"To: {READER}\r\n".encode() in raw for raw in sink.raw) == 1
    assert len(sink.received) == 3 and issue.status == Issue.Status.SENT


@pytest.mark.parametrize("sink", WITHOUT_SMTPUTF8, indirect=True)
def test_a_server_without_smtputf8_fails_that_delivery_with_the_reason_and_sends_the_rest(
    sink, audience, issue, run_tasks
):
    delivery = send_to_international_reader(audience, issue, run_tasks)
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.smtp_response.startswith("553 5.6.7") and "SMTPUTF8" in delivery.smtp_response
    assert sorted(recipient for recipient, _ in sink.received) == [
        "reader0@example.org",
        "reader1@example.org",
    ]
    assert issue.status == Issue.Status.SENT
    assert not Suppression.objects.filter(email=READER.lower()).exists()  # the address is fine
