from django.apps import AppConfig


class ContentImportConfig(AppConfig):
    name = "newsdesk.content_import"
    label = "content_import"
    verbose_name = "Content import"
