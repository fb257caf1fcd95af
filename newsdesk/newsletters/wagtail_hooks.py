from datetime import datetime, time, timedelta

from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.urls import path, reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.widgets import ListingButton
from wagtail.admin.widgets.button import Button
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from newsdesk.core.admin_tables import LocalTimeColumn
from newsdesk.core.dashboard import DashboardPanel
from newsdesk.newsletters import log_actions
from newsdesk.newsletters.imports import exports
from newsdesk.newsletters.imports import views as subscriber_list_views
from newsdesk.newsletters.models import Issue, Newsletter, Subscription, Suppression
from newsdesk.newsletters.sending import views as issue_views

Status = Subscription.Status


class NewsletterIndexView(IndexView):
    def get_base_queryset(self):
        counts = {
            f"{status}_count": Count("subscriptions", filter=Q(subscriptions__status=status))
            for status in Status.values
        }
        return super().get_base_queryset().select_related("host").annotate(**counts)


class NewsletterViewSet(SnippetViewSet):
    model = Newsletter
    icon = "mail"
    menu_label = "Newsletters"
    index_view_class = NewsletterIndexView
    list_display = [
        "name",
        "host",
        "cadence",
        Column("confirmed_count", label="Confirmed"),
        Column("pending_count", label="Pending"),
        Column("unsubscribed_count", label="Unsubscribed"),
        "is_active",
    ]
    list_filter = ["is_active"]
    search_fields = ["name", "description"]
    search_backend_name = None


class SubscriptionIndexView(IndexView):
    def as_spreadsheet(self, queryset, spreadsheet_format):
        # One entry for each newsletter whose readers are in the file.
        for newsletter in Newsletter.objects.filter(pk__in=queryset.values("newsletter_id")):
            exports.log_export(newsletter, self.request.user, spreadsheet_format.upper())
        return super().as_spreadsheet(queryset, spreadsheet_format)


class SubscriptionPermissionPolicy(ModelPermissionPolicy):
    """Subscriptions come only from readers' own double opt-in; editors may look and delete, not add or edit."""

    def user_has_permission(self, user, action):
        return action not in ("add", "change") and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class SubscriptionViewSet(SnippetViewSet):
    model = Subscription
    icon = "group"
    menu_label = "Subscribers"
    index_view_class = SubscriptionIndexView
    list_display = [
        "email",
        "newsletter",
        "status",
        "requested_at",
        "confirmed_at",
        "unsubscribed_at",
    ]
    list_filter = ["newsletter", "status"]
    search_fields = ["subscriber__email"]
    search_backend_name = None
    list_export = [
        "subscriber.email",
        "newsletter.slug",
        "status",
        "requested_at",
        "confirmed_at",
        "unsubscribed_at",
        "unsubscribe_method",
    ]
    export_headings = {"subscriber.email": "Email", "newsletter.slug": "Newsletter"}
    export_filename = "subscribers"
    inspect_view_enabled = True


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(subscriber_list_views.IMPORT_PERMISSION)


class SubscriberImportViewSet(ViewSet):
    """Upload a list, check the preview, start it, watch it; the views check the permission themselves."""

    name = "subscriber_import"
    url_prefix = "newsletters/import"
    icon = "upload"
    menu_label = "Import subscribers"
    menu_item_class = ImportMenuItem

    def get_urlpatterns(self):
        return [
            path("", subscriber_list_views.upload, name="upload"),
            path("<id:pk>/", subscriber_list_views.detail, name="detail"),
            path("<id:pk>/progress/", subscriber_list_views.progress, name="progress"),
        ]


class IssueIndexView(IndexView):
    def get_list_buttons(self, instance):
        label = "Send" if instance.is_editable else "Progress"
        url = reverse("newsletters_issue_send", args=[instance.pk])
        return [
            ListingButton(label, url, icon_name="mail", priority=5),
            *super().get_list_buttons(instance),
        ]


class IssueViewSet(SnippetViewSet):
    model = Issue
    icon = "mail"
    menu_label = "Issues"
    index_view_class = IssueIndexView
    list_display = [
        "subject",
        "newsletter",
        "status",
        LocalTimeColumn("scheduled_at", label="Scheduled for", sort_key="scheduled_at"),
        LocalTimeColumn("started_at", label="Started", sort_key="started_at"),
        LocalTimeColumn("finished_at", label="Finished", sort_key="finished_at"),
    ]
    list_filter = ["newsletter", "status"]
    search_fields = ["subject"]
    search_backend_name = None


class SuppressionViewSet(SnippetViewSet):
    """Addresses nothing is sent to; deleting one lifts it."""

    model = Suppression
    icon = "cross"
    menu_label = "Suppression list"
    list_display = ["email", "reason", "source", "detail", "created_at"]
    list_filter = ["reason", "source"]
    search_fields = ["email"]
    search_backend_name = None


class NewslettersGroup(SnippetViewSetGroup):
    items = (
        NewsletterViewSet,
        IssueViewSet,
        SubscriptionViewSet,
        SuppressionViewSet,
        SubscriberImportViewSet,
    )
    menu_icon = "mail"
    menu_label = "Newsletters"
    menu_order = 310


register_permission_policy(Subscription, SubscriptionPermissionPolicy(Subscription))
register_snippet(NewslettersGroup)


@hooks.register("register_admin_urls")
def ghost_export_url():
    return [
        path(
            "newsletters/<id:newsletter_id>/ghost-members.csv",
            subscriber_list_views.ghost_export,
            name="newsletters_ghost_export",
        )
    ]


@hooks.register("register_snippet_listing_buttons")
def ghost_export_button(snippet, user, next_url=None):
    if isinstance(snippet, Newsletter) and subscriber_list_views.can_export(user):
        yield Button(
            "Export for Ghost (CSV)",
            reverse("newsletters_ghost_export", args=[snippet.pk]),
            icon_name="download",
            priority=90,
        )


@hooks.register("register_admin_urls")
def issue_admin_urls():
    return [
        path(
            "newsletters/issues/<id:pk>/send/",
            issue_views.send_page,
            name="newsletters_issue_send",
        ),
        path(
            "newsletters/issues/<id:pk>/preview/",
            issue_views.preview,
            name="newsletters_issue_preview",
        ),
        path(
            "newsletters/issues/<id:pk>/progress/",
            issue_views.progress,
            name="newsletters_issue_progress",
        ),
        path(
            "newsletters/issues/<id:pk>/test/",
            issue_views.send_test,
            name="newsletters_issue_test",
        ),
        path(
            "newsletters/issues/<id:pk>/<str:action>/",
            issue_views.control,
            name="newsletters_issue_control",
        ),
    ]


@hooks.register("register_log_actions")
def register_newsletter_log_actions(actions):
    log_actions.register(actions)


class TodaysSendsPanel(DashboardPanel):
    """Issues that go out, went out or are going out today, in the newsroom's day."""

    name = "todays-sends"
    heading = "Today’s newsletter sends"
    order = 70
    template_name = "newsletters/dashboard/todays_sends.html"
    empty = "No newsletter goes out today."

    def get_items(self):
        today = timezone.localdate()
        start = timezone.make_aware(datetime.combine(today, time.min))
        end = start + timedelta(days=1)
        today_only = Q(scheduled_at__gte=start, scheduled_at__lt=end) | Q(
            started_at__gte=start, started_at__lt=end
        )
        return (
            Issue.objects.filter(today_only | Q(status=Issue.Status.SENDING))
            .select_related("newsletter")
            .order_by(Coalesce("started_at", "scheduled_at"))[:8]
        )


@hooks.register("construct_homepage_panels")
def newsletter_panels(request, panels):
    if request.user.has_perm("newsletters.view_issue"):
        panels.append(TodaysSendsPanel(request))
