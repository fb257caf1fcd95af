import secrets

from django.db import models

from newsdesk.core.models import UploadedJob
from newsdesk.core.storage import private_file_storage
from newsdesk.newsletters.models.newsletters import Newsletter


def _import_file_name(instance, filename):
    # Kept in the private storage, which has no public address; a name not guessable from
    # the uploaded one or the date is a second guard.
    return f"subscriber-imports/{secrets.token_hex(16)}.csv"


class SubscriberImport(UploadedJob):
    """A list uploaded in the admin and imported by the task worker, with its progress and report."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", "Uploaded, not started"
        QUEUED = "queued", "Waiting for the task worker"
        RUNNING = "running", "Importing"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="imports")
    file = models.FileField(
        upload_to=_import_file_name,
        storage=private_file_storage,
        blank=True,
        help_text="Deleted once imported.",
    )
    file_name = models.CharField(max_length=255, help_text="As uploaded; consent records name it.")
    format = models.CharField(max_length=20)
    consent_source = models.TextField(
        blank=True, help_text="Given, the addresses are imported confirmed."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UPLOADED)
    progress = models.FloatField(default=0, help_text="Share of the file read, 0 to 1.")
    rows_read = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    merged = models.PositiveIntegerField(default=0)
    skipped = models.JSONField(default=dict, help_text="Reason → row numbers.")
    notes = models.JSONField(
        default=dict, help_text="Imported with a warning: warning → row numbers."
    )

    def __str__(self):
        return f"{self.file_name} → {self.newsletter}"

    @property
    def finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)
