from django.db import transaction
from django.utils import timezone
from django_tasks import task

from newsdesk.newsletters.imports.importer import Report, UnreadableFile, import_subscribers
from newsdesk.newsletters.models import SubscriberImport


def start_import(upload: SubscriberImport, consent_source: str = "") -> bool:
    """Queues an uploaded list for the worker; consent_source given, its addresses are imported confirmed.

    Returns False, queuing nothing, if it was started already (a second click, another editor).
    """
    Status = SubscriberImport.Status
    started = SubscriberImport.objects.filter(pk=upload.pk, status=Status.UPLOADED)
    if not started.update(status=Status.QUEUED, consent_source=consent_source):
        return False
    transaction.on_commit(lambda: import_uploaded_list.enqueue(upload.pk))
    return True


def _record(upload, report, progress, **fields):
    upload.progress = progress
    upload.rows_read, upload.imported, upload.merged = (
        report.rows_read,
        report.imported,
        report.merged,
    )
    upload.skipped = report.skipped
    upload.notes = report.notes
    for name, value in fields.items():
        setattr(upload, name, value)
    upload.save()


@task(queue_name="default")
def import_uploaded_list(import_id):
    """Imports a list uploaded in the admin, recording progress after each batch for the progress page.

    Run again (a worker died), it starts over; the import merges what is
    already there, so nothing is doubled.
    """
    upload = SubscriberImport.objects.select_related("newsletter", "created_by").get(pk=import_id)
    _record(
        upload,
        Report(format=upload.format),
        0,
        status=SubscriberImport.Status.RUNNING,
        started_at=timezone.now(),
        finished_at=None,
        error="",
    )
    try:
        with upload.file.open("rb") as stream:
            report = import_subscribers(
                upload.newsletter,
                stream,
                upload.file_name,
                user=upload.created_by,
                consent_source=upload.consent_source or None,
                progress=lambda report, share: _record(upload, report, share),
            )
    except UnreadableFile as error:
        # Checked at upload, so only a file changed in storage since gets here.
        _record(
            upload,
            Report(format=upload.format),
            0,
            status=SubscriberImport.Status.FAILED,
            finished_at=timezone.now(),
            error=f"{error} Nothing was imported.",
        )
    except BaseException:
        upload.status, upload.finished_at = SubscriberImport.Status.FAILED, timezone.now()
        upload.error = (
            "The import stopped with an error. The batches before it were imported; "
            "uploading the file again finishes the job without doubling anyone."
        )
        upload.save(update_fields=["status", "finished_at", "error"])
        raise
    else:
        _record(upload, report, 1, status=SubscriberImport.Status.DONE, finished_at=timezone.now())
    # The addresses are in the database now; a copy of the list in media storage would only be a liability.
    upload.file.delete(save=False)
    upload.file = ""
    upload.save(update_fields=["file"])
