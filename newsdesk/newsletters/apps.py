from django.apps import AppConfig


class NewslettersConfig(AppConfig):
    name = "newsdesk.newsletters"
    label = "newsletters"
    verbose_name = "Newsletters"

    def ready(self):
        from anymail.signals import tracking

        from newsdesk.core import bundles, metrics, periodic, slots
        from newsdesk.core.pagecache import cache_pages
        from newsdesk.core.renewal import renews
        from newsdesk.newsletters import metrics as newsletter_metrics
        from newsdesk.newsletters.models import Newsletter
        from newsdesk.newsletters.periodic import send_newsletters
        from newsdesk.newsletters.sending.bounces import suppress_on_tracking_event

        tracking.connect(
            suppress_on_tracking_event, dispatch_uid="newsletters.suppress_on_tracking_event"
        )
        periodic.register("send_newsletters", send_newsletters)
        metrics.register_gauge(
            "newsdesk_newsletter_sends_in_progress",
            "Newsletter issues being sent now.",
            newsletter_metrics.sends_in_progress,
        )
        metrics.register_gauge(
            "newsdesk_newsletter_send_deliveries",
            "Deliveries of the issues being sent now, by status.",
            newsletter_metrics.deliveries_of_sends_in_progress,
        )
        bundles.STYLESHEET.add("newsletters/newsletters.css")
        bundles.SCRIPT.add("newsletters/subscribe.js")
        slots.fill("footer_links", "newsletters/includes/footer_link.html")
        # Every page of the tree offers the newsletters beside it; a page whose body
        # has a signup block links the newsletter, and is renewed as what links it.
        cache_pages(lambda page: {"newsletters"})
        renews(Newsletter, lambda newsletter: {"newsletters"})
