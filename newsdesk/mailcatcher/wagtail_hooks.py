from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from newsdesk.mailcatcher import views


@hooks.register("register_admin_urls")
def register_outbox_urls():
    # Wagtail puts these behind its admin login: only staff who may use the admin see them.
    return [
        path("outbox/", views.outbox, name="mailcatcher_outbox"),
        path("outbox/<str:name>/", views.message, name="mailcatcher_message"),
    ]


@hooks.register("register_admin_menu_item")
def register_outbox_menu_item():
    return MenuItem("Outbox", reverse("mailcatcher_outbox"), icon_name="mail", order=320)
