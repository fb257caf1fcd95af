from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "newsdesk.core"
    label = "core"
    verbose_name = "Newsroom"

    def ready(self):
        from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from newsdesk.articles.models import ArticlePage
        from newsdesk.core import pagecache
        from newsdesk.curation.models import EditorsPicks
        from newsdesk.feed.models import NewsItem

        pre_save.connect(pagecache.remember_listings, sender=ArticlePage)
        page_published.connect(pagecache.on_page_published_or_unpublished)
        page_unpublished.connect(pagecache.on_page_published_or_unpublished)
        post_page_move.connect(pagecache.on_page_moved)
        pre_delete.connect(pagecache.on_page_deleted)
        post_save.connect(pagecache.on_picks_saved, sender=EditorsPicks)
        post_save.connect(pagecache.on_news_item_saved, sender=NewsItem)
        post_delete.connect(pagecache.on_news_item_saved, sender=NewsItem)

        from wagtail.admin.views.mixins import SpreadsheetExportMixin

        from newsdesk.core import csvcells

        # Every CSV the admin exports (reports, snippet listings) holds text from readers
        # and imported archives: none of it may reach a spreadsheet as a formula.
        SpreadsheetExportMixin.custom_value_preprocess = {
            **SpreadsheetExportMixin.custom_value_preprocess,
            object: {SpreadsheetExportMixin.FORMAT_CSV: csvcells.safe_export_cell},
        }
