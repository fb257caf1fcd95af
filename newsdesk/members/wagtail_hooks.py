from django.db.models import OuterRef, Subquery
from django.urls import path, reverse
from django_filters import ChoiceFilter, ModelChoiceFilter
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    HistoryView,
    IndexView,
    InspectView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from newsdesk.members import admin_views, history, log_actions
from newsdesk.members.models import Member, Membership, NewsletterAccess, StoryAccess, Tier


def _latest(field):
    return Subquery(
        Membership.objects.filter(member=OuterRef("pk"))
        .order_by("-started_at", "-pk")
        .values(field)[:1]
    )


class MemberFilterSet(WagtailFilterSet):
    """By the member's latest membership: its tier and its status."""

    tier = ModelChoiceFilter(label="Tier", queryset=Tier.objects.all(), field_name="latest_tier_id")
    status = ChoiceFilter(
        label="Status", choices=Membership.Status.choices, field_name="latest_status"
    )

    class Meta:
        model = Member
        fields = []


class MemberIndexView(IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .annotate(
                latest_tier_id=_latest("tier_id"),
                latest_tier=_latest("tier__name"),
                latest_status=_latest("status"),
                latest_source=_latest("source"),
                latest_ends_at=_latest("ends_at"),
            )
        )

    @property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.request.user.has_perm(admin_views.GRANT_PERMISSION):
            buttons.append(
                HeaderButton(
                    "Grant complimentary membership",
                    reverse("members_grant"),
                    icon_name="plus",
                )
            )
        return buttons


class MemberInspectView(InspectView):
    """The member's page: memberships, payments, newsletters with their consent records, sign-ins."""

    template_name = "members/admin/member.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "history": history.history_of(self.object)}


class MemberHistoryView(HistoryView):
    # Staff who may see members see each one's history: joined, granted, lapsed.
    any_permission_required = ["view"]


class MemberPermissionPolicy(ModelPermissionPolicy):
    """Members come from readers' own emailed links or a grant; staff look, and grant, but do not edit or delete."""

    def user_has_permission(self, user, action):
        return action not in ("add", "change", "delete") and super().user_has_permission(
            user, action
        )

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class MemberViewSet(SnippetViewSet):
    model = Member
    icon = "user"
    menu_label = "Members"
    index_view_class = MemberIndexView
    history_view_class = MemberHistoryView
    inspect_view_class = MemberInspectView
    filterset_class = MemberFilterSet
    list_display = [
        "email",
        Column("latest_tier", label="Tier"),
        Column("latest_status", label="Status"),
        Column("latest_source", label="Source"),
        Column("latest_ends_at", label="Ends"),
        "created_at",
        "last_signed_in_at",
    ]
    search_fields = ["email"]
    search_backend_name = None
    list_export = [
        "email",
        "latest_tier",
        "latest_status",
        "latest_source",
        "latest_ends_at",
        "created_at",
        "last_signed_in_at",
    ]
    export_headings = {
        "latest_tier": "Tier",
        "latest_status": "Status",
        "latest_source": "Source",
        "latest_ends_at": "Ends",
    }
    export_filename = "members"
    inspect_view_enabled = True


class TierViewSet(SnippetViewSet):
    model = Tier
    icon = "pick"
    menu_label = "Tiers"
    list_display = ["name", "monthly_price_display", "yearly_price_display", "is_free", "active"]
    list_filter = ["active"]


class StoryAccessViewSet(SnippetViewSet):
    model = StoryAccess
    icon = "lock"
    menu_label = "Gated stories"
    list_display = ["page", "level"]
    list_filter = ["level"]


class NewsletterAccessViewSet(SnippetViewSet):
    model = NewsletterAccess
    icon = "mail"
    menu_label = "Members' newsletters"
    list_display = ["newsletter", "level"]
    list_filter = ["level"]


class MembersGroup(SnippetViewSetGroup):
    items = (MemberViewSet, TierViewSet, StoryAccessViewSet, NewsletterAccessViewSet)
    menu_icon = "group"
    menu_label = "Members"
    menu_order = 320


register_permission_policy(Member, MemberPermissionPolicy(Member))
register_snippet(MembersGroup)


@hooks.register("register_admin_urls")
def grant_url():
    return [path("members/grant/", admin_views.grant, name="members_grant")]


@hooks.register("register_log_actions")
def register_member_log_actions(actions):
    log_actions.register(actions)
