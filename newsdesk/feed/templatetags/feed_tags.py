from django import template
from django.utils import timezone
from django.utils.dateformat import format as format_date

from newsdesk.feed.models import Cursor, NewsItem

register = template.Library()

FEED_BLOCK_ITEMS = 8


@register.inclusion_tag("feed/includes/news_feed.html")
def news_feed(limit=FEED_BLOCK_ITEMS):
    """The latest items, as the block beside articles and on the front page shows them."""
    items = list(NewsItem.objects.published()[:limit])
    return {"items": items, "limit": limit, "latest_cursor": Cursor.of(items[0]) if items else ""}


@register.filter
def feed_time(moment):
    """ "14:05" for today, "25 Nov, 14:05" for earlier days, in the newsroom's time zone."""
    local = timezone.localtime(moment)
    if local.date() == timezone.localdate():
        return format_date(local, "H:i")
    return format_date(local, "j M, H:i")
