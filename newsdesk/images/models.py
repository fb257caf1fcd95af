from django.db import models
from wagtail.images.models import AbstractImage, AbstractRendition, Image


class NewsImage(AbstractImage):
    """A library image that carries its own alt text, caption and credit.

    Where an image is placed, an editor may override the caption and credit for
    that one use; the library's values are the default everywhere else.
    """

    description = models.CharField(
        "alt text",
        max_length=255,
        blank=True,
        default="",
        help_text="What the picture shows, for readers who cannot see it. Leave empty only for decorative images.",
    )
    caption = models.CharField(max_length=500, blank=True)
    credit = models.CharField(
        max_length=255,
        blank=True,
        help_text='Who made the picture and for whom, e.g. "Name / Agency".',
    )

    admin_form_fields = (*Image.admin_form_fields, "caption", "credit")

    @property
    def alt_text(self) -> str:
        return self.description


class NewsRendition(AbstractRendition):
    image = models.ForeignKey(NewsImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
