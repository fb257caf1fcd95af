from django.db import models
from django.utils.functional import cached_property
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import InlinePanel
from wagtail.models import Page

from newsdesk.articles.models import SectionPage, published_articles, route_to_child
from newsdesk.core.links import absolute_url
from newsdesk.core.models import NewsroomSettings
from newsdesk.curation.models import CuratedArticle, live_articles

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

    @cached_property
    def front(self):
        """The stories of the front page. Read by its template inside a kept fragment, so only when that is rendered."""
        featured = live_articles(self.featured_stories)
        shown = {story.pk for story in featured}
        latest = [
            story
            for story in published_articles()[: LATEST_STORIES + len(shown)]
            if story.pk not in shown
        ]
        if not featured:
            featured, latest = latest[:1], latest[1:]
        return {
            "lead_story": featured[0] if featured else None,
            "top_stories": featured[1:],
            "latest_stories": latest[:LATEST_STORIES],
            "sections": [
                (section, published_articles().child_of(section)[:STORIES_PER_SECTION])
                for section in SectionPage.objects.live().public().child_of(self).order_by("path")
            ],
        }

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["structured_data"] = self.structured_data(NewsroomSettings.for_request(request))
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
