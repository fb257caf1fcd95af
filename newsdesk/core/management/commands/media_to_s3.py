from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError

from newsdesk.core.storage import MediaStorage


class Command(BaseCommand):
    help = (
        "Copy media and private files from the local disk (NEWSDESK_DATA_DIR/media and "
        "/private) into object storage (NEWSDESK_S3_URL), under the same names. Files already "
        "in the bucket are left as they are, so it can be run again after an interruption."
    )

    def add_arguments(self, parser):
        parser.add_argument("--media", type=Path, default=settings.MEDIA_ROOT)
        parser.add_argument("--private", type=Path, default=settings.PRIVATE_ROOT)

    def handle(self, *args, media, private, **options):
        if not isinstance(storages["default"], MediaStorage):
            raise CommandError("Media are on the local disk: set NEWSDESK_S3_URL first.")
        if not media.is_dir() and not private.is_dir():
            raise CommandError(
                f"Neither {media} nor {private} is a folder: is NEWSDESK_DATA_DIR right?"
            )
        for folder, alias in ((media, "default"), (private, "private")):
            if not folder.is_dir():  # a site that never narrated has no private folder
                self.stdout.write(f"{folder}: no such folder, nothing to copy.")
                continue
            copied, present = self._copy(folder, storages[alias])
            self.stdout.write(f"{folder}: {copied} copied, {present} already there.")

    def _copy(self, folder, storage):
        copied = present = 0
        for path in sorted(folder.rglob("*")):
            if not path.is_file():
                continue
            name = path.relative_to(folder).as_posix()
            if storage.exists(name):
                present += 1
                continue
            with path.open("rb") as file:
                saved = storage.save(name, File(file, name=name))
            if saved != name:  # another process stored one meanwhile: keep that one
                storage.delete(saved)
                present += 1
            else:
                copied += 1
        return copied, present
