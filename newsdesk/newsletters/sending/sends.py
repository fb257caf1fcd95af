"""Starting, steering and watching the send of an issue.

`start` freezes the audience: one INSERT ... SELECT makes a delivery record for
every confirmed subscriber who is not suppressed, so the list never passes
through Python, and splits the records into batches, each a task on the
"mail" queue (delivery.py sends them). A newsletter for members only
(audience.py) freezes its confirmed subscribers all the same: whether each
one may have it is asked just before their message goes, and those it does
not admit then are withheld, with the reason kept on their delivery. Pause, resume and cancel only change the
issue's status; workers look at it before every chunk of messages.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, DateTimeField, F, Q, Value
from django.utils import timezone
from wagtail.log_actions import log

from newsdesk.newsletters import audience, log_actions
from newsdesk.newsletters.models import Delivery, DeliveryBatch, Issue, Newsletter, Subscription
from newsdesk.newsletters.sending import delivery, issues
from newsdesk.newsletters.sending.tasks import enqueue_batch, send_test_issue

logger = logging.getLogger(__name__)

IssueStatus = Issue.Status
RATE_WINDOW = timedelta(seconds=60)


def delivery_columns(issue: Issue) -> dict:
    """Delivery's columns → what the INSERT ... SELECT of a send's start fills them with.

    Every column is named: one the model gains must be given a value here
    (tests/test_sql_columns.py checks it).
    """
    return {
        "issue_id": Value(issue.pk),
        "subscriber_id": F("subscriber_id"),
        "email": F("subscriber__email"),
        "status": Value(Delivery.Status.PENDING),
        "attempts": Value(0),
        "in_doubt": Value(False),
        "smtp_response": Value(""),
        "withheld_because": Value(""),
        "message_id": Value(""),
        "sent_at": Value(None, output_field=DateTimeField()),
    }


def _freeze_audience(issue):
    columns = delivery_columns(issue)
    select = (
        Subscription.objects.filter(newsletter_id=issue.newsletter_id)
        .receiving()
        .order_by("subscriber_id")
        .values(**{f"c{number}": value for number, value in enumerate(columns.values())})
    )
    sql, params = select.query.sql_with_params()
    quote = connection.ops.quote_name
    names = ", ".join(quote(Delivery._meta.get_field(name).column) for name in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(Delivery._meta.db_table)} ({names}) {sql}", params)
        return cursor.rowcount


def audience_size(newsletter: Newsletter) -> int:
    """How many would get an issue sent now: confirmed, not suppressed, and in its audience."""
    receiving = newsletter.subscriptions.receiving()
    restricted = audience.audience_of(newsletter.pk)
    if restricted is not None:
        receiving = receiving.filter(restricted.admits("subscriber__email"))
    return receiving.count()


def _make_batches(issue):
    """Batches of consecutive delivery ids; only the boundaries are kept in memory."""
    size = settings.NEWSLETTER_BATCH_SIZE
    batches, first, last = [], None, None
    ids = Delivery.objects.filter(issue=issue).order_by("pk").values_list("pk", flat=True)
    for count, pk in enumerate(ids.iterator(chunk_size=10_000)):
        if count % size == 0:
            if first is not None:
                batches.append(DeliveryBatch(issue=issue, first_delivery=first, last_delivery=last))
            first = pk
        last = pk
    if first is not None:
        batches.append(DeliveryBatch(issue=issue, first_delivery=first, last_delivery=last))
    return DeliveryBatch.objects.bulk_create(batches)


@transaction.atomic
def start(issue: Issue, user: AbstractBaseUser | None = None) -> Issue:
    """Sends a draft or scheduled issue to its newsletter's confirmed subscribers, now."""
    now = timezone.now()
    issue = Issue.objects.select_for_update().select_related("newsletter__host").get(pk=issue.pk)
    if issue.status not in (IssueStatus.DRAFT, IssueStatus.SCHEDULED):
        raise ValidationError(
            f"This issue is {issue.get_status_display().lower()}; it cannot be sent again."
        )
    if not issue.stories.exists():
        articles = issues.latest_articles(issue.newsletter, exclude_issue=issue)
        if not articles:
            raise ValidationError(
                "This issue has no stories: pick some, or wait for new stories to be published."
            )
        issues.add_stories(issue, articles)
    issue.email_html, issue.email_text = issues.render_email(issue)
    issue.status, issue.started_at = IssueStatus.SENDING, now
    issue.save(update_fields=["email_html", "email_text", "status", "started_at"])
    recipients = _freeze_audience(issue)
    log(issue, log_actions.SEND, user=user, data={"recipients": recipients})
    for batch in _make_batches(issue):
        enqueue_batch(batch.pk)
    delivery.finish_if_complete(issue)
    return issue


def send_test(issue: Issue, user: AbstractBaseUser) -> None:
    """A test of the issue to the acting editor's own address, through the real mail path."""
    send_test_issue.enqueue(issue.pk, user.email)
    log(issue, log_actions.SEND_TEST, user=user, data={"to": user.email})


def schedule(issue: Issue, at: datetime, user: AbstractBaseUser | None = None) -> None:
    if at <= timezone.now():
        raise ValidationError("Choose a time in the future.")
    changed = Issue.objects.filter(
        pk=issue.pk, status__in=[IssueStatus.DRAFT, IssueStatus.SCHEDULED]
    ).update(status=IssueStatus.SCHEDULED, scheduled_at=at)
    if not changed:
        raise ValidationError("Only a draft can be scheduled.")
    log(issue, log_actions.SCHEDULE, user=user, data={"at": at.isoformat()})


def _move(issue, user, action, from_statuses, **fields):
    """Moves the issue on, and logs it, only if it is still in one of from_statuses; says whether it was."""
    if not Issue.objects.filter(pk=issue.pk, status__in=from_statuses).update(**fields):
        return False
    log(issue, action, user=user)
    return True


@transaction.atomic
def unschedule(issue: Issue, user: AbstractBaseUser | None = None) -> bool:
    return _move(
        issue,
        user,
        log_actions.UNSCHEDULE,
        [IssueStatus.SCHEDULED],
        status=IssueStatus.DRAFT,
        scheduled_at=None,
    )


@transaction.atomic
def pause(issue: Issue, user: AbstractBaseUser | None = None) -> bool:
    return _move(issue, user, log_actions.PAUSE, [IssueStatus.SENDING], status=IssueStatus.PAUSED)


@transaction.atomic
def resume(issue: Issue, user: AbstractBaseUser | None = None) -> bool:
    if not _move(issue, user, log_actions.RESUME, [IssueStatus.PAUSED], status=IssueStatus.SENDING):
        return False
    for pk in DeliveryBatch.objects.filter(
        issue=issue, status=DeliveryBatch.Status.QUEUED
    ).values_list("pk", flat=True):
        enqueue_batch(pk)
    return True


@transaction.atomic
def cancel(issue: Issue, user: AbstractBaseUser | None = None) -> bool:
    """Stops the send; what the server already took stays sent, nothing else goes out."""
    cancellable = [IssueStatus.SENDING, IssueStatus.PAUSED, IssueStatus.SCHEDULED]
    if not _move(
        issue,
        user,
        log_actions.CANCEL,
        cancellable,
        status=IssueStatus.CANCELLED,
        finished_at=timezone.now(),
    ):
        return False
    issue.deliveries.filter(status=Delivery.Status.PENDING).update(status=Delivery.Status.CANCELLED)
    issue.batches.filter(status=DeliveryBatch.Status.QUEUED).update(
        status=DeliveryBatch.Status.DONE
    )
    return True


def resume_stalled_batches(issue: Issue | None = None, now: datetime | None = None) -> list[int]:
    """Queues again the batches whose worker is presumed dead, or whose retry is overdue."""
    stalled = delivery.stalled_batches(issue, now)
    with transaction.atomic():
        for pk in stalled:
            enqueue_batch(pk)
    return stalled


def start_scheduled_sends(now: datetime | None = None) -> None:
    """Starts the issues whose time has come; the periodic job calls it every minute."""
    due = Issue.objects.filter(
        status=IssueStatus.SCHEDULED, scheduled_at__lte=now or timezone.now()
    )
    for issue in due:
        try:
            start(issue)
        except ValidationError as error:
            Issue.objects.filter(pk=issue.pk).update(status=IssueStatus.DRAFT, scheduled_at=None)
            logger.warning("Scheduled issue %s not sent: %s", issue.pk, " ".join(error.messages))


@dataclass(frozen=True)
class Progress:
    status: str
    total: int
    sent: int
    failed: int
    skipped: int
    withheld: int
    cancelled: int
    in_doubt: int
    remaining: int
    rate: float
    seconds_left: int | None

    @property
    def handled(self):
        return self.total - self.remaining

    @property
    def done(self):
        return self.status in (IssueStatus.SENT, IssueStatus.CANCELLED)


def progress(issue: Issue, now: datetime | None = None) -> Progress:
    now = now or timezone.now()
    statuses = {status: Count("pk", filter=Q(status=status)) for status in Delivery.Status.values}
    counts = issue.deliveries.aggregate(
        total=Count("pk"),
        in_doubt=Count("pk", filter=Q(in_doubt=True)),
        recent=Count("pk", filter=Q(status=Delivery.Status.SENT, sent_at__gte=now - RATE_WINDOW)),
        **statuses,
    )
    issue.refresh_from_db(fields=["status", "started_at", "finished_at"])
    remaining = counts["pending"] + counts["sending"]
    if issue.status == IssueStatus.SENDING and issue.started_at:
        window = min(RATE_WINDOW, now - issue.started_at).total_seconds() or 1
        rate = counts["recent"] / window
    elif issue.started_at and issue.finished_at:
        rate = counts["sent"] / ((issue.finished_at - issue.started_at).total_seconds() or 1)
    else:
        rate = 0.0
    return Progress(
        status=issue.status,
        total=counts["total"],
        sent=counts["sent"],
        failed=counts["failed"],
        skipped=counts["skipped"],
        withheld=counts["withheld"],
        cancelled=counts["cancelled"],
        in_doubt=counts["in_doubt"],
        remaining=remaining,
        rate=round(rate, 1),
        seconds_left=round(remaining / rate)
        if rate and remaining
        else (0 if not remaining else None),
    )
