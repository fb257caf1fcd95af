from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "newsdesk.search"
    label = "newsdesk_search"
    verbose_name = "Search"

    def ready(self):
        from wagtail.signals import page_published, page_unpublished

        from newsdesk.articles.models import ArticlePage
        from newsdesk.core import slots
        from newsdesk.core.pagecache import cache_view
        from newsdesk.core.renewal import shows_pages
        from newsdesk.search import engine

        cache_view("search", lambda kwargs: ["search"])
        shows_pages(lambda page: {"search"})
        slots.fill("header_search", "search/includes/header_search.html")
        # The reader search's index follows publishing. A deleted story's entry goes
        # with it (a cascade); a moved one needs nothing (engine.find looks up view
        # restrictions when asked).
        page_published.connect(
            lambda sender, instance, **kwargs: engine.index([instance]),
            sender=ArticlePage,
            weak=False,
            dispatch_uid="search_index_published",
        )
        page_unpublished.connect(
            lambda sender, instance, **kwargs: engine.remove([instance.pk]),
            sender=ArticlePage,
            weak=False,
            dispatch_uid="search_remove_unpublished",
        )
