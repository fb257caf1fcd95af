"""What narration shows Prometheus (core/metrics.py): the stories waiting for their audio."""

from django.db.models import Count

from newsdesk.narration.models import Narration

WAITING = (Narration.Status.QUEUED, Narration.Status.NARRATING)


def backlog():
    """Narrations queued or being made, by status."""
    counts = (
        Narration.objects.filter(status__in=WAITING).values("status").annotate(count=Count("pk"))
    )
    found = {row["status"]: row["count"] for row in counts}
    return [({"status": status}, found.get(status, 0)) for status in WAITING]
