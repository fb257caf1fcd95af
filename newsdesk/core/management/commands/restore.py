from pathlib import Path

from django.core.management.base import BaseCommand

from newsdesk.core.backups import restore


class Command(BaseCommand):
    help = (
        "Restores a backup made by `newsdesk backup` into this newsdesk's (empty) database and "
        "storages after checking every checksum, then migrates it forward (docs/operations.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("src", type=Path, help="A backup directory or .tar file.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace the database and the backup's files even if this newsdesk holds data.",
        )

    def handle(self, *args, src, force, **options):
        restore(src, force=force, log=self.stdout.write)
        self.stdout.write(f"Restored {src}.")
