from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from newsdesk.mailcatcher import views


class OutboxMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(views.OUTBOX_PERMISSION)


@hooks.register("register_admin_urls")
def register_outbox_urls():
    # Wagtail puts these behind its admin login; the views refuse staff who may not manage subscribers.
    return [
        path("outbox/", views.outbox, name="mailcatcher_outbox"),
        path("outbox/<str:name>/", views.message, name="mailcatcher_message"),
    ]


@hooks.register("register_admin_menu_item")
def register_outbox_menu_item():
    return OutboxMenuItem("Outbox", reverse("mailcatcher_outbox"), icon_name="mail", order=320)
