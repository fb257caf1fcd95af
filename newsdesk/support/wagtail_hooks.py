from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from newsdesk.support import admin_views, campaigns, log_actions
from newsdesk.support.models import Campaign


class CampaignViewSet(SnippetViewSet):
    model = Campaign
    icon = "pick"
    menu_label = "Campaigns"
    menu_order = 330
    add_to_admin_menu = True
    list_display = ["name", "goal_kind", "goal", "starts_at", "ends_at"]
    list_filter = ["goal_kind"]


register_snippet(CampaignViewSet)


class CampaignPanel(Component):
    """The running campaign's meter on the admin's dashboard."""

    name = "campaign"
    order = 90
    template_name = "support/admin/campaign_panel.html"

    def get_context_data(self, parent_context=None):
        return {"meter": campaigns.meter()}


@hooks.register("construct_homepage_panels")
def add_campaign_panel(request, panels):
    panels.append(CampaignPanel())


class RevenueMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.REVENUE_PERMISSION)


@hooks.register("register_reports_menu_item")
def revenue_menu_item():
    return RevenueMenuItem("Revenue", reverse("support_revenue"), icon_name="table", order=50)


@hooks.register("register_admin_urls")
def revenue_url():
    return [path("support/revenue/", admin_views.revenue_page, name="support_revenue")]


@hooks.register("register_log_actions")
def register_support_log_actions(actions):
    log_actions.register(actions)
