"""Where narration audio and captions live: the "private" storage, which has no public address.

Readers get them only through the narration views, which check that the story is live and
public, so unpublishing or deleting a story withdraws its audio at once, wherever the files
are kept (the data folder behind nginx, or object storage), and republishing brings it back.
"""

from newsdesk.core.storage import private_storage


def narration_storage():
    return private_storage
