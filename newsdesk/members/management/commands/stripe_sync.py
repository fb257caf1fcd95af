import stripe
from django.core.management.base import BaseCommand, CommandError

from newsdesk.members import billing
from newsdesk.members.payments import payments_configured


class Command(BaseCommand):
    help = (
        "Brings memberships, Stripe customers and paid invoices in line with Stripe, after an "
        "outage or lost webhooks. Safe to run again: it changes only what differs, and says what."
    )

    def handle(self, **options):
        if not payments_configured():
            raise CommandError("Payments are not set up: STRIPE_SECRET_KEY is empty.")
        try:
            changes = billing.sync()
        except stripe.StripeError as error:
            raise CommandError(f"Stripe answered: {error}") from error
        for change in changes:
            self.stdout.write(change)
        self.stdout.write(f"{len(changes)} change{'' if len(changes) == 1 else 's'}.")
