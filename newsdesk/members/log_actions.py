"""What members write to Wagtail's audit log, and how the admin's history reports word it.

A reader's own steps (joining, deleting the account) have no acting user,
which Wagtail shows as "system"; a grant names the member of staff.
"""

from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from wagtail.log_actions import LogFormatter

JOIN = "members.join"
GRANT = "members.grant"
LAPSE = "members.lapse"
DELETE = "members.delete"
# Stripe's steps, logged as "system": the reader acted at Stripe, Stripe told us.
SUBSCRIBE = "members.subscribe"
SUBSCRIPTION_CHANGE = "members.subscription_change"
PAYMENT = "members.payment"
PAYMENT_FAILED = "members.payment_failed"
IMPORT = "members.import"


class ImportFormatter(LogFormatter):
    label = "Import from Ghost"

    def format_message(self, log_entry):
        data = log_entry.data
        return f"Imported from a Ghost export: {data.get('tier') or 'no tier'}, {data.get('source', '')}"


class GrantFormatter(LogFormatter):
    label = "Grant complimentary membership"

    def format_message(self, log_entry):
        data = log_entry.data
        until = parse_datetime(data.get("until") or "")
        ends = f" until {date_format(until, 'DATE_FORMAT')}" if until else ", without an end"
        return f"Granted {data.get('tier', '')}{ends}"


class SubscribeFormatter(LogFormatter):
    label = "Paid membership"

    def format_message(self, log_entry):
        data = log_entry.data
        return f"Paid membership of {data.get('tier', '')}, {data.get('interval', '')}ly, through Stripe"


class SubscriptionChangeFormatter(LogFormatter):
    label = "Paid membership changed"

    def format_message(self, log_entry):
        return "Stripe: " + ", ".join(log_entry.data.get("changes", []))


class PaymentFormatter(LogFormatter):
    label = "Payment"

    def format_message(self, log_entry):
        data = log_entry.data
        return (
            f"Paid {data.get('amount', '')} ({data.get('kind', '')}, {data.get('stripe_id', '')})"
        )


def register(actions):
    """For Wagtail's register_log_actions hook."""
    actions.register_action(JOIN, "Join", "Joined by signing in with an emailed link")
    actions.register_action(GRANT)(GrantFormatter)
    actions.register_action(LAPSE, "Membership lapsed", "Membership lapsed at its end")
    actions.register_action(DELETE, "Delete account", "Deleted their account")
    actions.register_action(SUBSCRIBE)(SubscribeFormatter)
    actions.register_action(SUBSCRIPTION_CHANGE)(SubscriptionChangeFormatter)
    actions.register_action(PAYMENT)(PaymentFormatter)
    actions.register_action(
        PAYMENT_FAILED, "Payment failed", "A renewal payment failed; told the member"
    )
    actions.register_action(IMPORT)(ImportFormatter)
