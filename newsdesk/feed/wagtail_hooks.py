from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.views.home import HomeView
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from newsdesk.core.admin_tables import LocalTimeColumn, StatusColumn
from newsdesk.core.dashboard import DashboardPanel
from newsdesk.feed import posting
from newsdesk.feed.models import NewsItem


class NewsItemViewSet(SnippetViewSet):
    model = NewsItem
    icon = "time"
    menu_label = "News feed"
    menu_order = 200
    add_to_admin_menu = True
    list_display = [
        "headline",
        LocalTimeColumn("first_published_at", label="Published", sort_key="first_published_at"),
        StatusColumn(),
    ]
    ordering = ["-first_published_at"]


register_snippet(NewsItemViewSet)


class PostToFeedPanel(DashboardPanel):
    name = "post-to-feed"
    heading = "Post to the news feed"
    order = 20
    template_name = "feed/dashboard/post.html"

    def get_context_data(self, parent_context=None):
        # The form that failed to post, with its errors, else an empty one.
        form = getattr(self.request, "quick_post_form", None) or posting.QuickPostForm()
        return {**super().get_context_data(parent_context), "form": form}


@hooks.register("construct_homepage_panels")
def feed_panels(request, panels):
    if posting.may_post(request.user):
        panels.append(PostToFeedPanel(request))


@require_POST
def post_from_dashboard(request):
    if not posting.may_post(request.user):
        raise PermissionDenied
    form = posting.QuickPostForm(request.POST, request=request)
    if form.is_valid():
        item = posting.post_news_item(form, request.user)
        messages.success(request, f"Posted to the news feed: “{item.headline}”.")
        return redirect("wagtailadmin_home")
    # The dashboard again, its feed panel showing what was typed and what is wrong with it.
    request.quick_post_form = form
    dashboard = HomeView()
    dashboard.setup(request)
    response = dashboard.get(request)
    response.status_code = 400
    return response


@hooks.register("register_admin_urls")
def feed_admin_urls():
    return [path("feed/post/", post_from_dashboard, name="feed_post_from_dashboard")]
