from django.apps import AppConfig


class NewslettersConfig(AppConfig):
    name = "newsdesk.newsletters"
    label = "newsletters"
    verbose_name = "Newsletters"
