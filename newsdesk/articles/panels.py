"""The editor's desk in the story editor: how the story will look where readers meet it, and one-step publishing.

editor-desk.js fills the previews and the checklist as the editor types; this
panel gives it what only the server knows (the section, the newsroom's name and
time zone, where the facts of a picture are read) and the publish dialog, inside
the page's form so that the dialog's time is sent with it.
"""

from django.urls import reverse
from django.utils import timezone
from wagtail.admin.panels import Panel

from newsdesk.articles.forms import PUBLISH_AT
from newsdesk.core.links import absolute_url
from newsdesk.core.models import NewsroomSettings

SEARCH_TITLE_LENGTH = 60  # about what a results page shows before it cuts a title


class EditorsDeskPanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "articles/admin/editors_desk_panel.html"

        class Media:
            js = ["articles/editor-desk.js"]
            css = {"all": ["articles/editor-desk.css"]}

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            parent = self.instance.get_parent() if self.instance.pk else self.form.parent_page
            section = parent.specific if parent else None
            now = timezone.localtime()
            user = self.request.user
            can_publish = (
                self.instance.permissions_for_user(user).can_publish()
                if self.instance.pk
                else bool(parent) and parent.permissions_for_user(user).can_publish_subpage()
            )
            context.update(
                {
                    "section": section,
                    "can_publish": can_publish,
                    "section_url": absolute_url(section.url) if section and section.url else "",
                    "newsroom": NewsroomSettings.for_request(self.request),
                    "time_zone": timezone.get_current_timezone_name(),
                    "now_local": now.strftime("%Y-%m-%dT%H:%M"),
                    "publish_at_name": PUBLISH_AT,
                    "publish_at_value": self.form.data.get(PUBLISH_AT, "")
                    if self.form.is_bound
                    else "",
                    "publish_at_errors": getattr(self.form, "publish_at_errors", []),
                    "image_facts_url": reverse("articles_image_facts", args=[0]),
                    "search_title_length": SEARCH_TITLE_LENGTH,
                    "headline_max_length": self.form.fields["title"].max_length,
                }
            )
            return context
