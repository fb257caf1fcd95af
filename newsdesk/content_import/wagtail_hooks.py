from wagtail import hooks
from wagtail.log_actions import LogFormatter

from newsdesk.content_import.writer import IMPORT_ACTION


@hooks.register("register_log_actions")
def content_import_log_actions(actions):
    @actions.register_action(IMPORT_ACTION)
    class ImportFormatter(LogFormatter):
        label = "Import"

        def format_message(self, log_entry):
            data = log_entry.data
            verb = "Updated from" if data.get("updated") else "Imported from"
            return f"{verb} “{data.get('file', '')}” ({data.get('format', '')} {data.get('source_id', '')})"
