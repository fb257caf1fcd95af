from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from wagtail import hooks
from wagtail.permission_policies.pages import PagePermissionPolicy

from newsdesk.articles import admin_views, desk
from newsdesk.articles.models import ArticlePage, SectionPage
from newsdesk.articles.stories import StoryListingViewSet
from newsdesk.core.dashboard import DashboardPanel


class NewStoryPanel(DashboardPanel):
    name = "new-story"
    heading = "New story"
    order = 10
    template_name = "articles/dashboard/new_story.html"
    empty = "You may not add stories to any section."

    def get_items(self):
        return desk.sections_to_write_in(self.request.user)


class MyDraftsPanel(DashboardPanel):
    name = "my-drafts"
    heading = "My drafts"
    order = 30
    template_name = "articles/dashboard/drafts.html"
    empty = "No drafts of yours."

    def get_items(self):
        return desk.drafts().filter(owner=self.request.user)[: desk.SHOWN]


class DeskDraftsPanel(DashboardPanel):
    name = "desk-drafts"
    heading = "The desk’s drafts"
    order = 40
    template_name = "articles/dashboard/drafts.html"
    empty = "No drafts on the desk."

    def get_items(self):
        return desk.drafts().exclude(owner=self.request.user)[: desk.SHOWN]


class ScheduledPanel(DashboardPanel):
    name = "scheduled"
    heading = "Scheduled"
    order = 50
    template_name = "articles/dashboard/scheduled.html"
    empty = "Nothing scheduled."

    def get_items(self):
        return desk.scheduled_revisions()


@hooks.register("construct_homepage_panels")
def desk_panels(request, panels):
    # Those who write or edit stories; a newsletter editor's dashboard has no drafts to show.
    if not PagePermissionPolicy().user_has_any_permission(request.user, ["add", "change"]):
        return
    panels += [
        NewStoryPanel(request),
        MyDraftsPanel(request),
        DeskDraftsPanel(request),
        ScheduledPanel(request),
    ]


def new_story(request):
    """Straight from the dashboard's choice of section into the editor of a new story under it."""
    section_id = request.GET.get("section", "")
    if not section_id.isdigit() or len(section_id) > 18:
        raise Http404("No such section.")
    section = get_object_or_404(SectionPage, pk=int(section_id))
    if not section.permissions_for_user(request.user).can_add_subpage():
        raise Http404("No such section.")
    return redirect("wagtailadmin_pages:add", "articles", "articlepage", section.pk)


@hooks.register("register_admin_urls")
def articles_admin_urls():
    return [
        path("stories/new/", new_story, name="articles_new_story"),
        path(
            "articles/images/<id:pk>/facts/",
            admin_views.image_facts,
            name="articles_image_facts",
        ),
    ]


@hooks.register("register_admin_viewset")
def stories_listing():
    return StoryListingViewSet("stories")


@hooks.register("construct_page_action_menu")
def publish_first_for_stories(menu_items, request, context):
    """A story's main button is Publish (which opens the publish dialog), not Save draft."""
    page, parent = context.get("page"), context.get("parent_page")
    new_story = context.get("view") == "create" and isinstance(parent.specific, SectionPage)
    if not (isinstance(page, ArticlePage) or new_story):
        return
    publish = [item for item in menu_items if item.name == "action-publish"]
    if publish:
        menu_items.remove(publish[0])
        menu_items.insert(0, publish[0])
