"""Starting, steering and watching the send of an issue.

`start` freezes the audience: one INSERT ... SELECT makes a delivery record for
every confirmed subscriber who is not suppressed, so the list never passes
through Python, and splits the records into batches, each a task on the
"mail" queue (delivery.py sends them). Pause, resume and cancel only change the
issue's status; workers look at it before every chunk of messages.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django_tasks import default_task_backend

from newsdesk.newsletters.models import (
    Delivery,
    DeliveryBatch,
    Issue,
    Subscriber,
    Subscription,
    Suppression,
)
from newsdesk.newsletters.sending import issues, tasks

logger = logging.getLogger(__name__)

IssueStatus = Issue.Status
RATE_WINDOW = timedelta(seconds=60)


def enqueue_batch(batch_id, run_after=None):
    task = tasks.send_batch
    if run_after is not None and default_task_backend.supports_defer:
        task = task.using(run_after=run_after)
    # Without deferral the task runs early, finds the batch not yet due, and the once-a-minute
    # sweep (resume_stalled_batches) queues it again when it is.
    transaction.on_commit(lambda: task.enqueue(batch_id))


def _freeze_audience(issue):
    delivery, subscriber = Delivery._meta.db_table, Subscriber._meta.db_table
    subscription, suppression = Subscription._meta.db_table, Suppression._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {delivery} (issue_id, subscriber_id, email, status, attempts, in_doubt, smtp_response, message_id)
            SELECT %s, s.id, s.email, %s, 0, %s, '', ''
            FROM {subscriber} s JOIN {subscription} sub ON sub.subscriber_id = s.id
            WHERE sub.newsletter_id = %s AND sub.status = %s
              AND NOT EXISTS (SELECT 1 FROM {suppression} x WHERE x.email = LOWER(s.email))
            ORDER BY s.id
            """,
            [
                issue.pk,
                Delivery.Status.PENDING,
                False,
                issue.newsletter_id,
                Subscription.Status.CONFIRMED,
            ],
        )


def audience_size(newsletter):
    """How many would get an issue sent now: what _freeze_audience would select."""
    suppressed = Suppression.objects.filter(email=Lower(OuterRef("subscriber__email")))
    return (
        newsletter.subscriptions.filter(status=Subscription.Status.CONFIRMED)
        .exclude(Exists(suppressed))
        .count()
    )


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
def start(issue):
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
    _freeze_audience(issue)
    for batch in _make_batches(issue):
        enqueue_batch(batch.pk)
    finish_if_complete(issue)
    return issue


def schedule(issue, at):
    if at <= timezone.now():
        raise ValidationError("Choose a time in the future.")
    changed = Issue.objects.filter(
        pk=issue.pk, status__in=[IssueStatus.DRAFT, IssueStatus.SCHEDULED]
    ).update(status=IssueStatus.SCHEDULED, scheduled_at=at)
    if not changed:
        raise ValidationError("Only a draft can be scheduled.")


def unschedule(issue):
    Issue.objects.filter(pk=issue.pk, status=IssueStatus.SCHEDULED).update(
        status=IssueStatus.DRAFT, scheduled_at=None
    )


def pause(issue):
    return bool(
        Issue.objects.filter(pk=issue.pk, status=IssueStatus.SENDING).update(
            status=IssueStatus.PAUSED
        )
    )


@transaction.atomic
def resume(issue):
    if not Issue.objects.filter(pk=issue.pk, status=IssueStatus.PAUSED).update(
        status=IssueStatus.SENDING
    ):
        return False
    for pk in DeliveryBatch.objects.filter(
        issue=issue, status=DeliveryBatch.Status.QUEUED
    ).values_list("pk", flat=True):
        enqueue_batch(pk)
    return True


@transaction.atomic
def cancel(issue):
    """Stops the send; what the server already took stays sent, nothing else goes out."""
    cancellable = [IssueStatus.SENDING, IssueStatus.PAUSED, IssueStatus.SCHEDULED]
    if not Issue.objects.filter(pk=issue.pk, status__in=cancellable).update(
        status=IssueStatus.CANCELLED, finished_at=timezone.now()
    ):
        return False
    issue.deliveries.filter(status=Delivery.Status.PENDING).update(status=Delivery.Status.CANCELLED)
    issue.batches.filter(status=DeliveryBatch.Status.QUEUED).update(
        status=DeliveryBatch.Status.DONE
    )
    return True


def finish_if_complete(issue):
    if not issue.batches.exclude(status=DeliveryBatch.Status.DONE).exists():
        Issue.objects.filter(pk=issue.pk, status=IssueStatus.SENDING).update(
            status=IssueStatus.SENT, finished_at=timezone.now()
        )


def resume_stalled_batches(issue=None, now=None):
    """Queues again the batches whose worker is presumed dead, or whose retry is overdue."""
    now = now or timezone.now()
    overdue = now - timedelta(seconds=settings.NEWSLETTER_LEASE_SECONDS)
    batches = DeliveryBatch.objects.filter(issue__status=IssueStatus.SENDING).filter(
        Q(status=DeliveryBatch.Status.RUNNING, leased_until__lt=now)
        | Q(status=DeliveryBatch.Status.QUEUED, retry_at__lt=overdue)
    )
    if issue is not None:
        batches = batches.filter(issue=issue)
    stalled = list(batches.values_list("pk", flat=True))
    with transaction.atomic():
        for pk in stalled:
            enqueue_batch(pk)
    return stalled


def start_scheduled_sends(now=None):
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


def progress(issue, now=None):
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
        cancelled=counts["cancelled"],
        in_doubt=counts["in_doubt"],
        remaining=remaining,
        rate=round(rate, 1),
        seconds_left=round(remaining / rate)
        if rate and remaining
        else (0 if not remaining else None),
    )
