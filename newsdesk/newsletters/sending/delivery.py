"""Sending one batch of an issue: the part of a send that runs in the task worker.

Each delivery moves pending → sending → sent or failed, and the move to
"sending" is committed before the SMTP transaction starts. So a worker that
dies leaves, at most, its last chunk of messages in "sending": those are in
doubt (the server may or may not have taken them) and are sent again under
the same Message-ID. Everything else is sent exactly once.

A batch is held under a lease that its worker renews after every chunk; a
batch whose lease ran out belongs to a dead worker and may be taken over
(`sends.resume_stalled_batches`). Queuing batches is not done here: a run
says which are due again (`BatchRun.due`) and the task (tasks.py) queues them.
"""

import contextlib
import logging
import re
import smtplib
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from newsdesk.core import smtp
from newsdesk.newsletters import audience
from newsdesk.newsletters.models import Delivery, DeliveryBatch, Issue, Subscription, Suppression
from newsdesk.newsletters.sending.messages import IssueMail

logger = logging.getLogger(__name__)
# What a person running the site hears about (`newsdesk run` shows this logger).
events = logging.getLogger("newsdesk.events")

# Messages marked "sending" together: the most a crash can leave in doubt, and one commit each.
CHUNK = 50
MAX_RETRY_DELAY = 900
# Permanent answers that mean the address itself does not exist.
NO_SUCH_USER = re.compile(
    r"\b5\.1\.(1|10)\b|no such user|user unknown|unknown user|does not exist", re.IGNORECASE
)

Status = Delivery.Status


@dataclass
class BatchRun:
    """What one run of a batch did: messages the server took, and batches due again (id, not before)."""

    sent: int = 0
    due: list[tuple[int, datetime | None]] = field(default_factory=list)


class ServerUnavailable(Exception):
    """The mail server cannot be reached or dropped the connection: try the batch again later."""


class _Connections(threading.local):
    """One SMTP connection per worker thread, kept open from message to message and batch to batch."""

    backend = None
    address = None

    def get(self):
        address = (settings.EMAIL_HOST, settings.EMAIL_PORT)
        if self.backend is None or self.backend.connection is None or self.address != address:
            self.drop()
            backend = get_connection(fail_silently=False)
            backend.open()
            self.backend, self.address = backend, address
        return self.backend.connection

    def drop(self):
        if self.backend is not None:
            # A connection that is already gone has nothing to close.
            with contextlib.suppress(Exception):
                self.backend.close()
        self.backend = None


connections = _Connections()
_mails = {}


def issue_mail(issue: Issue) -> IssueMail:
    """The prepared email of an issue, made once per worker process."""
    key = (issue.pk, issue.started_at)
    if key not in _mails:
        _mails.clear()
        _mails[key] = IssueMail(issue)
    return _mails[key]


def _answer(code, text):
    return f"{code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"[:500]


def transmit(
    sender: str, recipient: str, message: bytes, smtputf8: bool = False
) -> tuple[int, str]:
    """(code, answer) of the server for one message; raises ServerUnavailable when the connection fails.

    The exception's second argument tells whether the message may have been taken (DATA was under way).
    smtputf8: the recipient's mailbox name is not ASCII (core/smtp.py).
    """
    try:
        return _transaction(sender, recipient, message, smtputf8)
    except ServerUnavailable as error:
        if error.args[1]:
            raise
        # Servers close connections that sat idle between sends: one fresh connection before giving up.
        return _transaction(sender, recipient, message, smtputf8)


def _transaction(sender, recipient, message, smtputf8=False):
    in_data = False
    try:
        connection = connections.get()
        connection.ehlo_or_helo_if_needed()
        if smtputf8 and not connection.has_extn("smtputf8"):
            return 553, _answer(553, smtp.NOT_OFFERED)
        code, text = connection.mail(sender, ["SMTPUTF8"] if smtputf8 else [])
        if code == 250:
            code, text = connection.rcpt(recipient)
        if code in (250, 251):
            in_data = True
            try:
                code, text = connection.data(message)
            except smtplib.SMTPDataError as refused:  # DATA itself was refused: nothing was taken
                in_data = False
                code, text = refused.smtp_code, refused.smtp_error
                connection.rset()
        else:
            connection.rset()
        return code, _answer(code, text)
    except (OSError, smtplib.SMTPException) as error:
        connections.drop()
        raise ServerUnavailable(str(error) or error.__class__.__name__, in_data) from error


def claim(batch_id: int, now: datetime | None = None) -> DeliveryBatch | None:
    """Takes the batch if it is free (or its worker is presumed dead); None if another worker has it."""
    now = now or timezone.now()
    lease = now + timedelta(seconds=settings.NEWSLETTER_LEASE_SECONDS)
    free = Q(status=DeliveryBatch.Status.QUEUED) & (Q(retry_at__isnull=True) | Q(retry_at__lte=now))
    abandoned = Q(status=DeliveryBatch.Status.RUNNING, leased_until__lt=now)
    with transaction.atomic():
        taken = DeliveryBatch.objects.filter(
            free | abandoned, pk=batch_id, issue__status=Issue.Status.SENDING
        ).update(status=DeliveryBatch.Status.RUNNING, leased_until=lease)
        if not taken:
            return None
        batch = DeliveryBatch.objects.select_related("issue__newsletter").get(pk=batch_id)
        # Left in "sending" by a worker that died during their SMTP transactions.
        _deliveries(batch).filter(status=Status.SENDING).update(in_doubt=True)
    return batch


def _deliveries(batch):
    return Delivery.objects.filter(
        issue_id=batch.issue_id, pk__gte=batch.first_delivery, pk__lte=batch.last_delivery
    )


def run_batch(batch_id: int) -> BatchRun:
    """Sends what is left of a batch."""
    batch = claim(batch_id)
    if batch is None:
        return BatchRun()
    issue = batch.issue
    mail = issue_mail(issue)
    todo = list(
        _deliveries(batch)
        .filter(status__in=[Status.PENDING, Status.SENDING])
        .order_by("pk")
        .values_list("pk", "subscriber_id", "email")
    )
    run = BatchRun()
    try:
        for start in range(0, len(todo), CHUNK):
            status = (
                Issue.objects.filter(pk=batch.issue_id).values_list("status", flat=True).first()
            )
            if status != Issue.Status.SENDING:
                run.due = _stop(batch, status)
                return run
            run.sent += _send_chunk(batch, mail, _eligible(batch, todo[start : start + CHUNK]))
    except ServerUnavailable as error:
        logger.warning("Mail server unavailable during %s: %s", batch, error.args[0])
        run.due = _retry_later(batch, f"server unavailable: {error.args[0]}")
        return run
    run.due = _finish(batch)
    return run


def _eligible(batch, rows):
    """The rows still to send now, marked "sending"; the others are skipped.

    Read right before sending, so an unsubscribe, a bounce or a lapsed
    membership counts for every message not yet sent. Those the newsletter's
    audience does not admit now are withheld, and the reason kept.
    """
    receiving = Subscription.objects.filter(
        newsletter_id=batch.issue.newsletter_id,
        subscriber_id__in=[subscriber_id for _, subscriber_id, _ in rows],
    ).receiving()
    restricted = audience.audience_of(batch.issue.newsletter_id)
    admitted = receiving
    if restricted is not None:
        admitted = receiving.filter(restricted.admits("subscriber__email"))
    admitted = set(admitted.values_list("subscriber_id", flat=True))
    keep = [row for row in rows if row[1] in admitted]
    if restricted is not None:
        receiving = set(receiving.values_list("subscriber_id", flat=True))
        withheld = [row[0] for row in rows if row[1] in receiving and row not in keep]
    else:
        withheld = []
    dropped = [row[0] for row in rows if row not in keep and row[0] not in withheld]
    now = timezone.now()
    with transaction.atomic():
        if dropped:
            Delivery.objects.filter(pk__in=dropped).update(status=Status.SKIPPED)
        if withheld:
            Delivery.objects.filter(pk__in=withheld).update(
                status=Status.WITHHELD, withheld_because=restricted.skip_reason[:200]
            )
        Delivery.objects.filter(pk__in=[row[0] for row in keep]).update(
            status=Status.SENDING, attempts=F("attempts") + 1
        )
        DeliveryBatch.objects.filter(pk=batch.pk).update(
            leased_until=now + timedelta(seconds=settings.NEWSLETTER_LEASE_SECONDS)
        )
    return keep


def _send_chunk(batch, mail, rows):
    done, retry, suppress = [], [], []
    now = timezone.now()
    try:
        for pk, subscriber_id, email in rows:
            address, smtputf8 = smtp.envelope_address(email)
            code, answer = transmit(
                mail.sender, address, mail.for_recipient(subscriber_id, address, now), smtputf8
            )
            if 400 <= code < 500:
                retry.append((pk, answer))
                continue
            sent = 200 <= code < 300
            if not sent and code in (550, 551, 553) and NO_SUCH_USER.search(answer):
                suppress.append((email, answer))
            status, sent_at = (Status.SENT, timezone.now()) if sent else (Status.FAILED, None)
            done.append((status, answer, mail.message_id(subscriber_id), sent_at, pk))
    except ServerUnavailable as error:
        # The message under way when the connection failed may have been taken: it stays in doubt.
        unsent = [row[0] for row in rows[len(done) + len(retry) :]]
        _record(done, retry, suppress, unsent, in_doubt=unsent[:1] if error.args[1] else [])
        raise
    _record(done, retry, suppress, [], [])
    return sum(1 for outcome in done if outcome[0] == Status.SENT)


@transaction.atomic
def _record(done, retry, suppress, unsent, in_doubt):
    # One statement per message, sent in one go: the ORM's bulk_update builds a CASE per
    # column and row, and at hundreds of messages a second that was most of the worker's time.
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {Delivery._meta.db_table} SET status = %s, smtp_response = %s, message_id = %s, sent_at = %s "
            "WHERE id = %s",
            done,
        )
    for pk, answer in retry:
        Delivery.objects.filter(pk=pk).update(status=Status.PENDING, smtp_response=answer)
    Delivery.objects.filter(pk__in=unsent).update(status=Status.PENDING)
    Delivery.objects.filter(pk__in=in_doubt).update(in_doubt=True)
    for email, answer in suppress:
        Suppression.suppress(email, Suppression.Reason.REJECTED, "smtp", answer)


def _retry_later(batch, reason):
    """The batch is released to run again later; returns it as due then (none if the send gave up)."""
    issue = batch.issue
    gave_up = (
        issue.started_at + timedelta(seconds=settings.NEWSLETTER_GIVE_UP_SECONDS) < timezone.now()
    )
    if gave_up:
        _deliveries(batch).filter(status__in=[Status.PENDING, Status.SENDING]).update(
            status=Status.FAILED, smtp_response=f"gave up: {reason}"[:500]
        )
        return _finish(batch)
    delay = min(settings.NEWSLETTER_RETRY_SECONDS * 2**batch.retries, MAX_RETRY_DELAY)
    retry_at = timezone.now() + timedelta(seconds=delay)
    DeliveryBatch.objects.filter(pk=batch.pk).update(
        status=DeliveryBatch.Status.QUEUED,
        leased_until=None,
        retry_at=retry_at,
        retries=F("retries") + 1,
    )
    return [(batch.pk, retry_at)]


def _finish(batch):
    """The batch is done; if some messages got a temporary answer, it runs again later.

    Returns the batches due again: this one, or the stalled ones of its issue.
    """
    if _deliveries(batch).filter(status=Status.PENDING).exists():
        return _retry_later(batch, "temporary failures")
    DeliveryBatch.objects.filter(pk=batch.pk).update(
        status=DeliveryBatch.Status.DONE, leased_until=None
    )
    finish_if_complete(batch.issue)
    return [(pk, None) for pk in stalled_batches(batch.issue)]


def _stop(batch, issue_status):
    if issue_status == Issue.Status.CANCELLED:
        DeliveryBatch.objects.filter(pk=batch.pk).update(
            status=DeliveryBatch.Status.DONE, leased_until=None
        )
        _deliveries(batch).filter(status=Status.PENDING).update(status=Status.CANCELLED)
        return []
    DeliveryBatch.objects.filter(pk=batch.pk).update(
        status=DeliveryBatch.Status.QUEUED, leased_until=None
    )
    # Resumed between our look at the status and the release: nobody else will queue this batch.
    if Issue.objects.filter(pk=batch.issue_id, status=Issue.Status.SENDING).exists():
        return [(batch.pk, None)]
    return []


def finish_if_complete(issue: Issue) -> None:
    """The issue is sent once every batch is done."""
    if not issue.batches.exclude(status=DeliveryBatch.Status.DONE).exists():
        finished = Issue.objects.filter(pk=issue.pk, status=Issue.Status.SENDING).update(
            status=Issue.Status.SENT, finished_at=timezone.now()
        )
        if finished:
            sent = issue.deliveries.filter(status=Status.SENT).count()
            events.info(
                "Newsletter sent: “%s” of %s, to %d readers", issue.subject, issue.newsletter, sent
            )


def stalled_batches(issue: Issue | None = None, now: datetime | None = None) -> list[int]:
    """The batches whose worker is presumed dead, or whose retry is overdue."""
    now = now or timezone.now()
    overdue = now - timedelta(seconds=settings.NEWSLETTER_LEASE_SECONDS)
    batches = DeliveryBatch.objects.filter(issue__status=Issue.Status.SENDING).filter(
        Q(status=DeliveryBatch.Status.RUNNING, leased_until__lt=now)
        | Q(status=DeliveryBatch.Status.QUEUED, retry_at__lt=overdue)
    )
    if issue is not None:
        batches = batches.filter(issue=issue)
    return list(batches.values_list("pk", flat=True))
