from django.core import signing
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from newsdesk.newsletters import audience
from newsdesk.newsletters.models import Newsletter, Subscriber, Subscription
from newsdesk.newsletters.subscribers import subscriptions, tokens
from newsdesk.newsletters.subscribers.forms import (
    PreferencesForm,
    SubscribeForm,
    subscribe_form_context,
)

THANKS = (
    "Thank you. Check your inbox: we have sent a confirmation email to {email}. "
    "Open the link in it to finish subscribing."
)


def index(request):
    newsletters = list(Newsletter.objects.filter(is_active=True).select_related("host"))
    restricted = audience.audiences()
    for newsletter in newsletters:
        newsletter.audience = restricted.get(newsletter.pk)
    return render(request, "newsletters/index.html", {"newsletters": newsletters})


# Subscribe forms sit on pages served from the page cache to every reader, so they
# carry no CSRF token. A forged post can do no more than the form itself: it only
# asks for a confirmation email (nothing changes until its link is followed),
# behind the honeypot, the signed fill time and the rate limits.
@csrf_exempt
@require_POST
def subscribe(request):
    """Answers the same whether the address is new, pending, confirmed, unsubscribed or a bot's."""
    form = SubscribeForm(request.POST)
    wants_json = "application/json" in request.headers.get("Accept", "")
    if form.is_valid():
        newsletters = list(form.cleaned_data["newsletter"])
        if not form.is_bot:
            source = form.cleaned_data["source"] or request.headers.get("Referer", "")
            consent = subscriptions.Consent.from_request(
                request, subscriptions.consent_wording(newsletters), source
            )
            subscriptions.request_subscription(form.cleaned_data["email"], newsletters, consent)
        message = THANKS.format(email=form.cleaned_data["email"])
        if wants_json:
            return JsonResponse({"ok": True, "message": message})
        context = subscribe_form_context(request, newsletters, form=form, message=message)
        return render(request, "newsletters/subscribe_result.html", context)

    if wants_json:
        errors = {field: " ".join(messages) for field, messages in form.errors.items()}
        return JsonResponse({"ok": False, "errors": errors}, status=400)
    offered = Newsletter.objects.filter(is_active=True, slug__in=request.POST.getlist("newsletter"))
    newsletters = list(offered.select_related("host")) or list(
        Newsletter.objects.filter(is_active=True)
    )
    context = subscribe_form_context(request, newsletters, form=form)
    return render(request, "newsletters/subscribe_result.html", context, status=400)


def _link_problem(request, expired=False):
    return render(request, "newsletters/link_problem.html", {"expired": expired}, status=400)


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """GET only shows a button, so that mail scanners following the link confirm nothing."""
    try:
        subscriber_id, newsletter_ids = tokens.read_confirmation(token)
    except signing.SignatureExpired:
        return _link_problem(request, expired=True)
    except signing.BadSignature:
        return _link_problem(request)
    named = list(
        Subscription.objects.filter(subscriber_id=subscriber_id, newsletter_id__in=newsletter_ids)
        .select_related("subscriber", "newsletter__host")
        .order_by("newsletter__name")
    )
    if not named:
        return _link_problem(request)
    if request.method == "POST":
        wording = subscriptions.confirm_wording([s.newsletter for s in named])
        consent = subscriptions.Consent.from_request(request, wording)
        subscriptions.confirm(named, consent)
    by_status = {
        status: [s for s in named if s.status == status] for status in Subscription.Status.values
    }
    return render(
        request,
        "newsletters/confirm.html",
        {
            "pending": by_status["pending"],
            "confirmed": by_status["confirmed"],
            "unsubscribed": by_status["unsubscribed"],
            "preferences_url": tokens.preferences_url(named[0].subscriber),
        },
    )


def preferences_form(request, subscriber):
    """The preferences form of a subscriber, and what its POST did ("saved", "left" or None).

    The preferences page and the members' account page both show it.
    """
    # Closed newsletters stay on the page while the reader still gets them, so they can leave;
    # so do newsletters for members they no longer are.
    receives = (
        Newsletter.objects.filter(
            subscriptions__subscriber=subscriber,
            subscriptions__status=Subscription.Status.CONFIRMED,
        )
        if subscriber.pk
        else Newsletter.objects.none()
    )
    not_for_them = [
        newsletter_id
        for newsletter_id, restricted in audience.audiences().items()
        if not restricted.admits_address(subscriber.email)
    ]
    shown = Newsletter.objects.filter(is_active=True).exclude(pk__in=not_for_them) | receives
    shown = shown.distinct().select_related("host").order_by("name")
    form = PreferencesForm(subscriber, shown, data=request.POST or None)
    done = None
    if request.method == "POST":
        if "leave_all" in request.POST:
            consent = subscriptions.Consent.from_request(request, subscriptions.LEAVE_WORDING)
            subscriptions.unsubscribe_all(subscriber, consent)
            done = "left"
        elif form.is_valid():
            consent = subscriptions.Consent.from_request(request, subscriptions.PREFERENCES_WORDING)
            subscriptions.set_preferences(
                subscriber, shown, form.cleaned_data["newsletters"], consent
            )
            done = "saved"
    if subscriber.pk is None:
        return form, done, set()
    pending = subscriber.subscriptions.filter(status=Subscription.Status.PENDING).values_list(
        "newsletter", flat=True
    )
    return form, done, set(pending)


@require_http_methods(["GET", "POST"])
def preferences(request, token):
    try:
        subscriber = Subscriber.objects.get(pk=tokens.read_preferences(token))
    except (signing.BadSignature, Subscriber.DoesNotExist):
        return _link_problem(request)
    form, done, pending = preferences_form(request, subscriber)
    if done:
        return redirect(request.path + "?done=" + done)
    return render(
        request,
        "newsletters/preferences.html",
        {
            "subscriber": subscriber,
            "form": form,
            "done": request.GET.get("done"),
            "pending": pending,
        },
        status=400 if form.errors else 200,
    )


# A mail client's one-click POST carries no cookies and no CSRF token; the signed link is the proof.
# The page names the reader's address: no shared cache may keep it.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """RFC 8058: a POST unsubscribes and answers 200, no redirect; a GET only shows the button."""
    try:
        subscriber_id, newsletter_id = tokens.read_unsubscribe(token)
        subscription = Subscription.objects.select_related("subscriber", "newsletter").get(
            subscriber_id=subscriber_id, newsletter_id=newsletter_id
        )
    except (signing.BadSignature, ValueError, TypeError, Subscription.DoesNotExist):
        return _link_problem(request)
    done = request.method == "POST"
    if done:
        consent = subscriptions.Consent.from_request(request, subscriptions.ONE_CLICK_WORDING)
        subscriptions.unsubscribe(subscription, consent)
    context = {
        "subscription": subscription,
        "done": done,
        "preferences_url": tokens.preferences_url(subscription.subscriber),
    }
    return render(request, "newsletters/unsubscribe.html", context)
