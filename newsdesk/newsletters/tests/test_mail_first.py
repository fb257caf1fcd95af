"""A reader's confirmation leaves first, whatever long work was queued before it."""

import pytest
from django.conf import settings
from django.core.files.storage import storages
from django_tasks.signals import task_started
from wagtail.tasks import delete_file_from_storage_task

from newsdesk.narration.tasks import narrate_article

pytestmark = pytest.mark.django_db


def test_a_confirmation_is_taken_before_the_narrations_and_index_updates_queued_ahead_of_it(
    newsletters, subscribe, run_tasks, mail_catcher
):
    # A fresh demo site: a narration per story, then Wagtail's own work on the default queue.
    for page_id in range(9000, 9030):
        narrate_article.enqueue(page_id)
    delete_file_from_storage_task.enqueue(storages["default"].deconstruct(), "gone.txt")
    subscribe()

    started = []

    def record(sender, task_result, **kwargs):
        started.append(task_result.task.name)

    task_started.connect(record)
    try:
        run_tasks(*settings.TASK_QUEUES)
    finally:
        task_started.disconnect(record)
    # The newsroom's own pages queued index updates too: all of the default queue before narration.
    assert started[0] == "send_confirmation_email"
    assert "delete_file_from_storage_task" in started
    assert started[-30:] == ["narrate_article"] * 30
    assert "narrate_article" not in started[:-30]
    [message] = mail_catcher()
    assert message.header("To") == "reader@example.org"
