"""Where narration audio and captions live: the "private" storage, which has no public address.

Readers get them only through the narration views, which check that the story is live and
public, so unpublishing or deleting a story withdraws its audio at once, wherever the files
are kept (the data folder behind nginx, or object storage), and republishing brings it back.
"""

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages["private"]


private_storage = PrivateStorage()


def narration_storage():
    return private_storage


@receiver(setting_changed)
def _storages_changed(setting, **kwargs):
    # As Django does for default_storage: a changed STORAGES setting (tests) takes effect.
    if setting == "STORAGES":
        private_storage._wrapped = empty
