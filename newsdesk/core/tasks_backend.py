"""The task backend on Redis: django-tasks-rq's, with the one priority RQ can honour."""

from django_tasks.base import DEFAULT_TASK_PRIORITY, TASK_MAX_PRIORITY
from django_tasks.exceptions import InvalidTaskError
from django_tasks_rq import RQBackend as BaseRQBackend


class RQBackend(BaseRQBackend):
    """django-tasks-rq puts a task of the highest priority at the front of its queue, yet
    refuses every priority; this one takes that one, and still refuses the others."""

    supports_priority = True

    def validate_task(self, task):
        super().validate_task(task)
        if task.priority not in (DEFAULT_TASK_PRIORITY, TASK_MAX_PRIORITY):
            raise InvalidTaskError("RQ honours only the highest priority: the front of the queue.")
