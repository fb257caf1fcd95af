"""Columns for the admin's listings that say things in words, in the newsroom's time."""

from django.utils import formats, timezone
from django.utils.html import format_html
from wagtail.admin.ui.tables import Column, LiveStatusTagColumn

from newsdesk.core import humanise


class LocalTimeColumn(Column):
    """ "30 Nov 2026, 09:43": the moment in the admin's time zone, as the site shows it."""

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        moment = context["raw_value"]
        if moment:
            local = timezone.localtime(moment)
            context["value"] = format_html(
                '<time datetime="{}">{}</time>',
                local.isoformat(),
                formats.date_format(local, "DATETIME_FORMAT"),
            )
        return context


class DurationColumn(Column):
    """ "7 min 10 s" for a number of seconds."""

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        seconds = context["raw_value"]
        context["value"] = humanise.duration(seconds) if seconds else self.empty_value_display
        return context


class StatusColumn(LiveStatusTagColumn):
    """ "Live", "Draft", "Live + draft", "Scheduled": Wagtail's status, as a word that starts a sentence."""

    def get_value(self, instance):
        return instance.status_string.capitalize()
