from django.apps import AppConfig


class NarrationConfig(AppConfig):
    name = "newsdesk.narration"
    label = "narration"
    verbose_name = "Narration"

    def ready(self):
        from wagtail.signals import page_published

        from newsdesk.core import slots
        from newsdesk.core.pagecache import cache_view
        from newsdesk.narration.signals import narrate_on_publish

        page_published.connect(narrate_on_publish, dispatch_uid="narration_on_publish")
        for name in ("podcast_feed", "section_podcast_feed"):
            cache_view(name, lambda kwargs: ["feeds"])
        slots.fill("feeds", "narration/podcast_links.html")
