from django.apps import AppConfig


class CurationConfig(AppConfig):
    name = "newsdesk.curation"
    label = "curation"
    verbose_name = "Curation"

    def ready(self):
        from newsdesk.core import slots
        from newsdesk.core.pagecache import cache_pages
        from newsdesk.core.renewal import renews
        from newsdesk.curation.models import EditorsPicks

        renews(EditorsPicks, lambda picks: {"picks"})
        # The picks stand beside every page of the tree, in the rail.
        cache_pages(lambda page: {"picks"})
        slots.fill("rail", "curation/includes/rail.html", tags=["picks"])
