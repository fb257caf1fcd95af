from django import template

from newsdesk.curation.models import EditorsPicks

register = template.Library()


@register.inclusion_tag("curation/editors_picks.html", takes_context=True)
def editors_picks(context):
    """The picks, without the stories the page already shows (the rail's shown_stories)."""
    request = context.get("request")
    shown = set(context.get("shown_stories") or ())
    picks = EditorsPicks.for_request(request).articles() if request else []
    return {"picks": [story for story in picks if story.pk not in shown], "request": request}
