from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets.button import Button
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets

from newsdesk.articles.models import ArticlePage
from newsdesk.core.dashboard import DashboardPanel
from newsdesk.narration import admin_views, workflows
from newsdesk.narration.models import Pronunciation


class PronunciationCreateView(snippets.CreateView):
    def save_instance(self):
        return workflows.add_pronunciation(self.form, self.request.user)


class PronunciationEditView(snippets.EditView):
    def save_instance(self):
        return workflows.change_pronunciation(self.form, self.request.user)


class PronunciationDeleteView(snippets.DeleteView):
    def delete_action(self):
        workflows.remove_pronunciation(self.object, self.request.user)


class PronunciationViewSet(snippets.SnippetViewSet):
    model = Pronunciation
    add_view_class = PronunciationCreateView
    edit_view_class = PronunciationEditView
    delete_view_class = PronunciationDeleteView
    icon = "media"
    menu_label = "Pronunciations"
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["word", "say_as"]
    search_fields = ["word"]


register_snippet(PronunciationViewSet)


@hooks.register("register_admin_urls")
def narration_admin_urls():
    return [
        path("narration/", admin_views.index, name="narration_admin"),
        path("narration/<id:page_id>/", admin_views.edit, name="narration_admin_edit"),
        path(
            "narration/<id:page_id>/narrate/",
            admin_views.narrate_again,
            name="narration_admin_narrate",
        ),
    ]


@hooks.register("register_admin_menu_item")
def narration_menu_item():
    return MenuItem("Narration", reverse("narration_admin"), icon_name="media", order=300)


@hooks.register("register_page_header_buttons")
def narration_header_button(page, user, view_name, next_url=None):
    if (
        isinstance(page.specific_deferred, ArticlePage)
        and page.permissions_for_user(user).can_publish()
    ):
        yield Button(
            "Narration",
            reverse("narration_admin_edit", args=[page.pk]),
            icon_name="media",
            priority=80,
        )


class ChangeNarrationFormatter(LogFormatter):
    label = "Change narration"

    def format_message(self, log_entry):
        data = log_entry.data
        if not data.get("enabled", True):
            return "Narration off"
        return f"Narration on, in {data.get('language', '?')}"


class PronunciationFormatter(LogFormatter):
    def format_message(self, log_entry):
        data = log_entry.data
        return f"{self.message}: {data.get('word')} said as {data.get('say_as')}"


class AddPronunciationFormatter(PronunciationFormatter):
    label = "Add a pronunciation"
    message = "Added to the pronunciation list"


class ChangePronunciationFormatter(PronunciationFormatter):
    label = "Change a pronunciation"
    message = "Pronunciation changed"


class RemovePronunciationFormatter(PronunciationFormatter):
    label = "Remove a pronunciation"
    message = "Removed from the pronunciation list"


@hooks.register("register_log_actions")
def narration_log_actions(actions):
    actions.register_action(workflows.RENARRATE, "Narrate again", "Narrated again")
    actions.register_action(workflows.CHANGE)(ChangeNarrationFormatter)
    actions.register_action(workflows.ADD_PRONUNCIATION)(AddPronunciationFormatter)
    actions.register_action(workflows.CHANGE_PRONUNCIATION)(ChangePronunciationFormatter)
    actions.register_action(workflows.REMOVE_PRONUNCIATION)(RemovePronunciationFormatter)


class RecentlyPublishedPanel(DashboardPanel):
    name = "recently-published"
    heading = "Recently published"
    order = 60
    template_name = "narration/dashboard/recently_published.html"
    empty = "Nothing published yet."

    def get_items(self):
        return (
            ArticlePage.objects.live()
            .select_related("narration")
            .order_by("-last_published_at", "-pk")[:8]
        )


@hooks.register("construct_homepage_panels")
def narration_panels(request, panels):
    panels.append(RecentlyPublishedPanel(request))
