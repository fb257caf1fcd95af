from django.apps import AppConfig


class NewslettersConfig(AppConfig):
    name = "newsdesk.newsletters"
    label = "newsletters"
    verbose_name = "Newsletters"

    def ready(self):
        from anymail.signals import tracking

        from newsdesk.newsletters.sending.bounces import suppress_on_tracking_event

        tracking.connect(
            suppress_on_tracking_event, dispatch_uid="newsletters.suppress_on_tracking_event"
        )
