"""Newsletters for members or chosen tiers: checked for each recipient just before their message goes."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from newsdesk.members.models import Member, Membership, NewsletterAccess
from newsdesk.newsletters.models import (
    Delivery,
    DeliveryBatch,
    Issue,
    IssueStory,
    Newsletter,
    Subscriber,
    Subscription,
)
from newsdesk.newsletters.sending import delivery, sends
from newsdesk.newsletters.subscribers.forms import started_token

pytestmark = pytest.mark.django_db(transaction=True)

Status = Membership.Status


@pytest.fixture
def letters(newsroom):
    def make(slug, name):
        return Newsletter.objects.create(
            slug=slug,
            name=name,
            description=f"All about {name.lower()}.",
            host=newsroom["reporter"],
            cadence="Every Friday",
            sender_name=name,
            sender_address=f"{slug}@ledger.example.org",
        )

    return {"public": make("briefing", "The Briefing"), "members": make("inside", "Inside")}


def member(email, tier, status=Status.ACTIVE, source=Membership.Source.PAID):
    person = Member.objects.create(email=email)
    Membership.objects.create(
        member=person,
        tier=tier,
        status=status,
        source=source,
        ended_at=timezone.now() if status != Status.ACTIVE else None,
    )
    return person


def subscribed(email, newsletter):
    subscriber, _ = Subscriber.objects.get_or_create(email=email)
    return Subscription.objects.create(
        subscriber=subscriber, newsletter=newsletter, status=Subscription.Status.CONFIRMED
    )


@pytest.fixture
def readers(letters, tiers):
    """Subscribers of the members' newsletter: a supporter, a patron, a free member, a lapsed one, a stranger."""
    people = {
        "supporter": member("Supporter@example.org", tiers["supporter"]),
        "patron": member("patron@example.org", tiers["patron"]),
        "free": member("free@example.org", tiers["free"], source=Membership.Source.FREE),
        "lapsed": member("lapsed@example.org", tiers["supporter"], status=Status.LAPSED),
    }
    # The member's address was given with capitals; the subscriber's is in lower case.
    for email in [
        "supporter@example.org",
        "patron@example.org",
        "free@example.org",
        "lapsed@example.org",
        "stranger@example.org",
    ]:
        subscribed(email, letters["members"])
    return people


def issue_of(newsletter, publish_article):
    issue = Issue.objects.create(newsletter=newsletter, subject="Inside: the week")
    story = publish_article("Bridge reopens after repairs")
    IssueStory.objects.create(issue=issue, article=story, sort_order=0)
    return issue


def recipients(mail_catcher):
    return sorted(message.recipients for message in mail_catcher())


def for_tiers(newsletter, *tiers):
    rule = NewsletterAccess.objects.create(
        newsletter=newsletter, level=NewsletterAccess.Level.TIERS
    )
    rule.tiers.set(tiers)
    return rule


def test_a_members_newsletter_goes_to_members_only_and_says_why_it_withheld_the_rest(
    letters, readers, publish_article, mail_catcher, run_tasks
):
    NewsletterAccess.objects.create(newsletter=letters["members"])
    issue = issue_of(letters["members"], publish_article)
    # What the send page counts: only those who will get it.
    assert sends.audience_size(letters["members"]) == 3

    sends.start(issue)
    run_tasks("mail")

    assert recipients(mail_catcher) == [
        "free@example.org",
        "patron@example.org",
        "supporter@example.org",
    ]
    withheld = Delivery.objects.filter(issue=issue, status=Delivery.Status.WITHHELD)
    assert sorted(withheld.values_list("email", "withheld_because")) == [
        ("lapsed@example.org", "not one of the members when sent"),
        ("stranger@example.org", "not one of the members when sent"),
    ]
    progress = sends.progress(issue)
    assert (progress.sent, progress.withheld, progress.skipped) == (3, 2, 0)
    assert Issue.objects.get(pk=issue.pk).status == Issue.Status.SENT


def test_a_newsletter_for_chosen_tiers_goes_only_to_them(
    letters, readers, tiers, publish_article, mail_catcher, run_tasks
):
    for_tiers(letters["members"], tiers["patron"])
    issue = issue_of(letters["members"], publish_article)
    assert sends.audience_size(letters["members"]) == 1

    sends.start(issue)
    run_tasks("mail")

    assert recipients(mail_catcher) == ["patron@example.org"]
    assert set(
        Delivery.objects.filter(issue=issue, status=Delivery.Status.WITHHELD).values_list(
            "withheld_because", flat=True
        )
    ) == {"not one of the members of Patron when sent"}


def test_a_membership_that_lapses_after_the_start_is_checked_on_the_retry_and_nobody_gets_two(
    letters, readers, publish_article, mail_catcher, run_tasks, settings
):
    NewsletterAccess.objects.create(newsletter=letters["members"])
    issue = issue_of(letters["members"], publish_article)
    catcher_port = settings.EMAIL_PORT
    # The mail server is down for the first run: nothing is taken, the batch is retried later.
    settings.EMAIL_PORT = 9
    sends.start(issue)
    batch = DeliveryBatch.objects.get(issue=issue)
    assert delivery.run_batch(batch.pk).sent == 0
    assert recipients(mail_catcher) == []

    # The patron's membership lapses before the retry.
    Membership.objects.filter(member=readers["patron"]).update(status=Status.LAPSED)
    settings.EMAIL_PORT = catcher_port
    DeliveryBatch.objects.filter(pk=batch.pk).update(retry_at=timezone.now() - timedelta(1))
    assert delivery.run_batch(batch.pk).sent == 2
    # A retry of a batch already done sends nothing again.
    DeliveryBatch.objects.filter(pk=batch.pk).update(status=DeliveryBatch.Status.QUEUED)
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.SENDING)
    assert delivery.run_batch(batch.pk).sent == 0

    assert recipients(mail_catcher) == ["free@example.org", "supporter@example.org"]
    assert Delivery.objects.get(issue=issue, email="patron@example.org").status == "withheld"


def test_a_newsletter_for_everyone_is_untouched(
    letters, readers, publish_article, mail_catcher, run_tasks
):
    issue = issue_of(letters["members"], publish_article)
    sends.start(issue)
    run_tasks("mail")
    assert len(recipients(mail_catcher)) == 5


def test_the_newsletters_page_shows_a_members_newsletter_as_such_without_a_form(client, letters):
    NewsletterAccess.objects.create(newsletter=letters["members"])
    page = client.get("/newsletters/").content.decode()
    inside = page[page.index('id="newsletter-inside"') :]
    assert "For members." in inside
    assert 'href="/membership/"' in inside
    assert 'value="inside"' not in page
    # The public newsletter keeps its form.
    assert 'value="briefing"' in page


def test_a_non_member_cannot_subscribe_to_it_and_nothing_is_stored(client, letters, readers):
    NewsletterAccess.objects.create(newsletter=letters["members"])
    data = {
        "email": "newcomer@example.org",
        "newsletter": "inside",
        "started": started_token(time.time() - 30),
        "website": "",
        "source": "/newsletters/",
    }
    response = client.post("/newsletters/subscribe/", data, headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert "Inside is for members" in response.json()["errors"]["newsletter"]
    assert not Subscriber.objects.filter(email="newcomer@example.org").exists()
    # The same answer for a member's address: the form tells nobody who is a member.
    data["email"] = "patron@example.org"
    again = client.post("/newsletters/subscribe/", data, headers={"Accept": "application/json"})
    assert again.json() == response.json()


def test_members_choose_it_on_their_account_page_and_others_are_not_offered_it(
    client, sign_in, letters, tiers
):
    for_tiers(letters["members"], tiers["patron"])
    sign_in(client, "reader@example.org")
    # A free member: the patrons' newsletter is not offered, and a forged choice is refused.
    page = client.get("/account/").content.decode()
    assert "The Briefing" in page and "Inside" not in page
    response = client.post("/account/", {"newsletters": [letters["members"].pk], "save": ""})
    assert response.status_code == 400
    assert not Subscription.objects.filter(newsletter=letters["members"]).exists()

    member_ = Member.objects.get(email="reader@example.org")
    member_.memberships.update(status=Status.CANCELLED)
    Membership.objects.create(member=member_, tier=tiers["patron"], source="comp")
    assert "Inside" in client.get("/account/").content.decode()
    client.post("/account/", {"newsletters": [letters["members"].pk], "save": ""})
    assert Subscription.objects.get(newsletter=letters["members"]).status == "confirmed"


def test_the_account_page_writes_nothing_on_a_look(client, sign_in, letters, tiers):
    sign_in(client, "reader@example.org")
    page = client.get("/account/").content.decode()
    assert "No newsletters yet" in page
    assert not Subscriber.objects.exists()
    client.post("/account/", {"newsletters": [letters["public"].pk], "save": ""})
    assert Subscriber.objects.get().subscriptions.get().newsletter == letters["public"]
