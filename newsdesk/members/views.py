from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from newsdesk.core.clientaddress import client_address
from newsdesk.members import accounts, sessions, signin
from newsdesk.members.forms import SignInForm
from newsdesk.members.models import Tier
from newsdesk.newsletters.models import Subscriber
from newsdesk.newsletters.subscribers.subscriptions import Consent
from newsdesk.newsletters.subscribers.views import preferences_form

SENT = (
    "If {email} can be used here, we have sent a link to it. Open the link within "
    "{minutes} minutes to sign in, or to join if you are new. Check your spam folder if "
    "nothing arrives."
)


def payments_set_up() -> bool:
    return bool(settings.STRIPE_SECRET_KEY)


def membership(request):
    tiers = Tier.objects.filter(active=True)
    return render(
        request,
        "members/membership.html",
        {"tiers": tiers, "payments_set_up": payments_set_up()},
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
def account(request):
    member = sessions.member_for(request)
    if member is None:
        return redirect(reverse("account_sign_in") + "?next=" + reverse("account"))
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
        "subscriber": subscriber,
        "form": form,
        "done": request.GET.get("done"),
        "pending": pending,
        "payments_set_up": payments_set_up(),
    }
    return render(request, "members/account.html", context, status=400 if form.errors else 200)


@never_cache
@require_POST
def sign_out(request):
    response = redirect(reverse("account_sign_in") + "?signed_out=1")
    sessions.end(request, response)
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def delete_account(request):
    member = sessions.member_for(request)
    if member is None:
        return redirect(reverse("account_sign_in") + "?next=" + reverse("account_delete"))
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
        accounts.delete_account(member, Consent.from_request(request, accounts.DELETE_WORDING))
        response = render(request, "members/deleted.html")
        sessions.end(request, response)
        return response
    return render(request, "members/delete.html", {"member": member})
