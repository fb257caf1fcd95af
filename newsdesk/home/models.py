from django.db import models
from django.utils.functional import SimpleLazyObject
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import InlinePanel
from wagtail.models import Page

from newsdesk.articles.models import SectionPage, published_articles, route_to_child
from newsdesk.core.links import absolute_url
from newsdesk.core.models import NewsroomSettings
from newsdesk.curation.models import CuratedArticle, EditorsPicks, live_articles

TOP_STORIES = 4
LATEST_STORIES = 6
STORIES_PER_SECTION = 4


class HomePage(Page):
    """The front page: the stories editors lead with, the latest, and each section's newest."""

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["articles.SectionPage", "articles.StaticPage"]

    content_panels = [
        *Page.content_panels,
        InlinePanel(
            "featured_stories",
            label="Story",
            heading="Lead and top stories",
            help_text="The first story leads the front page; the others follow in this order.",
        ),
    ]

    def route(self, request, path_components):
        if path_components:
            return route_to_child(self, SectionPage.objects.all(), request, path_components)
        return super().route(request, path_components)

    def featured_story_ids(self):
        """The stories editors placed on the front page: the rail's picks leave them out."""
        return list(self.featured_stories.values_list("article_id", flat=True))

    def front(self, picked):
        """The stories of the front page, each once, none of the editors' picks (the rail shows those).

        Editors' lead and top stories come first; the newest stories fill the top
        stories up to TOP_STORIES, then the latest, then each section's block.
        """
        featured = live_articles(self.featured_stories)
        shown = {story.pk for story in featured} | {story.pk for story in picked}
        newest = list(
            published_articles().exclude(pk__in=shown)[: 1 + TOP_STORIES + LATEST_STORIES]
        )
        featured = featured or newest[:1]
        newest = [story for story in newest if story not in featured]
        fill = max(TOP_STORIES - len(featured[1:]), 0)
        top_stories = featured[1:] + newest[:fill]
        latest = newest[fill : fill + LATEST_STORIES]
        shown |= {story.pk for story in [*featured, *newest]}
        return {
            "lead_story": featured[0] if featured else None,
            "top_stories": top_stories,
            "latest_stories": latest,
            "sections": [
                (
                    section,
                    published_articles()
                    .child_of(section)
                    .exclude(pk__in=shown)[:STORIES_PER_SECTION],
                )
                for section in SectionPage.objects.live().public().child_of(self).order_by("path")
            ],
        }

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["structured_data"] = self.structured_data(NewsroomSettings.for_request(request))
        # Read only when the template renders the stories, not when their kept fragments are reused.
        context["front"] = SimpleLazyObject(
            lambda: self.front(EditorsPicks.for_request(request).articles())
        )
        return context

    def structured_data(self, newsroom):
        return {
            "@context": "https://schema.org",
            "@type": "NewsMediaOrganization",
            "name": newsroom.name,
            "url": absolute_url("/"),
            "description": newsroom.tagline,
        }


class HomeFeaturedStory(CuratedArticle):
    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_stories")
