from django.apps import AppConfig


class SyndicationConfig(AppConfig):
    name = "newsdesk.syndication"
    label = "syndication"
    verbose_name = "Feeds and sitemaps"

    def ready(self):
        from django.urls import reverse

        from newsdesk.core import slots
        from newsdesk.core.pagecache import cache_view, purge_paths
        from newsdesk.core.renewal import shows_pages

        for name in ("articles_feed", "listing_feed"):
            cache_view(name, lambda kwargs: ["feeds"])
        cache_view("news_feed", lambda kwargs: ["newsfeed"])
        for name in ("sitemap", "sitemap_section"):
            cache_view(name, lambda kwargs: ["sitemaps"])
        shows_pages(lambda page: {"feeds", "sitemaps"})
        purge_paths(
            "feeds", lambda _: [reverse("articles_feed", args=[kind]) for kind in ("rss", "atom")]
        )
        purge_paths(
            "sitemaps",
            lambda _: (
                [reverse("sitemap")]
                + [reverse("sitemap_section", args=[section]) for section in ("pages", "news")]
            ),
        )
        slots.fill("feeds", "syndication/includes/site_feed_links.html")
        slots.fill("footer_follow", "syndication/includes/footer_feeds.html")
