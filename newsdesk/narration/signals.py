from newsdesk.articles.models import ArticlePage


def narrate_on_publish(sender, instance, **kwargs):
    """Every publish queues a narration; the worker skips it when the spoken text is unchanged."""
    if isinstance(instance, ArticlePage):
        from newsdesk.narration.tasks import request_narration

        request_narration(instance)
