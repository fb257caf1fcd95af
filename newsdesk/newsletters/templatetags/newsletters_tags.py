from django import template

from newsdesk.newsletters import audience
from newsdesk.newsletters.models import Newsletter
from newsdesk.newsletters.subscribers.forms import subscribe_form_context

register = template.Library()


@register.inclusion_tag("newsletters/includes/subscribe_form.html", takes_context=True)
def subscribe_form(context, newsletters=None, heading="", describe=False):
    """A subscribe form for one newsletter, a choice of several, or (given none) every open one.

    Closed or deleted newsletters drop out, and those for members only (they choose
    them on their account page); with none left, nothing is shown. `describe` adds
    each newsletter's description to its choice, as the newsletters page does.
    """
    if newsletters is None:
        newsletters = Newsletter.objects.filter(is_active=True).select_related("host")
    elif isinstance(newsletters, Newsletter):
        newsletters = [newsletters]
    restricted = audience.audiences()
    open_newsletters = [
        newsletter
        for newsletter in newsletters
        if newsletter and newsletter.is_active and newsletter.pk not in restricted
    ]
    return {
        **subscribe_form_context(context["request"], open_newsletters),
        "heading": heading,
        "describe": describe,
    }
