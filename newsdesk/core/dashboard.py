"""The newsroom's dashboard: the admin's home page, made of panels the apps contribute.

core keeps only the frame (wagtailadmin/home.html) and what every panel shares; each app adds
its own panels from its wagtail_hooks.py through Wagtail's construct_homepage_panels hook.
"""

from django.template.loader import render_to_string
from wagtail.admin.ui.components import Component
from wagtail.admin.views import home

# Wagtail's own panels (a page count, workflows, locks, recent edits) give way to the newsroom's.
WAGTAIL_PANELS = (
    home.WorkflowObjectsToModeratePanel,
    home.UserObjectsInWorkflowModerationPanel,
    home.RecentEditsPanel,
    home.LockedPagesPanel,
    home.WhatsNewInWagtailVersionPanel,
)


def without_wagtail_panels(panels: list) -> None:
    panels[:] = [panel for panel in panels if not isinstance(panel, WAGTAIL_PANELS)]


class DashboardPanel(Component):
    """A panel of the dashboard: a heading and, from its template, what it lists.

    Its template extends "core/dashboard/panel.html" and fills the block "body"; `empty`
    is what the panel says when get_items() finds nothing.
    """

    name = ""
    heading = ""
    order = 100
    empty = "Nothing yet."

    def __init__(self, request):
        self.request = request

    def get_items(self):
        return []

    def get_context_data(self, parent_context=None):
        return {
            "panel": self,
            "items": self.get_items(),
            "request": self.request,
            "user": self.request.user,
        }

    def render_html(self, parent_context=None):
        # With the request, so that forms get their CSRF token and templates the context processors.
        return render_to_string(
            self.template_name, self.get_context_data(parent_context), request=self.request
        )
