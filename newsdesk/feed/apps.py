from django.apps import AppConfig


class FeedConfig(AppConfig):
    name = "newsdesk.feed"
    label = "feed"
    verbose_name = "News feed"
