from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject

from newsdesk.feed.models import Cursor, NewsItem

ITEMS_PER_PAGE = 30
MAX_UPDATES = 20


def cursor_from(request, name):
    value = request.GET.get(name)
    if not value:
        return None
    try:
        return Cursor.parse(value)
    except ValueError:
        raise Http404("No such place in the news feed.") from None


def news_page(request):
    """The feed's own page ("More news"), newest first, paged by cursor."""
    before = cursor_from(request, "before")
    return render(
        request,
        "feed/news_page.html",
        {
            "before": str(before) if before else "",
            "is_first_page": before is None,
            # Read only when the template renders the items, not when its kept fragment is reused.
            "feed": SimpleLazyObject(lambda: page_of_items(before)),
        },
    )


def page_of_items(before):
    items = NewsItem.objects.published()
    if before:
        items = items.filter(before.older())
    page = list(items[: ITEMS_PER_PAGE + 1])
    has_older = len(page) > ITEMS_PER_PAGE
    page = page[:ITEMS_PER_PAGE]
    return {
        "items": page,
        "older_cursor": Cursor.of(page[-1]) if has_older else None,
        "latest_cursor": Cursor.of(page[0]) if page and before is None else "",
    }


def updates(request):
    """Items newer than ?after=, as HTML fragments, for pages that are already open."""
    after = cursor_from(request, "after")
    items = NewsItem.objects.published()
    if after:
        items = items.filter(after.newer())
    items = list(items[:MAX_UPDATES])
    return JsonResponse(
        {
            "latest": str(Cursor.of(items[0])) if items else (str(after) if after else ""),
            "items": [
                {
                    "cursor": str(Cursor.of(item)),
                    "html": render_to_string("feed/includes/item.html", {"item": item}),
                }
                for item in items
            ],
        }
    )
