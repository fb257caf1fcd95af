from wagtail.models import Page

from newsdesk.articles.models import published_articles

LATEST_STORIES = 12


class HomePage(Page):
    """The front page: the newest stories, and the way into each section."""

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["articles.SectionPage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_stories"] = published_articles().descendant_of(self)[:LATEST_STORIES]
        return context
