from django import template

from newsdesk.curation.models import EditorsPicks

register = template.Library()


@register.inclusion_tag("curation/editors_picks.html", takes_context=True)
def editors_picks(context):
    request = context.get("request")
    picks = EditorsPicks.for_request(request).articles() if request else []
    return {"picks": picks, "request": request}
