from django.apps import AppConfig


class MailcatcherConfig(AppConfig):
    name = "newsdesk.mailcatcher"
    label = "mailcatcher"
    verbose_name = "Development mail catcher"
