from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from newsdesk.members import accounts
from newsdesk.members.admin_views import end_of_day
from newsdesk.members.models import Tier
from newsdesk.newsletters.subscribers.addresses import normalise_address


class Command(BaseCommand):
    help = "Gives a reader a complimentary membership of a tier, in place of their current one."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("tier_slug")
        parser.add_argument("--until", help="The last day it runs, as YYYY-MM-DD; none: no end.")

    def handle(self, email, tier_slug, until=None, **options):
        try:
            email = normalise_address(email)
        except ValidationError as error:
            raise CommandError(f"EMAIL: {' '.join(error.messages)}") from error
        tier = Tier.objects.filter(slug=tier_slug).first()
        if tier is None:
            slugs = ", ".join(Tier.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"No tier {tier_slug!r}; TIER_SLUG is one of: {slugs}.")
        ends_at = None
        if until:
            try:
                ends_at = end_of_day(date.fromisoformat(until))
            except ValueError as error:
                raise CommandError(
                    f"--until must be a date as YYYY-MM-DD, not {until!r}."
                ) from error
        try:
            membership = accounts.grant_membership(email, tier, ends_at)
        except ValueError as error:
            raise CommandError(f"--until: {error}") from error
        ends = f" until {until}" if until else ""
        self.stdout.write(f"{membership.member.email} has {tier.name}, complimentary{ends}.")
