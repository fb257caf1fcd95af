from django.urls import path
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet
from wagtail.log_actions import LogFormatter

from newsdesk.content_import import views
from newsdesk.content_import.tasks import START_ACTION
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

    @actions.register_action(START_ACTION)
    class StartFormatter(LogFormatter):
        label = "Start content import"

        def format_message(self, log_entry):
            data = log_entry.data
            return f"Started importing “{data.get('file', '')}” ({data.get('format', '')})"


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(views.IMPORT_PERMISSION)


class ContentImportViewSet(ViewSet):
    """Upload an export, check the preview, start it, watch it; the views check the permission themselves."""

    name = "content_import"
    url_prefix = "import-content"
    icon = "upload"
    menu_label = "Import content"
    menu_item_class = ImportMenuItem
    add_to_settings_menu = True

    def get_urlpatterns(self):
        return [
            path("", views.upload, name="upload"),
            path("<id:pk>/", views.detail, name="detail"),
            path("<id:pk>/progress/", views.progress, name="progress"),
        ]


@hooks.register("register_admin_viewset")
def register_content_import_viewset():
    return ContentImportViewSet()
