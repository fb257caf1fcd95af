from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsdesk.content_import.sources import UnreadableExport
from newsdesk.content_import.writer import import_export, read_export


class Command(BaseCommand):
    help = (
        "Imports the stories and pages of a Ghost JSON export, a WordPress WXR export or a "
        "Substack export zip, with their pictures, authors and tags; the old addresses "
        "redirect to the new ones. Running it again imports only what changed. Prints a report."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The export file.")
        parser.add_argument(
            "--images",
            type=Path,
            metavar="DIR",
            help="Ghost's content/images folder: pictures are taken from it instead of the old site.",
        )
        parser.add_argument(
            "--site-url",
            default="",
            help="The old site's address, where its pictures are fetched from and its links are "
            "recognised (default: this site's NEWSDESK_SITE_URL, as a newsroom keeps its domain).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Write nothing; print the same report."
        )

    def handle(self, *args, file, images, site_url, dry_run, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file.")
        if images is not None and not images.is_dir():
            raise CommandError(f"--images {images}: no such folder.")
        if site_url and not site_url.startswith(("http://", "https://")):
            raise CommandError(f"--site-url {site_url}: expected an http:// or https:// address.")
        try:
            export = read_export(file, site_url=site_url)
        except UnreadableExport as error:
            raise CommandError(f"{file.name}: {error} Nothing was imported.") from error
        try:
            # The command line acts as nobody in particular: "system" in the audit log.
            report = import_export(
                export, images_dir=images, user=None, dry_run=dry_run, file_name=file.name
            )
        except UnreadableExport as error:
            raise CommandError(
                f"{file.name}: {error} What was imported before this point is kept; "
                "run the command again once the file is whole."
            ) from error
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
        self.stdout.write("\n".join(report.lines()))
