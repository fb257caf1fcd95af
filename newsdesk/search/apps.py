from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "newsdesk.search"
    label = "newsdesk_search"
    verbose_name = "Search"

    def ready(self):
        from newsdesk.core import slots
        from newsdesk.core.pagecache import cache_view
        from newsdesk.core.renewal import shows_pages

        cache_view("search", lambda kwargs: ["search"])
        shows_pages(lambda page: {"search"})
        slots.fill("header_search", "search/includes/header_search.html")
