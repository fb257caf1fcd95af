from django.apps import AppConfig


class CurationConfig(AppConfig):
    name = "newsdesk.curation"
    label = "curation"
    verbose_name = "Curation"
