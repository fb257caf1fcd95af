from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from newsdesk.mailcatcher import store

PER_PAGE = 50


def outbox(request):
    caught = Paginator(store.messages(settings.MAILCATCHER_DIR), PER_PAGE).get_page(
        request.GET.get("p")
    )
    return render(
        request,
        "mailcatcher/outbox.html",
        {"caught": caught, "email_url_set": bool(settings.EMAIL_URL), "header_icon": "mail"},
    )


def message(request, name):
    caught = store.get(settings.MAILCATCHER_DIR, name)
    if caught is None:
        raise Http404("No such message")
    return render(request, "mailcatcher/message.html", {"caught": caught, "header_icon": "mail"})
