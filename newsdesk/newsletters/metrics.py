"""What the newsletters show Prometheus (core/metrics.py): sends in progress and how far along they are."""

from django.db.models import Count

from newsdesk.newsletters.models import Delivery, Issue


def sends_in_progress():
    return Issue.objects.filter(status=Issue.Status.SENDING).count()


def deliveries_of_sends_in_progress():
    """Deliveries of the issues being sent, by status: the rate of "sent" is the sending rate.

    Counted on the (issue, status) index, for the issues being sent only, never the whole history.
    """
    counts = (
        Delivery.objects.filter(issue__status=Issue.Status.SENDING)
        .values("status")
        .annotate(count=Count("id"))
    )
    found = {row["status"]: row["count"] for row in counts}
    return [({"status": status}, found.get(status, 0)) for status in Delivery.Status.values]
