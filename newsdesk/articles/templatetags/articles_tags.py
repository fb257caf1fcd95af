from django import template

from newsdesk.articles.models import SectionPage

register = template.Library()


@register.inclusion_tag("articles/includes/section_navigation.html", takes_context=True)
def section_navigation(context):
    """The sections, marking the one the reader is in (aria-current)."""
    current_path = getattr(context.get("page"), "path", "")
    links = []
    for section in SectionPage.objects.live().public().order_by("path"):
        if current_path == section.path:
            current = "page"
        elif current_path.startswith(section.path):
            current = "true"
        else:
            current = ""
        links.append((section, current))
    return {"links": links}
