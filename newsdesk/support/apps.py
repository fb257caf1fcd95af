from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "newsdesk.support"
    label = "support"
    verbose_name = "Reader revenue"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from newsdesk.core import bundles, slots
        from newsdesk.core.pagecache import cache_pages, cache_view, purge_paths
        from newsdesk.core.renewal import renews
        from newsdesk.support import campaigns, handlers  # noqa: F401 (registers the webhook's handlers)
        from newsdesk.support.models import Campaign, DonationSettings

        bundles.STYLESHEET.add("support/support.css")
        bundles.SCRIPT.add("support/meter.js")
        slots.fill("story_end", "support/includes/story_end.html")
        slots.fill("footer_links", "support/includes/footer_link.html")
        slots.fill("front_page", "support/includes/campaign_meter.html")
        slots.fill("membership", "support/includes/campaign_meter.html")
        for url_name in ("support", "gift"):
            cache_view(url_name, lambda kwargs: ["support", campaigns.CAMPAIGNS_TAG])
        for url_name in ("support_thanks", "gift_thanks"):
            cache_view(url_name, lambda kwargs: ["support"])
        purge_paths("support", lambda value: ["/support/", "/membership/gift/"])
        purge_paths(campaigns.CAMPAIGNS_TAG, lambda value: ["/", "/support/", "/membership/"])
        # Every story ends with the box and its meter, and the front page shows it:
        # a campaign changed (rarely: its goal, its dates) renews them. Its progress
        # is counted apart, every METER_SECONDS (campaigns.py).
        cache_pages(lambda page: {campaigns.CAMPAIGNS_TAG})
        renews(Campaign, lambda campaign: {campaigns.CAMPAIGNS_TAG, "membership"})
        renews(DonationSettings, lambda settings: {"support"})
        post_save.connect(campaigns.forget_meters, sender=Campaign)
        post_delete.connect(campaigns.forget_meters, sender=Campaign)
