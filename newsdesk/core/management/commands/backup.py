import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsdesk.core.backups import take_backup

# The names --into gives, so --keep removes only backups it made itself.
DATED = re.compile(r"^newsdesk-\d{8}T\d{6}Z(\.tar)?$")


class Command(BaseCommand):
    help = (
        "Backs up the database, media and private files, with a manifest of checksums, "
        "while the site keeps running (docs/operations.md)."
    )

    def add_arguments(self, parser):
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument(
            "dest",
            nargs="?",
            type=Path,
            help="A new directory, or a file ending in .tar for the same directory in one file.",
        )
        where.add_argument(
            "--into",
            type=Path,
            help="A folder to write a dated backup into (newsdesk-YYYYMMDDTHHMMSSZ).",
        )
        parser.add_argument("--tar", action="store_true", help="With --into: one .tar file.")
        parser.add_argument(
            "--keep",
            type=int,
            help="With --into: then remove all but the newest KEEP dated backups there.",
        )

    def handle(self, *args, dest, into, tar, keep, **options):
        if (tar or keep is not None) and into is None:
            raise CommandError("--tar and --keep go with --into FOLDER.")
        if keep is not None and not 1 <= keep <= 10000:
            raise CommandError("--keep expects a number of backups from 1 to 10000.")
        if into is not None:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            dest = into / f"newsdesk-{stamp}{'.tar' if tar else ''}"
        manifest = take_backup(dest, log=self.stdout.write)
        self.stdout.write(
            f"Backed up {sum(manifest['rows'].values())} rows and {len(manifest['files'])} files "
            f"to {dest}"
        )
        if keep is not None:
            dated = sorted(path for path in into.iterdir() if DATED.match(path.name))
            for old in dated[:-keep]:
                if old.is_dir():
                    shutil.rmtree(old)
                else:
                    old.unlink()
                self.stdout.write(f"Removed the older backup {old}")
