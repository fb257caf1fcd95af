from django.apps import AppConfig


class NarrationConfig(AppConfig):
    name = "newsdesk.narration"
    label = "narration"
    verbose_name = "Narration"

    def ready(self):
        from django.db.models.signals import post_delete
        from wagtail.signals import page_published

        from newsdesk.core import bundles, metrics, queues, slots
        from newsdesk.core.pagecache import cache_view
        from newsdesk.narration import metrics as narration_metrics
        from newsdesk.narration.models import Narration
        from newsdesk.narration.signals import narrate_on_publish, remove_files_of_deleted
        from newsdesk.narration.tasks import narrate_article

        page_published.connect(narrate_on_publish, dispatch_uid="narration_on_publish")
        post_delete.connect(
            remove_files_of_deleted, sender=Narration, dispatch_uid="narration_files_deleted"
        )
        for name in ("podcast_feed", "section_podcast_feed"):
            cache_view(name, lambda kwargs: ["feeds"])
        slots.fill("feeds", "narration/podcast_links.html")
        bundles.STYLESHEET.add("narration/player.css")
        bundles.SCRIPT.add("narration/player.js")
        # Minutes of both cores per story: under `newsdesk run`, a worker of its own at a
        # low priority, so readers' pages and mail never wait for the voice.
        queues.set_apart(
            narrate_article.queue_name, 10, "Narrating the stories: {done} of {total} done"
        )
        metrics.register_gauge(
            "newsdesk_narration_backlog",
            "Stories waiting for their narration, or being narrated, by status.",
            narration_metrics.backlog,
        )
