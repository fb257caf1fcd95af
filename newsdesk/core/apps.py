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

        from django.db.models.signals import pre_delete
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from newsdesk.core import renewal
        from newsdesk.core.models import NewsroomSettings
        from newsdesk.core.pagecache import NEWSROOM

        page_published.connect(renewal.on_page_published_or_unpublished)
        page_unpublished.connect(renewal.on_page_published_or_unpublished)
        post_page_move.connect(renewal.on_page_moved)
        pre_delete.connect(renewal.on_page_deleted)
        renewal.renews(NewsroomSettings, lambda settings: {NEWSROOM})
