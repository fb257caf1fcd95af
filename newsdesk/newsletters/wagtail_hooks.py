from django.db.models import Count, Q
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import ListingButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from newsdesk.newsletters import admin_views
from newsdesk.newsletters.models import Issue, Newsletter, Subscription, Suppression

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


def _csv_safe(value):
    """Spreadsheets run cells that start with these as formulas; an address may legally start with one."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


class SubscriptionIndexView(IndexView):
    custom_field_preprocess = {"subscriber.email": {"csv": _csv_safe, "xlsx": _csv_safe}}


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
    list_display = ["email", "newsletter", "status", "requested_at", "confirmed_at", "unsubscribed_at"]
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


class IssueIndexView(IndexView):
    def get_list_buttons(self, instance):
        label = "Send" if instance.is_editable else "Progress"
        url = reverse("newsletters_issue_send", args=[instance.pk])
        return [ListingButton(label, url, icon_name="mail", priority=5), *super().get_list_buttons(instance)]


class IssueViewSet(SnippetViewSet):
    model = Issue
    icon = "mail"
    menu_label = "Issues"
    index_view_class = IssueIndexView
    list_display = ["subject", "newsletter", "status", "scheduled_at", "started_at", "finished_at"]
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
    items = (NewsletterViewSet, IssueViewSet, SubscriptionViewSet, SuppressionViewSet)
    menu_icon = "mail"
    menu_label = "Newsletters"
    menu_order = 310


register_permission_policy(Subscription, SubscriptionPermissionPolicy(Subscription))
register_snippet(NewslettersGroup)


@hooks.register("register_admin_urls")
def issue_admin_urls():
    return [
        path("newsletters/issues/<int:pk>/send/", admin_views.send_page, name="newsletters_issue_send"),
        path("newsletters/issues/<int:pk>/preview/", admin_views.preview, name="newsletters_issue_preview"),
        path("newsletters/issues/<int:pk>/progress/", admin_views.progress, name="newsletters_issue_progress"),
        path("newsletters/issues/<int:pk>/test/", admin_views.send_test, name="newsletters_issue_test"),
        path("newsletters/issues/<int:pk>/<str:action>/", admin_views.control, name="newsletters_issue_control"),
    ]
