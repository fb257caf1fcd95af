from django.db import transaction

from newsdesk.articles.models import ArticlePage


def narrate_on_publish(sender, instance, **kwargs):
    """Every publish queues a narration; the worker skips it when the spoken text is unchanged."""
    if isinstance(instance, ArticlePage):
        from newsdesk.narration.tasks import request_narration

        request_narration(instance)


def remove_files_of_deleted(sender, instance, **kwargs):
    """A deleted story's audio and captions go with it (its narration row goes by cascade)."""
    names = [name for name in (instance.audio.name, instance.captions.name) if name]
    storage = instance.audio.storage

    def delete():
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete)
