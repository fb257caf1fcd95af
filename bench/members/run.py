"""Members: Stripe's webhook under 10,000 signed events, and a gated story for a member beside the public page.

    .venv/bin/python bench/members/run.py [--events 10000] [--requests 300]

Runs in a throwaway data folder (SQLite, the embedded profile), in this
process, through Django's whole request path (the test client: middleware,
views, templates), against the Stripe stand-in of the tests
(members/tests/stripe_standin.py) on a loopback port.

1. Webhook: paid memberships are bought through Checkout and renewed on the
   stand-in until it holds --events events (customers, subscriptions,
   invoices paid, Checkout sessions completed), each then posted, signed, to
   /members/stripe/webhook/ in order: verified, stored by id, handled
   (subscriptions asked of the stand-in, payments kept, receipts queued). The
   reference, in the same run: the same events posted to the same endpoint
   with no handler registered (signature, storage, bookkeeping only).
2. Pages: one story gated for members, read in full by a signed-in member
   (rendered for them every time), beside the same story made public and read
   by an anonymous reader, rendered (page cache off) and from the page cache.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

# The stand-in needs no Django: only localstripe and aiohttp.
from newsdesk.members.tests.stripe_standin import WEBHOOK_PATH, signature  # noqa: E402


def buy_and_renew(api, tier, events, billing):
    """Paid memberships, each renewed, until the stand-in holds at least `events` events."""
    from django.test import RequestFactory

    from newsdesk.members.payments import stripe_client

    request = RequestFactory().get("/", HTTP_HOST="testserver")
    bought = 0
    while api.count() < events:
        bought += 1
        url = billing.checkout_for_tier(request, tier, "month", None)
        landing = api.pay(url, email=f"reader{bought}@example.org")
        session = stripe_client().v1.checkout.sessions.retrieve(landing.rsplit("=", 1)[1])
        # Three events a renewal: invoice.paid, invoice.payment_succeeded, subscription updated.
        for _ in range(6):
            api.renew(session.subscription)
    return api.events()[:events], bought


def post_all(client, secret, events):
    """Posts each event, signed, to the webhook as Stripe would; the seconds it took."""
    started = time.perf_counter()
    for entry in events:
        response = client.post(
            WEBHOOK_PATH,
            entry["payload"],
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE=signature(entry["payload"], secret),
        )
        if response.status_code != 200:
            raise SystemExit(f"{entry['type']} answered {response.status_code}")
    return time.perf_counter() - started


def time_requests(client, path, count):
    times = []
    for _ in range(count):
        started = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=300)
    options = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="newsdesk-bench-members-")
    for name in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"):
        os.environ.pop(name, None)
    os.environ.update(
        NEWSDESK_DATA_DIR=data_dir,
        NEWSDESK_DEMO="0",
        DJANGO_SETTINGS_MODULE="newsdesk.settings",
        DJANGO_ALLOW_ASYNC_UNSAFE="true",
    )
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment

    setup_test_environment()
    # Pages name their static files as they are, as in the tests: no collectstatic needed.
    override_settings(
        ALLOWED_HOSTS=["testserver"],
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ).enable()
    call_command("migrate", verbosity=0)

    from newsdesk.members import billing, payments, sessions
    from newsdesk.members.models import Member, Membership, Payment, StoryAccess, StripeEvent, Tier
    from newsdesk.members.tests.stripe_standin import Server, StripeAPI

    server = Server()
    api = StripeAPI(server.url)
    api.reset()
    settings.STRIPE_SECRET_KEY = api.secret_key
    settings.STRIPE_WEBHOOK_SECRET = api.webhook_secret
    settings.STRIPE_API_BASE = api.url
    tier = Tier.objects.create(
        name="Supporter", slug="supporter", monthly_price=500, yearly_price=5000
    )

    started = time.perf_counter()
    events, bought = buy_and_renew(api, tier, options.events, billing)
    print(
        f"{len(events)} events from {bought} memberships made on the stand-in "
        f"in {time.perf_counter() - started:.0f} s"
    )

    client = Client()
    handlers = dict(payments._handlers)
    payments._handlers.clear()
    reference = post_all(client, api.webhook_secret, events)
    payments._handlers.update(handlers)
    StripeEvent.objects.all().delete()
    handled = post_all(client, api.webhook_secret, events)

    memberships = Membership.objects.filter(source="paid").count()
    print(
        f"webhook, stored only (reference): {len(events) / reference:7.0f} events/s "
        f"({reference:.1f} s)"
    )
    print(
        f"webhook, handled:                 {len(events) / handled:7.0f} events/s "
        f"({handled:.1f} s; {memberships} paid memberships, {Payment.objects.count()} payments; "
        f"target 200/s)"
    )

    server.stop()

    # Pages: a story gated for members, and the same story public.
    from django.http import HttpRequest, HttpResponse

    from newsdesk.articles.models import ArticlePage

    call_command("generate_archive", articles=20, verbosity=0)
    story = ArticlePage.objects.live().order_by("pk").first()
    path = story.url
    member = Member.objects.filter(memberships__status="active").first()
    response = HttpResponse()
    sessions.start(HttpRequest(), response, member)
    reader = Client()
    reader.cookies[sessions.MEMBER_COOKIE] = response.cookies[sessions.MEMBER_COOKIE].value
    anonymous = Client()

    rule = StoryAccess.objects.create(page=story)
    settings.PAGE_CACHE_SECONDS = 300
    assert "article__gated" in reader.get(path).content.decode()
    gated = time_requests(reader, path, options.requests)
    rule.delete()
    settings.PAGE_CACHE_SECONDS = 0
    rendered = time_requests(anonymous, path, options.requests)
    settings.PAGE_CACHE_SECONDS = 300
    anonymous.get(path)
    kept = time_requests(anonymous, path, options.requests)
    print(f"story, public, anonymous, rendered (reference): {rendered * 1000:6.1f} ms median")
    print(f"story, public, anonymous, from the page cache:  {kept * 1000:6.1f} ms median")
    print(
        f"story, gated, signed-in member (rendered):      {gated * 1000:6.1f} ms median "
        f"({gated / rendered:.2f}x the rendered public page; target within 2x)"
    )


if __name__ == "__main__":
    main()
