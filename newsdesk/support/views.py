from datetime import timedelta

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from newsdesk.core import ratelimits
from newsdesk.core.clientaddress import client_address
from newsdesk.members import sessions
from newsdesk.members.checkout import PaymentsUnavailable
from newsdesk.members.payments import payments_configured
from newsdesk.support import campaigns, donations, gifts
from newsdesk.support.forms import DonationForm, GiftForm
from newsdesk.support.models import DonationSettings

# However the forms are used, one client address opens at most this many Checkout pages an hour.
CHECKOUTS_PER_IP = (30, timedelta(hours=1))
TOO_MANY = "Too many payment pages were opened from your network. Try again in an hour."
UNAVAILABLE = "Payments cannot be taken just now. Nothing was charged: try again in a few minutes."


def _within_checkout_limit(request) -> bool:
    count, period = CHECKOUTS_PER_IP
    return ratelimits.allow(
        "support-checkout", client_address(request.META), count, int(period.total_seconds())
    )


def _support_page(request, form, status=200):
    settings = form.donation_settings
    context = {
        "form": form,
        "donation_settings": settings,
        "payments_set_up": payments_configured(),
        "meter": campaigns.meter(),
    }
    return render(request, "support/support.html", context, status=status)


# The forms sit on pages kept for every reader, so they carry no CSRF token. A
# forged post can do no more than the form: open a Checkout page, which charges
# nobody until its reader pays; the rate limit bounds how many.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def support(request):
    settings = DonationSettings.load()
    if request.method == "GET":
        return _support_page(request, DonationForm(settings=settings))
    form = DonationForm(request.POST, settings=settings)
    if not payments_configured():
        return _support_page(request, form, status=400)
    if not form.is_valid():
        return _support_page(request, form, status=400)
    if not _within_checkout_limit(request):
        form.add_error(None, TOO_MANY)
        return _support_page(request, form, status=429)
    try:
        url = donations.checkout_url(
            request,
            amount=form.cleaned_data["amount_minor"],
            monthly=form.cleaned_data["frequency"] == "monthly",
            email=form.cleaned_data["email"],
        )
    except PaymentsUnavailable:
        form.add_error(None, UNAVAILABLE)
        return _support_page(request, form, status=503)
    return _see_other(url)


def _see_other(url):
    response = HttpResponse(status=303)
    response["Location"] = url
    return response


def thanks(request):
    return render(request, "support/thanks.html", {"gift": False})


def _gift_page(request, form, status=200):
    context = {"form": form, "payments_set_up": payments_configured()}
    return render(request, "support/gift.html", context, status=status)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def gift(request):
    if request.method == "GET":
        return _gift_page(request, GiftForm())
    form = GiftForm(request.POST)
    if not payments_configured() or not form.is_valid():
        return _gift_page(request, form, status=400)
    if not _within_checkout_limit(request):
        form.add_error(None, TOO_MANY)
        return _gift_page(request, form, status=429)
    data = form.cleaned_data
    try:
        url = gifts.checkout_url(
            request,
            buyer_email=data["buyer_email"],
            recipient_email=data["recipient_email"],
            tier=data["tier"],
            months=data["months"],
            message=data["message"],
        )
    except PaymentsUnavailable:
        form.add_error(None, UNAVAILABLE)
        return _gift_page(request, form, status=503)
    return _see_other(url)


def gift_thanks(request):
    return render(request, "support/thanks.html", {"gift": True})


@never_cache
@require_http_methods(["GET", "POST"])
def claim(request, token):
    """GET only shows the button, so that mail scanners following the link claim nothing."""
    try:
        if request.method == "GET":
            return render(request, "support/claim.html", {"gift": gifts.check(token)})
        member, _ = gifts.claim(token)
    except gifts.ClaimProblem as problem:
        return render(request, "support/claim_problem.html", {"problem": problem}, status=400)
    response = redirect(reverse("account") + "?gift=claimed")
    sessions.start(request, response, member)
    return response


@require_GET
def meter(request):
    """The running campaign's meter alone, for meter.js to refresh pages kept for longer."""
    html = render_to_string("support/includes/meter.html", {"meter": campaigns.meter()}, request)
    response = HttpResponse(html)
    patch_cache_control(response, public=True, max_age=campaigns.METER_SECONDS)
    return response
