from functools import wraps

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.defaults import permission_denied

from newsdesk.mailcatcher import store

PER_PAGE = 50
# Caught mail holds readers' confirmation and never-expiring preferences links: whoever reads it can
# act for those readers, so only staff who may already remove subscriptions (newsletters app) see it.
OUTBOX_PERMISSION = "newsletters.delete_subscription"


def manages_subscribers(view):
    # A plain 403, not raised: Wagtail's admin would turn PermissionDenied into a redirect home.
    @wraps(view)
    def checked(request, *args, **kwargs):
        if not request.user.has_perm(OUTBOX_PERMISSION):
            return permission_denied(request, PermissionDenied())
        return view(request, *args, **kwargs)

    return checked


@manages_subscribers
def outbox(request):
    caught = Paginator(store.messages(settings.MAILCATCHER_DIR), PER_PAGE).get_page(
        request.GET.get("p")
    )
    return render(
        request,
        "mailcatcher/outbox.html",
        {"caught": caught, "email_url_set": bool(settings.EMAIL_URL), "header_icon": "mail"},
    )


@manages_subscribers
def message(request, name):
    caught = store.get(settings.MAILCATCHER_DIR, name)
    if caught is None:
        raise Http404("No such message")
    return render(request, "mailcatcher/message.html", {"caught": caught, "header_icon": "mail"})
