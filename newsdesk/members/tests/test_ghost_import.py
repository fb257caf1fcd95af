"""A Ghost members export brings members: complimentary, paid (to be confirmed by stripe_sync) and free."""

import io

import pytest
from wagtail.models import ModelLogEntry

from newsdesk.members.models import Member, Membership
from newsdesk.newsletters.imports.importer import import_subscribers
from newsdesk.newsletters.models import Newsletter, Subscriber
from newsdesk.newsletters.tests.test_import import GHOST

pytestmark = pytest.mark.django_db

ROWS = [
    # id,email,name,note,subscribed_to_emails,complimentary_plan,stripe_customer_id,created_at,deleted_at,labels,tiers
    "1,Comped@Example.org,Comped,,true,true,,2024-01-02T03:04:05.000Z,,,Patron",
    "2,paid@example.org,Paying,,false,false,cus_123,2024-01-02T03:04:05.000Z,,,Supporter",
    "3,free@example.org,Free,,true,false,,2024-01-02T03:04:05.000Z,,,",
    "4,unknown-tier@example.org,Other,,true,true,,2024-01-02T03:04:05.000Z,,,Founding members",
    "5,gone@example.org,Gone,,false,false,,2024-01-02T03:04:05.000Z,2024-05-01T00:00:00.000Z,,",
]


@pytest.fixture
def letter(newsroom):
    return Newsletter.objects.create(
        slug="briefing",
        name="The Briefing",
        description="Mornings.",
        host=newsroom["reporter"],
        cadence="Daily",
        sender_name="The Briefing",
        sender_address="briefing@ledger.example.org",
    )


def run(letter):
    csv = "\n".join([GHOST, *ROWS]).encode()
    return import_subscribers(letter, io.BytesIO(csv), "ghost.csv", consent_source="Ghost")


def standing():
    return sorted(
        (m.member.email, m.tier.slug, m.source, m.status, m.to_confirm)
        for m in Membership.objects.select_related("member", "tier")
    )


def test_comped_paid_and_free_members_arrive_as_members(letter, tiers):
    report = run(letter)
    assert standing() == [
        ("Comped@example.org", "free", "free", "cancelled", False),
        ("Comped@example.org", "patron", "comp", "active", False),
        ("free@example.org", "free", "free", "active", False),
        ("paid@example.org", "free", "free", "cancelled", False),
        ("paid@example.org", "supporter", "paid", "active", True),
        ("unknown-tier@example.org", "free", "free", "cancelled", False),
        ("unknown-tier@example.org", "supporter", "comp", "active", False),
    ]
    assert Member.objects.get(email="paid@example.org").stripe_customer_id == "cus_123"
    # A member deleted in Ghost is no member here; their address stays an unsubscribed subscriber.
    assert not Member.objects.filter(email="gone@example.org").exists()
    assert Subscriber.objects.filter(email="gone@example.org").exists()
    assert report.notes == {"no tier named as in the export's tiers column: given Supporter": [5]}
    assert any(line.startswith("Note: no tier named") for line in report.lines())
    assert ModelLogEntry.objects.filter(action="members.import").count() == 7


def test_an_import_run_again_changes_nothing(letter, tiers):
    run(letter)
    before = standing(), list(Member.objects.values_list("email", "stripe_customer_id"))
    run(letter)
    assert (standing(), list(Member.objects.values_list("email", "stripe_customer_id"))) == before


def test_an_existing_member_keeps_a_membership_newsdesk_knows_better(
    letter, tiers, sign_in, client
):
    sign_in(client, "paid@example.org")
    Membership.objects.filter(member__email="paid@example.org").update(
        source=Membership.Source.GIFT, tier=tiers["patron"]
    )
    run(letter)
    assert Membership.objects.get(member__email="paid@example.org").source == "gift"
    assert Member.objects.get(email="paid@example.org").stripe_customer_id == "cus_123"


def test_without_a_paid_tier_a_comped_member_gets_the_free_tier_and_a_note(letter):
    report = run(letter)
    assert Membership.objects.filter(source="comp").count() == 0
    assert Member.objects.count() == 4
    assert report.notes["no paid tier exists: made a member with the free tier only"] == [2, 3, 5]
