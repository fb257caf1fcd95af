"""The admin's imports in the task worker: reading an upload for its preview, then importing it."""

import time

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from wagtail.log_actions import log

from newsdesk.content_import.models import ContentImport
from newsdesk.content_import.preview import preview
from newsdesk.content_import.sources import UnreadableExport
from newsdesk.content_import.writer import import_file, read_export
from newsdesk.core.storage import local_path

START_ACTION = "content_import.start"
SAVE_EVERY_SECONDS = 1.0


def read_upload(upload: ContentImport) -> None:
    """Queues the reading of a new upload; its preview is ready when the worker has read it all."""
    transaction.on_commit(lambda: preview_upload.enqueue(upload.pk))


def start_import(upload: ContentImport, user: AbstractBaseUser | None) -> bool:
    """Queues a previewed upload's import, recorded in the audit log under user.

    Returns False, queuing nothing, if it was started already (a second click, another editor).
    """
    Status = ContentImport.Status
    with transaction.atomic():
        if not ContentImport.objects.filter(pk=upload.pk, status=Status.READ).update(
            status=Status.QUEUED
        ):
            return False
        log(
            upload,
            START_ACTION,
            user=user,
            data={"file": upload.file_name, "format": upload.format},
        )
        transaction.on_commit(lambda: import_upload.enqueue(upload.pk))
    return True


class _Throttled:
    """Saves the count of items done at most once a second: one write per story would slow the import."""

    def __init__(self, upload: ContentImport) -> None:
        self.upload = upload
        self.saved_at = 0.0

    def __call__(self, done: int) -> None:
        if time.monotonic() - self.saved_at >= SAVE_EVERY_SECONDS:
            ContentImport.objects.filter(pk=self.upload.pk).update(items_done=done)
            self.saved_at = time.monotonic()


def _finish(upload: ContentImport, status: str, **fields) -> None:
    upload.status, upload.finished_at = status, timezone.now()
    for name, value in fields.items():
        setattr(upload, name, value)
    # Over, one way or the other: a copy of the old site's archive would only be a liability.
    if upload.file:
        upload.file.delete(save=False)
    upload.save()


@task(queue_name="default")
def preview_upload(import_id: int) -> None:
    upload = ContentImport.objects.get(pk=import_id)
    try:
        with local_path(upload.file) as path:
            export = read_export(path, site_url=upload.site_url)
            summary = preview(export, progress=_Throttled(upload))
    except UnreadableExport as error:
        _finish(upload, ContentImport.Status.FAILED, error=f"{error} Nothing was imported.")
        return
    upload.refresh_from_db(fields=["items_done"])
    upload.status = ContentImport.Status.READ
    upload.format, upload.preview = summary["format"][:40], summary
    upload.items_total, upload.items_done = summary["stories"] + summary["pages"], 0
    upload.save()


@task(queue_name="default")
def import_upload(import_id: int) -> None:
    """Imports a previewed upload, counting the items done for the progress page.

    Run again (a worker died), it goes over the file again: what was imported
    is recognised and left as it is, so nothing is doubled.
    """
    upload = ContentImport.objects.select_related("created_by").get(pk=import_id)
    upload.status, upload.started_at, upload.items_done = (
        ContentImport.Status.RUNNING,
        timezone.now(),
        0,
    )
    upload.save(update_fields=["status", "started_at", "items_done"])
    save_done = _Throttled(upload)
    try:
        with local_path(upload.file) as path:
            report = import_file(
                path,
                site_url=upload.site_url,
                user=upload.created_by,
                file_name=upload.file_name,
                progress=lambda report: save_done(
                    sum(
                        report.made[k] + report.updated[k] + report.skipped[k]
                        for k in ("stories", "pages")
                    )
                ),
            )
    except UnreadableExport as error:
        # Read whole for the preview, so only a file changed in storage since gets here.
        _finish(upload, ContentImport.Status.FAILED, error=f"{error} Nothing was imported.")
    except BaseException:
        _finish(
            upload,
            ContentImport.Status.FAILED,
            error="The import stopped with an error. The stories before it were imported; "
            "uploading the file again finishes the job without doubling anything.",
        )
        raise
    else:
        _finish(
            upload,
            ContentImport.Status.DONE,
            report=report.as_json(),
            items_done=upload.items_total,
        )
