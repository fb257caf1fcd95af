import re

import stripe
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from newsdesk.core.clientaddress import client_address
from newsdesk.members import accounts, billing, sessions, signin
from newsdesk.members.checkout import PaymentsUnavailable, kind_of
from newsdesk.members.forms import CheckoutForm, SignInForm
from newsdesk.members.models import Tier
from newsdesk.members.payments import payments_configured, stripe_client
from newsdesk.members.sessions import member_required
from newsdesk.newsletters.models import Subscriber
from newsdesk.newsletters.subscribers.subscriptions import Consent
from newsdesk.newsletters.subscribers.views import preferences_form

SENT = (
    "If {email} can be used here, we have sent a link to it. Open the link within "
    "{minutes} minutes to sign in, or to join if you are new. Check your spam folder if "
    "nothing arrives."
)
CHECKOUT_SESSION = re.compile(r"^cs_[A-Za-z0-9_]{1,200}$")


def membership(request):
    tiers = Tier.objects.filter(active=True)
    return render(
        request,
        "members/membership.html",
        {"tiers": tiers, "payments_set_up": payments_configured()},
    )


def _unavailable(request, status=503):
    return render(request, "members/payments_unavailable.html", status=status)


# The membership page is kept in the page cache, the same for everyone, so its forms
# carry no CSRF token: all a forged post could do is open a Checkout page.
@csrf_exempt
@never_cache
@require_POST
def membership_checkout(request):
    """A paid tier chosen: off to Stripe Checkout, as the member signed in or as a newcomer Checkout asks."""
    if not payments_configured():
        return redirect("membership")
    form = CheckoutForm(request.POST)
    if not form.is_valid():
        return render(request, "members/checkout_problem.html", {"form": form}, status=400)
    try:
        url = billing.checkout_for_tier(
            request,
            form.cleaned_data["tier"],
            form.cleaned_data["interval"],
            sessions.member_for(request),
        )
    except (PaymentsUnavailable, stripe.StripeError):
        return _unavailable(request)
    return redirect(url)


@never_cache
@require_GET
def membership_welcome(request):
    """Where Checkout sends the reader back: thanks, and (for a newcomer) the sign-in link is in the mail."""
    session_id = request.GET.get("session", "")
    if not payments_configured() or not CHECKOUT_SESSION.match(session_id):
        return render(request, "members/welcome.html", {"session": None}, status=400)
    try:
        session = stripe_client().v1.checkout.sessions.retrieve(session_id).to_dict()
    except stripe.InvalidRequestError:
        return render(request, "members/welcome.html", {"session": None}, status=400)
    except stripe.StripeError:
        return _unavailable(request)
    if kind_of(session) != billing.MEMBERSHIP:
        return render(request, "members/welcome.html", {"session": None}, status=400)
    member = sessions.member_for(request)
    if member is not None and session.get("client_reference_id") == str(member.key):
        return redirect(reverse("account") + "?done=joined")
    email = (session.get("customer_details") or {}).get("email") or session.get("customer_email")
    tier = Tier.objects.filter(slug=(session.get("metadata") or {}).get("tier", "")).first()
    return render(
        request,
        "members/welcome.html",
        {
            "session": session,
            "paid": session.get("status") == "complete",
            "email": email,
            "tier": tier,
        },
    )


# The pages of one reader: no shared cache may keep them.
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request):
    """Answers the same whether the address is a member's, new, suppressed, or over the limits."""
    if request.method == "GET":
        form = SignInForm(initial={"next": signin.safe_next(request.GET.get("next"))})
        return render(request, "members/sign_in.html", {"form": form})
    form = SignInForm(request.POST)
    if not form.is_valid():
        return render(request, "members/sign_in.html", {"form": form}, status=400)
    email = form.cleaned_data["email"]
    signin.request_link(email, client_address(request.META), form.cleaned_data["next"])
    minutes = int(signin.LINK_LIFETIME.total_seconds() // 60)
    return render(
        request,
        "members/sign_in_sent.html",
        {"message": SENT.format(email=email, minutes=minutes)},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in_link(request, token):
    """GET only shows the button, so that mail scanners following the link sign nobody in."""
    try:
        link = signin.check(token)
        if request.method == "GET":
            return render(
                request,
                "members/sign_in_link.html",
                {"email": link.email, "is_member": signin.is_member(link.email)},
            )
        member, link = signin.use(token)
    except signin.LinkProblem as problem:
        return render(
            request, "members/link_problem.html", {"expired": problem.expired}, status=400
        )
    response = redirect(link.next_path or reverse("account"))
    sessions.start(request, response, member)
    return response


@never_cache
@require_http_methods(["GET", "POST"])
@member_required
def account(request, member):
    # One person: the account's newsletters are those of the subscriber of the same address.
    # Made on their first choice, not on a look at the page: a GET writes nothing.
    subscriber = Subscriber.objects.filter(email__iexact=member.email).first()
    if subscriber is None:
        subscriber = Subscriber(email=member.email)
        if request.method == "POST":
            subscriber = Subscriber.objects.get_or_create(
                email__iexact=member.email, defaults={"email": member.email}
            )[0]
    form, done, pending = preferences_form(request, subscriber)
    if done:
        return redirect(reverse("account") + "?done=" + done)
    context = {
        "member": member,
        "membership": member.membership,
        "latest": member.latest_membership,
        "payments": member.payments.all()[:100],
        "can_manage_payments": payments_configured() and bool(member.stripe_customer_id),
        "subscriber": subscriber,
        "form": form,
        "done": request.GET.get("done"),
        "pending": pending,
        "payments_set_up": payments_configured(),
    }
    return render(request, "members/account.html", context, status=400 if form.errors else 200)


@never_cache
@require_POST
@member_required
def billing_portal(request, member):
    """Stripe's customer portal, where the member changes their card or cancels."""
    if not payments_configured() or not member.stripe_customer_id:
        return redirect("account")
    try:
        portal = stripe_client().v1.billing_portal.sessions.create(
            params={
                "customer": member.stripe_customer_id,
                "return_url": request.build_absolute_uri(reverse("account")),
            }
        )
    except stripe.StripeError:
        return _unavailable(request)
    return redirect(portal.url)


@never_cache
@require_POST
def sign_out(request):
    response = redirect(reverse("account_sign_in") + "?signed_out=1")
    sessions.end(request, response)
    return response


@never_cache
@require_http_methods(["GET", "POST"])
@member_required
def delete_account(request, member):
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            return render(
                request,
                "members/delete.html",
                {
                    "member": member,
                    "error": "Tick the box to confirm that you want to delete your account.",
                },
                status=400,
            )
        if payments_configured():
            try:
                billing.cancel_subscriptions(member)
            except stripe.StripeError:
                return render(
                    request,
                    "members/delete.html",
                    {
                        "member": member,
                        "error": "We could not cancel your paid membership at our payment "
                        "provider just now, so nothing is deleted. Please try again in a few minutes.",
                    },
                    status=503,
                )
        accounts.delete_account(member, Consent.from_request(request, accounts.DELETE_WORDING))
        response = render(request, "members/deleted.html")
        sessions.end(request, response)
        return response
    return render(
        request,
        "members/delete.html",
        {"member": member, "payments": member.payments.count(), "membership": member.membership},
    )
