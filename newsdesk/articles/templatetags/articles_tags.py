from django import template

from newsdesk.articles.models import SectionPage
from newsdesk.core.fragments import cached_fragment

register = template.Library()


@register.inclusion_tag("articles/includes/section_navigation.html", takes_context=True)
def section_navigation(context):
    """The sections, marking the one the reader is in (aria-current)."""
    request = context.get("request")
    current_path = getattr(context.get("page"), "path", "")
    links = []
    for title, url, path in cached_fragment(
        request, "sections", ["sections"], lambda: _sections(request)
    ):
        if current_path == path:
            current = "page"
        elif current_path.startswith(path):
            current = "true"
        else:
            current = ""
        links.append((title, url, current))
    return {"links": links}


def _sections(request):
    return [
        (section.title, section.get_url(request), section.path)
        for section in SectionPage.objects.live().public().order_by("path")
    ]
