"""The "private" storage (STORAGES["private"]): files with no public address.

Outside MEDIA_ROOT, never served by nginx or /media/: each app that keeps files
here (narrated audio, uploaded exports) hands them out only through views of
its own that check who may have them, or never.
"""

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages["private"]


private_storage = PrivateStorage()


@receiver(setting_changed)
def _storages_changed(setting, **kwargs):
    # As Django does for default_storage: a changed STORAGES setting (tests) takes effect.
    if setting == "STORAGES":
        private_storage._wrapped = empty
