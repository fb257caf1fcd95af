from pathlib import PurePath
from uuid import uuid4

from django.db import models
from wagtail.models import Page

from newsdesk.content_import.sources import Visibility
from newsdesk.core.models import UploadedJob
from newsdesk.core.storage import private_file_storage
from newsdesk.images.models import NewsImage


class ImportedItem(models.Model):
    """A story or page brought from another platform: what makes a second run change nothing.

    visibility keeps who the old site showed it to; until membership gating
    exists, anything not public is behind a login (a PageViewRestriction).
    """

    source_format = models.CharField(max_length=20)  # "ghost", "wordpress", "substack"
    source_id = models.CharField(max_length=100)
    page = models.OneToOneField(Page, on_delete=models.CASCADE, related_name="imported_from")
    visibility = models.CharField(
        max_length=10, choices=[(v.value, v.value) for v in Visibility], default=Visibility.PUBLIC
    )
    old_paths = models.JSONField(default=list)
    checksum = models.CharField(max_length=64)  # of the item as read: unchanged means skipped
    # The item, kept while its body links a story not imported yet; the second pass empties it.
    pending = models.JSONField(null=True, blank=True)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source_format", "source_id"], name="imported_item_unique_source"
            )
        ]

    def __str__(self):
        return f"{self.source_format} {self.source_id}"


class ImportedPicture(models.Model):
    """A picture of the old site, imported once however many stories show it."""

    url_hash = models.CharField(max_length=64, unique=True)  # sha256 of url: URLs outgrow an index
    url = models.TextField()
    image = models.ForeignKey(NewsImage, on_delete=models.CASCADE, related_name="+")

    def __str__(self):
        return self.url


def _upload_name(instance, filename):
    # A random name: what an editor called the file is kept in file_name, never in a path.
    return f"content-imports/{uuid4().hex}{PurePath(filename).suffix.lower()[:8]}"


class ContentImport(UploadedJob):
    """An export uploaded in the admin: read for a preview, then imported by the task worker.

    The file is kept in the private storage (no public address) until the
    import is over, then deleted; the preview and the report stay.
    """

    class Status(models.TextChoices):
        READING = "reading", "Reading the file"
        READ = "read", "Read, not started"
        QUEUED = "queued", "Waiting for the task worker"
        RUNNING = "running", "Importing"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    WORKING = (Status.READING, Status.QUEUED, Status.RUNNING)

    file = models.FileField(
        upload_to=_upload_name, storage=private_file_storage, blank=True, max_length=255
    )
    file_name = models.CharField(max_length=255, help_text="As uploaded.")
    format = models.CharField(max_length=40, blank=True)  # "WordPress WXR 1.2"
    site_url = models.URLField(
        blank=True, help_text="The old site's address, where pictures are fetched from."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.READING)
    items_total = models.PositiveIntegerField(default=0, help_text="Stories and pages in the file.")
    items_done = models.PositiveIntegerField(default=0)
    preview = models.JSONField(default=dict, blank=True)
    report = models.JSONField(default=dict, blank=True)

    def __str__(self):
        return self.file_name

    @property
    def working(self) -> bool:
        return self.status in self.WORKING

    @property
    def progress(self) -> float:
        if self.status == self.Status.DONE:
            return 1.0
        return min(self.items_done / self.items_total, 1.0) if self.items_total else 0.0
