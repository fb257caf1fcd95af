"""The admin's members: the list's export of the filtered set, and each member's page with their history."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from newsdesk.members.models import Member, Membership, Payment, SignInLink
from newsdesk.newsletters.models import ConsentRecord, Newsletter, Subscriber, Subscription

pytestmark = pytest.mark.django_db

LIST = "/admin/snippets/members/member/"


def test_the_export_is_the_filtered_set(editor_client, tiers):
    call_command("grant_membership", "patron@example.org", "patron")
    call_command("grant_membership", "supporter@example.org", "supporter")
    response = editor_client.get(LIST, {"export": "csv", "tier": tiers["supporter"].pk})
    csv = b"".join(response.streaming_content).decode()
    assert "supporter@example.org" in csv and "patron@example.org" not in csv


def test_the_list_and_its_export_are_for_staff_only(client, tiers, django_user_model):
    call_command("grant_membership", "patron@example.org", "patron")
    for who in (None, django_user_model.objects.create_user("reader", password="pw")):
        if who:
            client.force_login(who)
        for url in (LIST + "?export=csv", f"{LIST}inspect/{Member.objects.get().pk}/"):
            response = client.get(url)
            assert response.status_code in (302, 403)
            assert b"patron@example.org" not in b"".join(
                getattr(response, "streaming_content", [response.content])
            )


@pytest.fixture
def history(tiers, newsroom):
    call_command("grant_membership", "reader@example.org", "patron")
    member = Member.objects.get()
    Membership.objects.create(
        member=member,
        tier=tiers["supporter"],
        source="paid",
        status="lapsed",
        started_at=timezone.now() - timezone.timedelta(days=400),
        ended_at=timezone.now() - timezone.timedelta(days=35),
    )
    Payment.objects.create(
        member=member, email=member.email, kind="membership", amount=500, currency="EUR"
    )
    SignInLink.objects.create(email="Reader@example.org", used_at=timezone.now())
    subscriber = Subscriber.objects.create(email="READER@example.org")
    for slug in ("briefing", "weekly"):
        letter = Newsletter.objects.create(
            slug=slug,
            name=slug.title(),
            description=".",
            host=newsroom["reporter"],
            cadence="Daily",
            sender_name=slug,
            sender_address=f"{slug}@example.org",
        )
        subscription = Subscription.objects.create(
            subscriber=subscriber, newsletter=letter, status="confirmed"
        )
        ConsentRecord.objects.create(
            subscription=subscription,
            action="confirmed",
            method="confirmation_link",
            wording=f"Yes, send me {letter.name}.",
            source_url="/newsletters/",
        )
    return member


def test_a_members_page_shows_their_history_in_a_few_queries(
    editor_client, history, django_assert_max_num_queries
):
    with django_assert_max_num_queries(30):
        page = editor_client.get(f"{LIST}inspect/{history.pk}/").content.decode()
    for text in [
        "reader@example.org",
        "<td>Patron</td>",
        "<td>Complimentary</td>",
        "<td>Supporter</td>",
        "<td>Lapsed</td>",
        "€5.00",
        "Briefing: confirmed",
        "Yes, send me Weekly.",
        "Granted Patron",
    ]:
        assert text in page, text
    assert "Sign-ins" in page and "None recently" not in page
