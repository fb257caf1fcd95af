from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from newsdesk.people.models import Contributor


class ContributorViewSet(SnippetViewSet):
    model = Contributor
    icon = "user"
    menu_label = "People and desks"
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "kind", "role"]
    list_filter = ["kind"]


register_snippet(ContributorViewSet)
