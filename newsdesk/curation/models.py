from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Orderable

from newsdesk.articles.models import ArticlePage, published_articles


class CuratedArticle(Orderable):
    """An article an editor placed in an ordered list."""

    article = models.ForeignKey("articles.ArticlePage", on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("article")]

    class Meta(Orderable.Meta):
        abstract = True


def live_articles(curated_items: models.QuerySet) -> list[ArticlePage]:
    """The live articles of an ordered list, in the editors' order; unpublished ones drop out."""
    order = list(curated_items.order_by("sort_order").values_list("article_id", flat=True))
    articles = published_articles().in_bulk(order)
    return [articles[pk] for pk in order if pk in articles]


@register_setting(icon="pick")
class EditorsPicks(BaseSiteSetting, ClusterableModel):
    panels = [InlinePanel("picks", label="Pick", heading="Editors' picks, in order")]

    class Meta:
        verbose_name = "editors' picks"

    def articles(self) -> list[ArticlePage]:
        return live_articles(self.picks)


class EditorsPick(CuratedArticle):
    picks_list = ParentalKey(EditorsPicks, on_delete=models.CASCADE, related_name="picks")
