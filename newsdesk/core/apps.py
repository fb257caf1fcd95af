from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "newsdesk.core"
    label = "core"
    verbose_name = "Newsroom"

    def ready(self):
        from django.urls import register_converter

        from newsdesk.core.converters import IdConverter

        # Before any URLconf is read: app URLs and Wagtail hooks use <id:...>.
        register_converter(IdConverter, "id")

        from django.core.signals import request_finished
        from django.db.models.signals import pre_delete
        from wagtail.models import Site
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from newsdesk.core import renewal
        from newsdesk.core.logs import forget_request
        from newsdesk.core.models import NewsroomSettings
        from newsdesk.core.pagecache import NEWSROOM, cache_view
        from newsdesk.core.sites import SITES

        page_published.connect(renewal.on_page_published_or_unpublished)
        page_unpublished.connect(renewal.on_page_published_or_unpublished)
        post_page_move.connect(renewal.on_page_moved)
        pre_delete.connect(renewal.on_page_deleted)
        request_finished.connect(forget_request, dispatch_uid="core.forget_request")
        renewal.renews(NewsroomSettings, lambda settings: {NEWSROOM})
        # The kept sites (core/sites.py): a site's host, port, root page or default changed.
        renewal.renews(Site, lambda site: {SITES})
        # The manifest shows the newsroom's name, colour and icons, and nothing else.
        cache_view("web_app_manifest", lambda kwargs: [NEWSROOM])

        from wagtail.admin.views.mixins import SpreadsheetExportMixin

        from newsdesk.core import csvcells

        # Every CSV the admin exports (reports, snippet listings) holds text from readers
        # and imported archives: none of it may reach a spreadsheet as a formula.
        SpreadsheetExportMixin.custom_value_preprocess = {
            **SpreadsheetExportMixin.custom_value_preprocess,
            object: {SpreadsheetExportMixin.FORMAT_CSV: csvcells.safe_export_cell},
        }
