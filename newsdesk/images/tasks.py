"""Renditions made in the worker as soon as a picture is uploaded or replaced, instead of at the
first reader's view: the pages' pictures (pictures.py) at every size, WebP and JPEG, take seconds."""

import logging

from django.db import transaction
from django_tasks import task
from PIL import Image as Pillow

from newsdesk.images import pictures
from newsdesk.images.models import NewsImage

logger = logging.getLogger(__name__)

# What a picture's renditions depend on: saving it with other fields only (its alt
# text, say) leaves every rendition as it was.
RENDERED_FROM = {
    "file",
    "focal_point_x",
    "focal_point_y",
    "focal_point_width",
    "focal_point_height",
}


def make_renditions_later(image_ids) -> None:
    """Queues make_renditions for these pictures once the transaction that changed them commits
    (Wagtail deletes a replaced file's renditions after saving the picture, in the same one)."""
    image_ids = sorted({image_id for image_id in image_ids if image_id})  # a story without one
    if image_ids:
        transaction.on_commit(lambda: make_renditions.enqueue(image_ids))


def picture_saved(sender, instance, created, raw, update_fields, **kwargs):
    if raw or (update_fields is not None and not RENDERED_FROM & set(update_fields)):
        return
    make_renditions_later([instance.pk])


@task(queue_name="default")
def make_renditions(image_ids):
    """Every rendition pages may ask of these pictures; those made already are kept, so running
    it again (a second save, a retry) makes nothing twice. Pictures deleted since are skipped."""
    for image in NewsImage.objects.filter(pk__in=image_ids):
        make_renditions_of(image)


def make_renditions_of(image: NewsImage) -> None:
    try:
        image.get_renditions(*pictures.filter_specs())
    except (OSError, Pillow.DecompressionBombError) as error:
        # A file gone from storage or one Pillow cannot read: its pages show it as broken
        # either way, and the worker goes on with the next task.
        logger.warning(
            "No renditions of picture %s (“%s”): its file %s cannot be read: %s",
            image.pk,
            image.title,
            image.file.name,
            error,
        )
