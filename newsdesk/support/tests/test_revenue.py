"""The admin's revenue page: its figures, in a fixed number of queries, for staff with the permission only."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.utils import timezone

from newsdesk.members.models import Member, Membership, Payment
from newsdesk.support.models import Gift
from newsdesk.support.revenue import month_start, revenue

pytestmark = pytest.mark.django_db


@pytest.fixture
def books(tiers):
    """Members of each kind, payments this month and last."""
    now = timezone.now()
    last_month = month_start(now) - timedelta(days=2)
    rows = [
        ("m1@example.org", "supporter", "paid", 500, "EUR", "month"),
        ("m2@example.org", "supporter", "paid", 6000, "EUR", "year"),
        ("m3@example.org", "patron", "paid", 2000, "USD", "month"),
        ("f1@example.org", "free", "free", None, "", ""),
        ("c1@example.org", "patron", "comp", None, "", ""),
    ]
    for email, tier, source, amount, currency, interval in rows:
        member = Member.objects.create(email=email)
        Membership.objects.create(
            member=member,
            tier=tiers[tier],
            source=source,
            amount=amount,
            currency=currency,
            interval=interval,
        )
    old = Member.objects.create(email="old@example.org", created_at=last_month)
    Membership.objects.create(
        member=old,
        tier=tiers["supporter"],
        source="paid",
        started_at=last_month,
        status="lapsed",
        ended_at=now - timedelta(minutes=1),
        amount=500,
        currency="EUR",
        interval="month",
    )
    for amount, kind, recurring, paid_at in [
        (1000, "donation", False, now),
        (2500, "donation", False, now),
        (500, "donation", True, now),
        (9999, "donation", False, last_month),
        (1500, "gift", False, now),
    ]:
        Payment.objects.create(
            email="x@example.org",
            kind=kind,
            amount=amount,
            currency="EUR",
            recurring=recurring,
            paid_at=paid_at,
        )
    Gift.objects.create(
        buyer_email="b@example.org",
        recipient_email="r@example.org",
        tier=tiers["supporter"],
        months=3,
        claim_token_hash="a" * 64,
    )


def test_the_figures(books, campaign):
    figures = revenue()
    assert [(r["currency"], r["count"], r["total"]) for r in figures.recurring] == [
        ("EUR", 2, 500 + 500),  # €5 a month, and €60 a year as €5 a month
        ("USD", 1, 2000),
    ]
    assert {r["tier__name"]: r["count"] for r in figures.members_by_tier} == {
        "Free": 1,
        "Supporter": 2,
        "Patron": 2,
    }
    assert (figures.new_members, figures.new_paid, figures.lapsed) == (5, 3, 1)
    assert [(r["recurring"], r["count"], r["total"]) for r in figures.donations] == [
        (False, 2, 3500),
        (True, 1, 500),
    ]
    assert [(r["count"], r["total"]) for r in figures.gift_sales] == [(1, 1500)]
    assert figures.gifts == {"claimed_this_month": 0, "waiting": 1}
    assert [m.name for m in figures.campaigns] == ["1,000 new members by spring"]


def test_the_page_in_a_fixed_number_of_queries(
    books, editor_client, django_assert_max_num_queries, tiers
):
    with django_assert_max_num_queries(40) as few:
        editor_client.get("/admin/support/revenue/")
    for n in range(30):
        member = Member.objects.create(email=f"more{n}@example.org")
        Membership.objects.create(
            member=member,
            tier=tiers["supporter"],
            source="paid",
            amount=500,
            currency="EUR",
            interval="month",
        )
        Payment.objects.create(email="x@example.org", kind="donation", amount=100, currency="EUR")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = editor_client.get("/admin/support/revenue/")
    assert "€160.00" in page.content.decode()  # (1 + 30) × €5 a month, and €60 a year


def test_the_page_is_for_staff_with_the_permission_only(client, books):
    assert client.get("/admin/support/revenue/").status_code == 302  # to the admin's sign-in
    editor = User.objects.create_user("editor", "e@example.org", "pw")
    editors = Group.objects.create(name="Revenue-less editors")
    editors.permissions.add(Permission.objects.get(codename="access_admin"))
    editor.groups.add(editors)
    client.force_login(editor)
    denied = client.get("/admin/support/revenue/")
    assert denied.status_code in (302, 403)
    editors.permissions.add(Permission.objects.get(codename="view_revenue"))
    editor = User.objects.get(pk=editor.pk)
    client.force_login(editor)
    page = client.get("/admin/support/revenue/")
    assert page.status_code == 200 and "Monthly recurring revenue" in page.content.decode()
