from django.db import models
from wagtail.models import Page

from newsdesk.content_import.sources import Visibility
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
