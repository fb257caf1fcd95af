"""Who receives an issue: one rule (Subscription.objects.receiving), used by every step of a send."""

import pytest

from newsdesk.newsletters.models import Delivery, Subscription, Suppression
from newsdesk.newsletters.sending import sends

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_count_the_frozen_audience_and_the_last_check_follow_one_rule(
    sink, audience, issue, run_tasks, settings
):
    settings.NEWSLETTER_BATCH_SIZE = 3
    people = audience(confirmed=4)
    newsletter = issue.newsletter
    # The suppression list is in lower case; the address was given with capitals.
    receiving = newsletter.subscriptions.receiving().values_list("subscriber__email", flat=True)
    assert sorted(receiving) == people["confirmed"]
    assert sends.audience_size(newsletter) == 4

    sends.start(issue)
    assert sorted(issue.deliveries.values_list("email", flat=True)) == people["confirmed"]

    # Between the start and the sending, the rule changes its answer for two readers.
    Subscription.objects.filter(subscriber__email=people["confirmed"][0]).update(
        status=Subscription.Status.PENDING
    )
    Suppression.suppress(people["confirmed"][3].upper(), Suppression.Reason.BOUNCED, "test")
    assert sends.audience_size(newsletter) == 2
    run_tasks()
    assert sorted(sink.ids_by_recipient()) == people["confirmed"][1:3]
    skipped = Delivery.objects.filter(issue=issue, status=Delivery.Status.SKIPPED)
    assert sorted(skipped.values_list("email", flat=True)) == [
        people["confirmed"][0],
        people["confirmed"][3],
    ]
