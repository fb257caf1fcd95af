from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets.button import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from newsdesk.articles.models import ArticlePage
from newsdesk.narration import admin_views
from newsdesk.narration.models import Pronunciation


class PronunciationViewSet(SnippetViewSet):
    model = Pronunciation
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
