from django.apps import AppConfig


class FeedConfig(AppConfig):
    name = "newsdesk.feed"
    label = "feed"
    verbose_name = "News feed"

    def ready(self):
        from newsdesk.core import bundles, slots
        from newsdesk.core.pagecache import cache_view
        from newsdesk.core.renewal import renews
        from newsdesk.feed.models import NewsItem

        # A news item renews the news page and the updates, not every page beside
        # which the block stands: live-feed.js brings it there (docs/architecture.md).
        renews(NewsItem, lambda item: {"newsfeed"})
        cache_view("news", lambda kwargs: ["newsfeed"])
        cache_view("news_updates", lambda kwargs: ["newsfeed"])
        slots.fill("rail", "feed/includes/rail.html", tags=["newsfeed"])
        bundles.SCRIPT.add("feed/js/live-feed.js")
