"""What newsletters write to Wagtail's audit log, and how the admin's history reports word it.

Every entry names the acting user; an action taken from the command line or by
the worker's schedule has none, which Wagtail shows as "system".
"""

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from wagtail.log_actions import LogFormatter

SEND = "newsletters.send"
SCHEDULE = "newsletters.schedule"
SEND_TEST = "newsletters.send_test"
UNSCHEDULE = "newsletters.unschedule"
PAUSE = "newsletters.pause"
RESUME = "newsletters.resume"
CANCEL = "newsletters.cancel"
IMPORT = "newsletters.import"
EXPORT = "newsletters.export"


class SendFormatter(LogFormatter):
    label = "Send issue"

    def format_message(self, log_entry):
        data = log_entry.data
        when = " on schedule" if data.get("scheduled") else ""
        return f"Started sending{when} to {data.get('recipients', 0)} subscribers"


class ScheduleFormatter(LogFormatter):
    label = "Schedule issue"

    def format_message(self, log_entry):
        at = parse_datetime(log_entry.data.get("at", ""))
        if at is None:
            return "Scheduled"
        return f"Scheduled for {date_format(timezone.localtime(at), 'DATETIME_FORMAT')}"


class SendTestFormatter(LogFormatter):
    label = "Send a test"

    def format_message(self, log_entry):
        return f"Sent a test to {log_entry.data.get('to', '')}"


class ImportFormatter(LogFormatter):
    label = "Import subscribers"

    def format_message(self, log_entry):
        data = log_entry.data
        as_ = "confirmed" if data.get("confirmed") else "pending"
        return (
            f"Imported “{data.get('file', '')}” ({as_}): {data.get('imported', 0)} new, "
            f"{data.get('merged', 0)} merged, {data.get('skipped', 0)} skipped"
        )


class ExportFormatter(LogFormatter):
    label = "Export subscribers"

    def format_message(self, log_entry):
        return f"Exported the subscribers ({log_entry.data.get('format', 'CSV')})"


def register(actions):
    """For Wagtail's register_log_actions hook."""
    actions.register_action(SEND)(SendFormatter)
    actions.register_action(SCHEDULE)(ScheduleFormatter)
    actions.register_action(SEND_TEST)(SendTestFormatter)
    actions.register_action(UNSCHEDULE, "Unschedule issue", "Unscheduled: a draft again")
    actions.register_action(PAUSE, "Pause sending", "Paused sending")
    actions.register_action(RESUME, "Resume sending", "Resumed sending")
    actions.register_action(CANCEL, "Cancel sending", "Cancelled sending")
    actions.register_action(IMPORT)(ImportFormatter)
    actions.register_action(EXPORT)(ExportFormatter)
