"""The account page: who the member is, their membership, their newsletters; signing out; deleting it."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from wagtail.models import ModelLogEntry

from newsdesk.members import accounts, log_actions, sessions
from newsdesk.members.models import Member, Membership, SignInLink
from newsdesk.newsletters.models import ConsentRecord, Newsletter, Subscriber, Subscription

pytestmark = pytest.mark.django_db


@pytest.fixture
def briefing(newsroom):
    return Newsletter.objects.create(
        slug="briefing",
        name="The Briefing",
        description="Mornings.",
        cadence="Daily",
        host=newsroom["reporter"],
        sender_name="The Briefing",
        sender_address="briefing@example.org",
    )


def test_signed_out_readers_are_sent_to_sign_in(client, tiers):
    response = client.get("/account/")
    assert response.status_code == 302
    assert response["Location"] == "/account/sign-in/?next=/account/"
    assert "private" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_the_account_shows_the_email_and_membership(client, sign_in, tiers):
    sign_in(client, "Reader@example.org")
    until = timezone.now() + timedelta(days=40)
    accounts.grant_membership("reader@example.org", tiers["supporter"], until)
    page = client.get("/account/").content.decode()
    assert "Reader@example.org" in page  # the one member of the address, whatever its case
    assert Member.objects.count() == 1
    assert "Supporter" in page and "complimentary" in page
    assert f"Ends on {timezone.localtime(until):%-d %B %Y}" in page
    # No Stripe yet: nothing offers to change a card or cancel.
    assert "portal" not in page.lower() and "change card" not in page.lower()


def test_a_member_and_a_subscriber_of_the_same_address_are_one_person(
    client, sign_in, tiers, briefing
):
    subscriber = Subscriber.objects.create(email="reader@example.org")
    Subscription.objects.create(
        subscriber=subscriber, newsletter=briefing, status=Subscription.Status.CONFIRMED
    )
    sign_in(client, "READER@example.org")
    response = client.get("/account/")
    assert response.context["form"]["newsletters"].value() == [briefing.pk]
    # Unticking it on the account page is the preferences link's change, recorded as such.
    response = client.post("/account/", {"save": ""})
    assert response.status_code == 302 and response["Location"] == "/account/?done=saved"
    subscription = Subscription.objects.get()
    assert subscription.status == Subscription.Status.UNSUBSCRIBED
    assert subscription.unsubscribe_method == Subscription.Method.PREFERENCES
    assert Subscriber.objects.count() == 1
    client.post("/account/", {"newsletters": [briefing.pk], "save": ""})
    assert Subscription.objects.get().status == Subscription.Status.CONFIRMED


def test_deleting_the_account_keeps_the_consent_records_and_says_so(
    client, sign_in, tiers, briefing
):
    sign_in(client)
    client.post("/account/", {"newsletters": [briefing.pk], "save": ""})
    member = Member.objects.get()
    page = client.get("/account/delete/").content.decode()
    assert "record of what you agreed to" in page and "Payment records" in page
    # Without the box ticked nothing happens.
    assert client.post("/account/delete/").status_code == 400
    assert Member.objects.exists()
    response = client.post("/account/delete/", {"confirm": "yes"})
    assert response.status_code == 200 and b"Your account is deleted" in response.content
    assert response.cookies[sessions.MEMBER_COOKIE].value == ""
    assert not Member.objects.exists() and not Membership.objects.exists()
    assert not SignInLink.objects.exists()
    subscription = Subscription.objects.get()
    assert subscription.status == Subscription.Status.UNSUBSCRIBED
    assert list(ConsentRecord.objects.values_list("action", flat=True)) == [
        "confirmed",
        "withdrawn",
    ]
    entries = ModelLogEntry.objects.filter(object_id=str(member.pk))
    assert {entry.action for entry in entries} == {log_actions.JOIN, log_actions.DELETE}
    assert all("reader@example.org" not in entry.label for entry in entries)
    assert client.get("/account/").status_code == 302


def test_a_deleted_members_old_session_signs_in_nobody(client, sign_in, tiers):
    sign_in(client)
    cookie = client.cookies[sessions.MEMBER_COOKIE].value
    accounts.delete_account(Member.objects.get(), consent=_consent())
    sign_in(Client(), "someone-else@example.org")
    old = Client()
    old.cookies[sessions.MEMBER_COOKIE] = cookie
    assert old.get("/account/").status_code == 302


def _consent():
    from newsdesk.newsletters.subscribers.subscriptions import Consent

    return Consent(ip_address=None, user_agent="", source_url="", wording="test")


def test_a_lapsed_membership_ends_at_its_end(client, sign_in, tiers):
    sign_in(client)
    membership = accounts.grant_membership(
        "reader@example.org", tiers["patron"], timezone.now() + timedelta(days=1)
    )
    Membership.objects.filter(pk=membership.pk).update(ends_at=timezone.now() - timedelta(1))
    member = Member.objects.get()
    assert member.membership is None  # access ends at the end, job or no job
    assert accounts.lapse_ended_memberships() == 1
    assert Membership.objects.get(pk=membership.pk).status == Membership.Status.LAPSED
    assert "Patron membership lapsed" in client.get("/account/").content.decode()
    assert ModelLogEntry.objects.filter(action=log_actions.LAPSE).count() == 1
