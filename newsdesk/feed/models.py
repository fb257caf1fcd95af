import re
from datetime import UTC, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from wagtail.admin.panels import FieldPanel, PublishingPanel
from wagtail.models import DraftStateMixin, RevisionMixin
from wagtail.search import index

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
CURSOR_FORMAT = re.compile(r"(\d{1,18})-(\d{1,18})", re.ASCII)


class Cursor:
    """A place in the feed: an item's publication time and id, newest first.

    Paging by cursor rather than by page number means items posted while a
    reader pages never make them see an item twice or miss one.
    """

    def __init__(self, published_at: datetime, pk: int) -> None:
        self.published_at, self.pk = published_at, pk

    @classmethod
    def of(cls, item: "NewsItem") -> "Cursor":
        return cls(item.first_published_at, item.pk)

    @classmethod
    def parse(cls, text: str) -> "Cursor":
        """Reads a cursor from a URL; raises ValueError for anything malformed."""
        match = CURSOR_FORMAT.fullmatch(str(text))
        if match is None:
            raise ValueError(f"not a feed cursor: {text!r}")
        micros, pk = (int(group) for group in match.groups())
        try:
            published_at = EPOCH + timedelta(microseconds=micros)
        except OverflowError:
            raise ValueError(f"not a feed cursor: {text!r}") from None
        return cls(published_at, pk)

    def __str__(self):
        return f"{(self.published_at - EPOCH) // timedelta(microseconds=1)}-{self.pk}"

    def older(self) -> Q:
        return Q(first_published_at__lt=self.published_at) | Q(
            first_published_at=self.published_at, pk__lt=self.pk
        )

    def newer(self) -> Q:
        return Q(first_published_at__gt=self.published_at) | Q(
            first_published_at=self.published_at, pk__gt=self.pk
        )


class NewsItemQuerySet(models.QuerySet):
    def published(self) -> "NewsItemQuerySet":
        return (
            self.filter(live=True, first_published_at__isnull=False)
            .select_related("article", "section")
            .order_by("-first_published_at", "-pk")
        )


class NewsItem(DraftStateMixin, RevisionMixin, index.Indexed, models.Model):
    """A short item of the live news feed: a headline and a sentence or two."""

    headline = models.CharField(max_length=200)
    summary = models.TextField(max_length=400, help_text="One or two sentences.")
    article = models.ForeignKey(
        "articles.ArticlePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Optional: the full story this item points to.",
    )
    section = models.ForeignKey(
        "articles.SectionPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = NewsItemQuerySet.as_manager()

    panels = [
        FieldPanel("headline"),
        FieldPanel("summary"),
        FieldPanel("article"),
        FieldPanel("section"),
        PublishingPanel(),
    ]
    search_fields = [index.SearchField("headline"), index.SearchField("summary")]

    class Meta:
        verbose_name = "news feed item"
        indexes = [
            models.Index(fields=["live", "-first_published_at", "-id"], name="feed_newest_first")
        ]

    def __str__(self):
        return self.headline

    def clean(self) -> None:
        super().clean()
        if "\n" in self.headline or "\r" in self.headline:
            raise ValidationError({"headline": "A headline is a single line."})

    @property
    def published_at(self) -> datetime | None:
        return self.first_published_at

    @property
    def link(self) -> str | None:
        """Where the item points: its article while that is live, else the item on the feed page."""
        if self.article_id and self.article.live:
            return self.article.url
        return None
