"""Where uploaded files live: the default storage (media) and the "private" one.

On the local disk (the embedded profile) media are MEDIA_ROOT and private files a folder beside
it with no public address. With NEWSDESK_S3_URL both are in one S3-compatible bucket
(settings.py): media at the bucket's root, private files under `private/`. Readers fetch
pictures straight from the bucket or the CDN in front of it; everything else is read by the app
(storage.open) and served by views that check who may have it.
"""

import io
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from botocore.exceptions import ClientError
from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

# The only folders of the default storage readers fetch by address: Wagtail's image originals
# and renditions. Anything else there (Wagtail's documents, served by its checked view) is not
# public in the bucket, and an address handed out for it is signed.
PUBLIC_FOLDERS = ("original_images/", "images/")
# A picture's file never changes under its name (a replaced image gets a new name), so browsers
# and CDNs may keep it; a day, not a year, in case a deleted picture's name is taken again.
PUBLIC_CACHE_CONTROL = "public, max-age=86400"
SIGNED_URL_SECONDS = 300


def is_public(name: str) -> bool:
    return clean_name(name).lstrip("/").startswith(PUBLIC_FOLDERS)


class MediaStorage(S3Storage):
    """Media in object storage: pictures at stable, unsigned addresses that pages can be cached
    with; the other files of the default storage only at signed addresses that expire."""

    def get_object_parameters(self, name):
        parameters = super().get_object_parameters(name)
        if is_public(name):
            parameters.setdefault("CacheControl", PUBLIC_CACHE_CONTROL)
        return parameters

    def url(self, name, parameters=None, expire=None, http_method=None):
        if is_public(name) and (self.custom_domain or parameters):
            return super().url(name, parameters, expire, http_method)
        if is_public(name):
            # The unsigned path-style address boto3 would give, without its 0.2 ms a call: a page
            # of story cards carries a hundred addresses of pictures (docs/performance.md).
            key = quote(self._normalize_name(clean_name(name)), safe="/~")
            return f"{self.endpoint_url}/{self.bucket_name}/{key}"
        return self.connection.meta.client.generate_presigned_url(
            "get_object",
            Params={
                **(parameters or {}),
                "Bucket": self.bucket.name,
                "Key": self._normalize_name(clean_name(name)),
            },
            ExpiresIn=expire or SIGNED_URL_SECONDS,
            HttpMethod=http_method,
        )


class ObjectReader(io.RawIOBase):
    """A file in the bucket read from wherever it is asked, one GET from there to the end per
    seek, instead of a download of the whole object before the first byte (django-storages'
    S3File): a reader seeking in a story's audio gets those bytes at once."""

    def __init__(self, storage: S3Storage, name: str):
        super().__init__()
        self.name = name
        self._object = storage.bucket.Object(storage._normalize_name(clean_name(name)))
        try:
            self._size = self._object.content_length  # a HEAD request
        except ClientError as error:
            if error.response["Error"]["Code"] in {"404", "NoSuchKey"}:
                raise FileNotFoundError(name) from error
            raise
        self._position = 0
        self._body = None

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        start = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._size}[whence]
        if start + offset != self._position:
            self._drop_body()
            self._position = start + offset
        return self._position

    def read(self, size: int | None = -1) -> bytes:
        if self._position >= self._size:
            return b""
        if self._body is None:
            self._body = self._object.get(Range=f"bytes={self._position}-")["Body"]
        data = self._body.read(None if size is None or size < 0 else size)
        self._position += len(data)
        return data

    def close(self) -> None:
        self._drop_body()
        super().close()

    def _drop_body(self) -> None:
        if self._body is not None:
            self._body.close()
            self._body = None


def open_for_streaming(storage, name: str):
    """A file to hand to a FileResponse: read from any position, on the disk or in the bucket."""
    if isinstance(storage, S3Storage):
        return ObjectReader(storage, name)
    return storage.open(name, "rb")


def bucket_policy(bucket: str) -> dict:
    """The bucket policy newsdesk needs: anyone may read the picture folders, nothing else."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "NewsdeskPublicPictures",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": [f"arn:aws:s3:::{bucket}/{folder}*" for folder in PUBLIC_FOLDERS],
            }
        ],
    }


class PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages["private"]


private_storage = PrivateStorage()


def private_file_storage():
    """For a FileField's `storage`: a callable, so migrations name it rather than freeze it."""
    return private_storage


@contextmanager
def local_path(field_file) -> Iterator[Path]:
    """A stored file as a path on this machine, for readers that need one (a zip, a streamed
    parse): the file itself on the disk, a temporary copy of it from the bucket."""
    try:
        yield Path(field_file.path)
        return
    except NotImplementedError:  # object storage has no paths
        pass
    with tempfile.NamedTemporaryFile(suffix=Path(field_file.name).suffix) as copy:
        with field_file.open("rb") as stored:
            shutil.copyfileobj(stored, copy, 1024 * 1024)
        copy.flush()
        yield Path(copy.name)


@receiver(setting_changed)
def _storages_changed(setting, **kwargs):
    # As Django does for default_storage: a changed STORAGES setting (tests) takes effect.
    if setting == "STORAGES":
        private_storage._wrapped = empty
