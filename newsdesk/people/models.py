from django.db import models
from django.urls import reverse
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from newsdesk.core.links import absolute_url


class Contributor(index.Indexed, models.Model):
    """Someone a story can be bylined to: a person, or a desk or team."""

    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        DESK = "desk", "Desk or team"

    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PERSON)
    role = models.CharField(max_length=150, blank=True, help_text='e.g. "Energy reporter"')
    bio = models.TextField(blank=True, help_text="Two or three sentences shown on their page.")
    photo = models.ForeignKey(
        "images.NewsImage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("role"),
        FieldPanel("bio"),
        FieldPanel("photo"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("author", kwargs={"slug": self.slug})

    def page_structured_data(self) -> dict:
        """schema.org data for the contributor's own page."""
        return {
            "@context": "https://schema.org",
            **self.structured_data(),
            "url": absolute_url(self.get_absolute_url()),
            "description": self.bio,
        }

    def structured_data(self) -> dict:
        """schema.org Person, or Organization for a desk."""
        data = {
            "@type": "Person" if self.kind == self.Kind.PERSON else "Organization",
            "name": self.name,
        }
        if self.role and self.kind == self.Kind.PERSON:
            data["jobTitle"] = self.role
        return data
