"""`newsdesk send_newsletter SLUG [--subject TEXT] [--since-hours N] [--wait]` (--wait: test_crash_recovery.py)."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from newsdesk.articles.models import ArticlePage
from newsdesk.newsletters.models import Delivery, Issue

pytestmark = pytest.mark.django_db


def send(*args):
    out = io.StringIO()
    call_command("send_newsletter", *args, stdout=out)
    return out.getvalue()


def test_builds_an_issue_of_the_latest_stories_and_starts_sending(audience, publish_article):
    audience(confirmed=3)
    old = publish_article("Last week's story")
    ArticlePage.objects.filter(pk=old.pk).update(
        first_published_at=timezone.now() - timedelta(days=3)
    )
    publish_article("Night buses return")
    publish_article("Council passes the budget")

    output = send("briefing", "--since-hours", "24")
    issue = Issue.objects.get()
    assert issue.status == "sending" and issue.subject == "The Briefing: Council passes the budget"
    assert [story.article.title for story in issue.stories.all()] == [
        "Council passes the budget",
        "Night buses return",
    ]
    assert Delivery.objects.filter(issue=issue).count() == 3
    assert "to 3 subscribers" in output


def test_since_the_previous_issue_by_default_and_a_subject_of_ones_own(audience, publish_article):
    audience(confirmed=1)
    publish_article("Night buses return")
    send("briefing")
    with pytest.raises(
        CommandError,
        match="No stories have been published for The Briefing since its previous issue",
    ):
        send("briefing")
    publish_article("Council passes the budget")
    send("briefing", "--subject", "Tuesday")
    latest = Issue.objects.order_by("-pk").first()
    assert latest.subject == "Tuesday"
    assert [story.article.title for story in latest.stories.all()] == ["Council passes the budget"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nope"], "No newsletter with the slug “nope”"),
        (["briefing"], "No stories have been published"),
        (["briefing", "--subject", "Two\nlines"], "single line"),
    ],
)
def test_bad_input_gets_a_clear_error_and_stores_nothing(
    newsletters, publish_article, args, message
):
    if "--subject" in args:
        publish_article("Night buses return")
    with pytest.raises(CommandError, match=message):
        send(*args)
    assert not Issue.objects.exists()


def test_since_hours_must_be_positive(newsletters):
    with pytest.raises(CommandError, match="since-hours"):
        send("briefing", "--since-hours", "-3")
