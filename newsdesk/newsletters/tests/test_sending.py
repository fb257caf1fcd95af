"""Sending an issue to a real SMTP server: one copy each, the right headers, faults survived."""

import base64
import re
import subprocess
import time
from datetime import timedelta
from email.header import decode_header, make_header

import dkim
import pytest
from django.utils import timezone

from newsdesk.newsletters.models import Delivery, DeliveryBatch, Issue, Subscription, Suppression
from newsdesk.newsletters.sending import issues
from newsdesk.newsletters.sending import sends as sending

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def short_timings(settings):
    settings.NEWSLETTER_BATCH_SIZE = 3
    settings.NEWSLETTER_RETRY_SECONDS = 0.2
    settings.NEWSLETTER_LEASE_SECONDS = 60


def parts(message):
    return {
        part.get_content_type(): part.get_payload(decode=True).decode()
        for part in message.walk()
        if not part.is_multipart()
    }


def test_each_confirmed_subscriber_gets_one_copy_with_one_click_headers(
    sink, audience, issue, run_tasks
):
    people = audience(confirmed=7)
    sending.start(issue)
    run_tasks()

    assert sorted(sink.ids_by_recipient()) == sorted(people["confirmed"])
    assert all(count == 1 for count in sink.message_ids().values())
    recipient, message = sink.received[0]
    delivery = Delivery.objects.get(issue=issue, email=recipient)
    assert message["Message-ID"] == delivery.message_id
    assert delivery.status == "sent" and delivery.smtp_response.startswith("250 2.0.0 Ok")
    assert message["List-Id"] == "The Briefing <briefing.ledger.example.org>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert (
        message["List-Unsubscribe"].startswith("<http")
        and "/newsletters/unsubscribe/" in message["List-Unsubscribe"]
    )
    assert message["From"] == "The Briefing <briefing@ledger.example.org>"
    assert str(make_header(decode_header(message["Subject"]))) == "Bridge reopens — and the budget"
    body = parts(message)
    html, text = body["text/html"], body["text/plain"]
    # css-inline moved the rules onto the elements; only the media queries stay in a <style>.
    assert 'style="' in html
    (kept,) = re.findall(r"<style>(.*?)</style>", html, re.S)
    assert re.fullmatch(r"\s*(@media [^{]+\{(\s*[^{}]+\{[^{}]*\})+\s*\}\s*)+", kept), kept
    assert 'role="presentation"' in html
    images = re.findall(r"<img [^>]*>", html)
    assert (
        len(images) == 1
        and 'src="http' in images[0]
        and 'alt="Illustration: a river at dusk"' in images[0]
    )
    assert "Bridge reopens after repairs" in text and "Council passes the budget" in text
    unsubscribe_url = message["List-Unsubscribe"].strip("<>")
    assert unsubscribe_url in html and unsubscribe_url in text
    assert "/newsletters/preferences/" in html
    assert "<script" not in html

    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    progress = sending.progress(issue)
    assert (progress.sent, progress.failed, progress.remaining, progress.in_doubt) == (7, 0, 0, 0)
    assert progress.sent == len(sink.message_ids())


def test_a_finished_send_is_told_to_the_person_running_the_site(
    sink, audience, issue, run_tasks, caplog
):
    audience(confirmed=3)
    sending.start(issue)
    with caplog.at_level("INFO", logger="newsdesk.events"):
        run_tasks()
    told = [r.getMessage() for r in caplog.records if r.name == "newsdesk.events"]
    assert told == [
        "Newsletter sent: “Bridge reopens — and the budget” of The Briefing, to 3 readers"
    ]


def test_message_id_is_fixed_by_issue_and_subscriber(sink, audience, issue, run_tasks):
    from newsdesk.newsletters.sending.messages import message_id

    audience(confirmed=1)
    sending.start(issue)
    run_tasks()
    delivery = Delivery.objects.get(issue=issue, status="sent")
    assert delivery.message_id == message_id(issue.pk, delivery.subscriber_id, "ledger.example.org")
    assert (
        message_id(issue.pk, delivery.subscriber_id + 1, "ledger.example.org")
        != delivery.message_id
    )


def test_an_issue_cannot_be_sent_twice(sink, audience, issue, run_tasks):
    from django.core.exceptions import ValidationError

    audience(confirmed=2)
    sending.start(issue)
    with pytest.raises(ValidationError):
        sending.start(issue)
    run_tasks()
    assert Delivery.objects.filter(issue=issue).count() == 2
    assert len(sink.received) == 2


def test_hostile_intro_is_sanitised(sink, audience, issue, run_tasks):
    audience(confirmed=1)
    issue.intro = (
        '<p onclick="steal()">Hi <script>alert(1)</script><a href="javascript:alert(1)">x</a></p>'
    )
    issue.save()
    sending.start(issue)
    run_tasks()
    html = parts(sink.received[0][1])["text/html"]
    assert "script" not in html and "javascript:" not in html and "onclick" not in html


def test_unsubscribing_during_a_send_stops_mail_not_yet_sent(sink, audience, issue, run_tasks):
    people = audience(confirmed=6)
    sending.start(issue)
    leaver = people["confirmed"][4]
    Subscription.objects.filter(subscriber__email=leaver).update(
        status=Subscription.Status.UNSUBSCRIBED
    )
    Suppression.suppress(people["confirmed"][5], Suppression.Reason.COMPLAINED, "test")
    run_tasks()
    assert sorted(sink.ids_by_recipient()) == sorted(people["confirmed"][:4])
    assert Delivery.objects.get(issue=issue, email=leaver).status == "skipped"
    assert sending.progress(issue).skipped == 2


def test_a_mail_server_that_is_down_is_retried_until_it_is_back(sink, audience, issue, run_tasks):
    people = audience(confirmed=7)
    sink.stop()
    sending.start(issue)
    run_tasks()
    assert Delivery.objects.filter(issue=issue, status="pending").count() == 7
    assert DeliveryBatch.objects.filter(issue=issue, status="queued", retries=1).count() == 3
    assert Issue.objects.get(pk=issue.pk).status == Issue.Status.SENDING

    sink.start()
    time.sleep(0.3)
    run_tasks()
    assert sorted(sink.ids_by_recipient()) == sorted(people["confirmed"])
    assert all(count == 1 for count in sink.message_ids().values())
    assert Issue.objects.get(pk=issue.pk).status == Issue.Status.SENT


def test_temporary_answers_are_retried_and_permanent_ones_recorded(
    sink, audience, issue, run_tasks
):
    people = audience(confirmed=4)
    greylisted, unknown, refused = people["confirmed"][:3]
    sink.answers = {
        greylisted: "451 4.7.1 Greylisted, try again later",
        unknown: "550 5.1.1 No such user here",
        refused: "554 5.7.1 Message refused",
    }
    sending.start(issue)
    run_tasks()
    assert Delivery.objects.get(issue=issue, email=greylisted).status == "pending"
    assert Delivery.objects.get(issue=issue, email=unknown).status == "failed"
    assert Delivery.objects.get(issue=issue, email=refused).smtp_response.startswith("554 5.7.1")
    assert Suppression.objects.get(email=unknown).reason == "rejected"
    assert not Suppression.objects.filter(email=refused).exists()

    sink.answers = {}
    time.sleep(0.3)
    run_tasks()
    greylisted_delivery = Delivery.objects.get(issue=issue, email=greylisted)
    assert (greylisted_delivery.status, greylisted_delivery.attempts) == ("sent", 2)
    progress = sending.progress(issue)
    assert (progress.status, progress.sent, progress.failed) == ("sent", 2, 2)


def test_temporary_failures_give_up_at_the_deadline(sink, audience, issue, run_tasks, settings):
    audience(confirmed=1)
    sink.stop()
    sending.start(issue)
    Issue.objects.filter(pk=issue.pk).update(started_at=timezone.now() - timedelta(days=2))
    run_tasks()
    delivery = Delivery.objects.get(issue=issue)
    assert delivery.status == "failed" and delivery.smtp_response.startswith(
        "gave up: server unavailable"
    )
    assert Issue.objects.get(pk=issue.pk).status == Issue.Status.SENT
    sink.start()


def test_a_batch_left_by_a_dead_worker_is_taken_over_and_its_message_in_flight_is_in_doubt(
    sink, audience, issue, run_tasks
):
    audience(confirmed=3)
    sending.start(issue)
    # A worker claimed the batch, marked its chunk "sending", sent one message and died.
    batch = DeliveryBatch.objects.get(issue=issue)
    DeliveryBatch.objects.filter(pk=batch.pk).update(
        status="running", leased_until=timezone.now() + timedelta(minutes=1)
    )
    first = Delivery.objects.filter(issue=issue).order_by("pk").first()
    Delivery.objects.filter(issue=issue).update(status="sending", attempts=1)

    from newsdesk.newsletters.sending.messages import IssueMail

    mail = IssueMail(Issue.objects.get(pk=issue.pk))
    import smtplib

    with smtplib.SMTP("127.0.0.1", sink.port) as smtp:
        smtp.sendmail(
            mail.sender, [first.email], mail.for_recipient(first.subscriber_id, first.email)
        )

    run_tasks()  # the lease still runs: the batch is not taken
    assert Delivery.objects.filter(issue=issue, status="sending").count() == 3
    assert sending.resume_stalled_batches() == []

    DeliveryBatch.objects.filter(pk=batch.pk).update(
        leased_until=timezone.now() - timedelta(seconds=1)
    )
    assert sending.resume_stalled_batches() == [batch.pk]
    run_tasks()
    ids = sink.ids_by_recipient()
    assert all(len(found) == 1 for found in ids.values()) and len(ids) == 3
    assert sink.message_ids()[first.message_id or Delivery.objects.get(pk=first.pk).message_id] == 2
    progress = sending.progress(issue)
    assert (progress.sent, progress.in_doubt, progress.status) == (3, 3, "sent")


def test_pause_resume_and_cancel(sink, audience, issue, run_tasks):
    audience(confirmed=7)
    sending.start(issue)
    assert sending.pause(issue)
    run_tasks()
    assert not sink.received
    assert sending.progress(issue).status == "paused"

    assert sending.resume(issue)
    run_tasks()
    assert len(sink.received) == 7 and Issue.objects.get(pk=issue.pk).status == "sent"
    assert not sending.cancel(issue)


def test_cancel_stops_what_has_not_gone(sink, audience, issue, run_tasks):
    audience(confirmed=7)
    sending.start(issue)
    assert sending.cancel(issue)
    run_tasks()
    assert not sink.received
    progress = sending.progress(issue)
    assert (progress.status, progress.cancelled, progress.remaining) == ("cancelled", 7, 0)


def test_a_scheduled_issue_is_started_by_the_periodic_job(sink, audience, issue, run_tasks):
    from newsdesk.core import periodic

    audience(confirmed=2)
    sending.schedule(issue, timezone.now() + timedelta(minutes=30))
    assert "send_newsletters" in periodic.run_due_jobs()
    assert Issue.objects.get(pk=issue.pk).status == "scheduled"
    # The job compares with the real clock; move the schedule instead of the clock.
    Issue.objects.filter(pk=issue.pk).update(scheduled_at=timezone.now() - timedelta(seconds=1))
    periodic.run_due_jobs(now=timezone.now() + timedelta(minutes=32))
    run_tasks()
    assert Issue.objects.get(pk=issue.pk).status == "sent" and len(sink.received) == 2


def test_scheduling_in_the_past_is_refused(issue):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        sending.schedule(issue, timezone.now() - timedelta(minutes=1))
    assert Issue.objects.get(pk=issue.pk).status == "draft"


@pytest.fixture
def dkim_key(tmp_path, settings):
    key = tmp_path / "dkim.pem"
    subprocess.run(["openssl", "genrsa", "-out", str(key), "2048"], check=True, capture_output=True)
    public = subprocess.run(
        ["openssl", "rsa", "-in", str(key), "-pubout", "-outform", "DER"],
        check=True,
        capture_output=True,
    ).stdout
    settings.DKIM_SELECTOR, settings.DKIM_DOMAIN = "news2026", "ledger.example.org"
    settings.DKIM_PRIVATE_KEY = key.read_text()
    return b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)


def test_dkim_signature_verifies_against_the_public_key(sink, audience, issue, run_tasks, dkim_key):
    audience(confirmed=1)
    sending.start(issue)
    run_tasks()
    message = sink.received[0][1]
    raw = sink.raw[0]
    dns = {b"news2026._domainkey.ledger.example.org.": dkim_key}

    def lookup(name, timeout=5):
        return dns.get(name)

    assert dkim.verify(raw, dnsfunc=lookup)
    signature = message["DKIM-Signature"].replace("\r\n", "").replace(" ", "").replace("\t", "")
    signed = (
        dict(part.split("=", 1) for part in signature.split(";") if "=" in part)["h"]
        .lower()
        .split(":")
    )
    for header in [
        "from",
        "to",
        "subject",
        "date",
        "message-id",
        "list-id",
        "list-unsubscribe",
        "list-unsubscribe-post",
    ]:
        assert header in signed
    tampered = raw.replace(
        b"List-Unsubscribe-Post: List-Unsubscribe=One-Click", b"List-Unsubscribe-Post: nothing"
    )
    assert not dkim.verify(tampered, dnsfunc=lookup)


def test_the_kept_open_connection_is_reopened_when_the_server_closed_it(
    sink, audience, issue, run_tasks
):
    from newsdesk.newsletters.sending.delivery import connections

    people = audience(confirmed=2)
    sending.start(issue)
    run_tasks()
    kept = connections.backend.connection
    sink.stop()  # the server goes away and comes back: the kept connection is dead
    sink.start()
    second = Issue.objects.create(
        newsletter=issue.newsletter, subject="Second", intro="<p>Again.</p>"
    )
    issues.add_stories(second, [story.article for story in issue.stories.all()])
    sending.start(second)
    run_tasks()
    assert connections.backend.connection is not kept
    assert sorted(recipient for recipient, _ in sink.received[2:]) == sorted(people["confirmed"])
    assert not DeliveryBatch.objects.filter(issue=second, retries__gt=0).exists()
