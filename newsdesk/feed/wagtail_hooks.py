from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from newsdesk.feed.models import NewsItem


class NewsItemViewSet(SnippetViewSet):
    model = NewsItem
    icon = "time"
    menu_label = "News feed"
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["headline", "first_published_at", "live"]
    ordering = ["-first_published_at"]


register_snippet(NewsItemViewSet)
