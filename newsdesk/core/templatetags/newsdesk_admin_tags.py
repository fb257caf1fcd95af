from django import template

from newsdesk.core import humanise
from newsdesk.core.admin_zone import zone_label

register = template.Library()


@register.simple_tag
def time_zone_label():
    return zone_label()


@register.filter
def duration(seconds):
    return humanise.duration(seconds or 0)


@register.filter
def count(number, nouns):
    """{{ n|count:"confirmed subscriber" }}, or "story,stories" for an irregular plural."""
    singular, _, plural = nouns.partition(",")
    return humanise.count(number, singular, plural or None)
