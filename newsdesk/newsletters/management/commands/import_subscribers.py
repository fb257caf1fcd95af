from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsdesk.newsletters.imports.importer import UnreadableFile, import_subscribers
from newsdesk.newsletters.models import Newsletter


class Command(BaseCommand):
    help = (
        "Imports a subscriber list exported from Ghost, Mailchimp, Substack or a CSV with an email column "
        "into a newsletter, and prints a report. Imported addresses are pending (sent nothing) unless "
        "--confirmed is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The newsletter's slug.")
        parser.add_argument("file", type=Path, help="The exported CSV file.")
        parser.add_argument(
            "--confirmed",
            action="store_true",
            help="The readers agreed elsewhere: import them confirmed. Requires --consent-source.",
        )
        parser.add_argument(
            "--consent-source",
            default="",
            help='Where and how they agreed, e.g. "Ghost signup form, 2019–2025".',
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Write nothing; print the same report."
        )

    def handle(self, *args, slug, file, confirmed, consent_source, dry_run, **options):
        if confirmed and not consent_source.strip():
            raise CommandError(
                "--confirmed needs --consent-source TEXT saying where these readers agreed to receive the newsletter; "
                "it is kept in each consent record."
            )
        if consent_source and not confirmed:
            raise CommandError("--consent-source only applies with --confirmed.")
        newsletter = Newsletter.objects.filter(slug=slug).first()
        if newsletter is None:
            known = ", ".join(Newsletter.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"No newsletter with the slug “{slug}” (newsletters: {known}).")
        try:
            with file.open("rb") as stream:
                report = import_subscribers(
                    newsletter,
                    stream,
                    file.name,
                    # The command line acts as nobody in particular: "system" in the audit log.
                    user=None,
                    consent_source=consent_source.strip() or None,
                    dry_run=dry_run,
                )
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror or error}.") from error
        except UnreadableFile as error:
            raise CommandError(f"{file.name}: {error} Nothing was imported.") from error
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
        self.stdout.write("\n".join(report.lines()))
