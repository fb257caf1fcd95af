import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from newsdesk.newsletters.models import Newsletter
from newsdesk.newsletters.sending import issues, sends


def positive_hours(value):
    hours = float(value)
    if hours <= 0:
        raise ValueError
    return hours


class Command(BaseCommand):
    help = (
        "Builds an issue of the newsletter's latest stories (since its previous issue, or the last "
        "--since-hours) and sends it to its confirmed subscribers through the task worker."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The newsletter's slug.")
        parser.add_argument(
            "--subject",
            default="",
            help="The subject line; by default the newest story's headline.",
        )
        parser.add_argument(
            "--since-hours", type=positive_hours, help="Stories published in the last N hours."
        )
        parser.add_argument(
            "--wait",
            action="store_true",
            help="Print progress until the send is done; fail if any message failed.",
        )

    def handle(self, *args, slug, subject, since_hours, wait, **options):
        newsletter = Newsletter.objects.filter(slug=slug).first()
        if newsletter is None:
            known = ", ".join(Newsletter.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"No newsletter with the slug “{slug}” (newsletters: {known}).")
        try:
            issue = issues.build_issue(newsletter, subject.strip() or None, since_hours)
            # The command line acts as nobody in particular: "system" in the audit log.
            issue = sends.start(issue, user=None)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        total = issue.deliveries.count()
        self.stdout.write(f"Sending “{issue.subject}” (issue {issue.pk}) to {total} subscribers.")
        if not wait:
            return
        while True:
            progress = sends.progress(issue)
            self.stdout.write(
                f"sent {progress.sent}, failed {progress.failed}, remaining {progress.remaining}, "
                f"{progress.rate:.0f} messages/s"
            )
            if progress.done:
                break
            time.sleep(1)
        if progress.failed:
            raise CommandError(
                f"{progress.failed} of {progress.total} messages failed; see the issue in the admin."
            )
        self.stdout.write(
            f"Done: {progress.sent} sent, {progress.in_doubt} in doubt and sent again."
        )
