from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from newsdesk.home import admin_views, frontpage


class FrontPageMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.may_arrange(request.user)


@hooks.register("register_admin_menu_item")
def front_page_menu_item():
    return FrontPageMenuItem("Front page", reverse("home_front_page"), icon_name="home", order=150)


@hooks.register("register_admin_urls")
def front_page_urls():
    return [
        path("front-page/", admin_views.front_page, name="home_front_page"),
        path("front-page/stories/", admin_views.recent_stories, name="home_front_page_stories"),
        path("front-page/preview/", admin_views.preview, name="home_front_page_preview"),
    ]


@hooks.register("register_log_actions")
def front_page_log_actions(actions):
    actions.register_action(
        frontpage.ARRANGE, "Arrange the front page", "Arranged the front page and the picks"
    )
