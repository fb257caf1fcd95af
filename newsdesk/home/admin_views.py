"""The admin's Front page: the lead, the top stories and the Editors' Picks on one screen, the page beside them."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.clickjacking import xframe_options_sameorigin
from wagtail.models import Site

from newsdesk.articles.models import published_articles
from newsdesk.curation.models import EditorsPicks, live_articles
from newsdesk.home import frontpage
from newsdesk.home.models import HomePage

RECENT_STORIES = 20
LONGEST_SEARCH = 100


def may_arrange(user) -> bool:
    home = HomePage.objects.first()
    return bool(
        home
        and home.permissions_for_user(user).can_publish()
        and user.has_perm("curation.change_editorspicks")
    )


def _home_and_site(request):
    if not may_arrange(request.user):
        raise PermissionDenied
    home = HomePage.objects.get()
    return home, Site.find_for_request(request) or home.get_site()


def _ids(values):
    try:
        return [int(value) for value in values]
    except ValueError as error:
        raise ValidationError("The lists were not sent as stories: reload the page.") from error


def front_page(request):
    home, site = _home_and_site(request)
    if request.method == "POST":
        try:
            frontpage.arrange(
                request.user,
                site,
                _ids(request.POST.getlist("stories")),
                _ids(request.POST.getlist("picks")),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "The front page is saved and live.")
            return redirect("home_front_page")
    context = {
        "page_title": "Front page",
        "header_icon": "home",
        "stories": live_articles(home.featured_stories),
        "picks": EditorsPicks.for_site(site).articles(),
    }
    return TemplateResponse(request, "home/admin/front_page.html", context)


def recent_stories(request):
    """Published stories, newest first, whose headline has the words asked for."""
    _home_and_site(request)
    query = request.GET.get("q", "")[:LONGEST_SEARCH].strip()
    stories = published_articles().defer_streamfields()
    if query:
        stories = stories.filter(title__icontains=query)
    return JsonResponse(
        {
            "stories": [
                {
                    "id": story.pk,
                    "title": story.title,
                    "published": story.first_published_at.isoformat(),
                }
                for story in stories[:RECENT_STORIES]
            ]
        }
    )


@xframe_options_sameorigin
def preview(request):
    """The front page as readers see it now, framed beside the lists."""
    home, _ = _home_and_site(request)
    return home.serve(request)
