"""A member's sign-in: a Django session of its own, under a cookie the page cache does not bypass.

Django's session cookie takes every request past the page cache and nginx's
micro-cache: it is for editors, whose pages differ from readers'. A member's
pages do not, except gated stories, so a member's session lives in the same
session store (server-side: signing out or deleting the account ends it for
good) under MEMBER_COOKIE, which the page cache knows as a reader cookie
(core/pagecache.py): members get kept pages, and gated stories live.

A member is not a Django user: a User per reader would put readers among the
admin's users and their groups, and Django's login would set the session cookie.
"""

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from importlib import import_module
from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from newsdesk.members.models import Member, Membership

MEMBER_COOKIE = "newsdesk_member"
_MEMBER_KEY = "newsdesk_member_key"


def _store(session_key=None):
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key)


def member_for(request: HttpRequest) -> Member | None:
    """The member signed in on this request, looked up once; None without the cookie, at no cost."""
    if not hasattr(request, "_newsdesk_member"):
        member = None
        session_key = request.COOKIES.get(MEMBER_COOKIE)
        if session_key:
            key = _store(session_key).get(_MEMBER_KEY)
            member = Member.objects.filter(key=key).first() if key else None
        request._newsdesk_member = member
    return request._newsdesk_member


def member_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For a member's own pages: the view gets the member signed in; anyone else is sent to sign in and back."""

    @wraps(view)
    def for_member(request: HttpRequest, *args, **kwargs):
        member = member_for(request)
        if member is None:
            return redirect(reverse("account_sign_in") + "?next=" + quote(request.path))
        return view(request, member, *args, **kwargs)

    return for_member


def membership_for(request: HttpRequest) -> Membership | None:
    member = member_for(request)
    return member.membership if member else None


def start(request: HttpRequest, response: HttpResponse, member: Member) -> None:
    """Signs the member in: a new session (never one the browser brought), named by a new cookie."""
    end(request, response)
    lifetime = timedelta(days=settings.MEMBER_SESSION_DAYS)
    store = _store()
    store[_MEMBER_KEY] = str(member.key)
    store.set_expiry(int(lifetime.total_seconds()))
    store.save()
    response.set_cookie(
        MEMBER_COOKIE,
        store.session_key,
        max_age=int(lifetime.total_seconds()),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    Member.objects.filter(pk=member.pk).update(last_signed_in_at=timezone.now())
    request._newsdesk_member = member


def end(request: HttpRequest, response: HttpResponse) -> None:
    session_key = request.COOKIES.get(MEMBER_COOKIE)
    if session_key:
        _store(session_key).delete()
        response.delete_cookie(MEMBER_COOKIE, samesite="Lax")
    request._newsdesk_member = None


def clear_expired() -> None:
    """The worker's once-a-minute job: every sign-in leaves a session, kept until its end, then cleared here."""
    _store().clear_expired()
