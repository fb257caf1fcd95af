from email.utils import formataddr

from django.core.validators import RegexValidator
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

# A header value with a line break could smuggle in headers of its own.
single_line = RegexValidator(
    r"[\x00-\x1f\x7f]", inverse_match=True, message="Use a single line of text."
)


class Newsletter(models.Model):
    name = models.CharField(max_length=150, validators=[single_line])
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(help_text="One or two sentences: what a reader gets and why.")
    host = models.ForeignKey(
        "people.Contributor",
        on_delete=models.PROTECT,
        related_name="newsletters",
        help_text="Who writes it.",
    )
    cadence = models.CharField(
        max_length=100, help_text='How often it arrives, e.g. "Every weekday morning".'
    )
    sender_name = models.CharField(
        max_length=100, validators=[single_line], help_text="Shown as the sender."
    )
    sender_address = models.EmailField(help_text="The address issues are sent from.")
    reply_to = models.EmailField(
        blank=True, help_text="Where replies go; leave empty for the sender address."
    )
    is_active = models.BooleanField(
        "open for subscriptions",
        default=True,
        help_text="Closed newsletters disappear from every form.",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("host"),
        FieldPanel("cadence"),
        MultiFieldPanel(
            [FieldPanel("sender_name"), FieldPanel("sender_address"), FieldPanel("reply_to")],
            heading="Sending",
        ),
        FieldPanel("is_active"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def from_header(self):
        return formataddr((self.sender_name, self.sender_address))
