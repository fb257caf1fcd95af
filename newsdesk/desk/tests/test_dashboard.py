"""The newsroom's dashboard: each app's panel, the one-step new story, posting to the feed."""

from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from newsdesk.desk import roles
from newsdesk.feed.models import NewsItem
from newsdesk.narration.models import Narration
from newsdesk.newsletters.models import Issue, Newsletter

pytestmark = pytest.mark.django_db


def dashboard(client):
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def panel_text(soup, name):
    panel = soup.find(id=f"panel-{name}")
    assert panel is not None, f"no {name} panel"
    return " ".join(panel.get_text(" ").split())


def test_the_dashboard_lists_the_desk(editor_client, newsroom, publish_article):
    chief = User.objects.get(username="chief")
    other = User.objects.create_user("ira")
    publish_article("My unfinished draft", published=False, owner=chief)
    publish_article("Ira's draft", published=False, owner=other)
    scheduled = publish_article("Tomorrow's story", published=False)
    scheduled.go_live_at = datetime(2099, 1, 15, 8, 0, tzinfo=UTC)
    scheduled.save_revision().publish()  # a go-live time ahead: scheduled, not live
    live = publish_article("Bridge reopens")
    Narration.objects.update_or_create(
        page=live,
        defaults={"status": Narration.Status.READY, "duration": 430, "audio": "narration/1/a.mp3"},
    )
    letter = Newsletter.objects.create(
        name="Morning Briefing",
        slug="morning",
        description="The day's news.",
        host=newsroom["reporter"],
        cadence="Every weekday morning",
    )
    Issue.objects.create(
        newsletter=letter,
        subject="Today's briefing",
        status=Issue.Status.SCHEDULED,
        scheduled_at=timezone.now() + timedelta(minutes=5),
    )

    soup = dashboard(editor_client)
    assert [option.get_text() for option in soup.select("#new-story-section option")] == ["City"]
    assert "My unfinished draft" in panel_text(soup, "my-drafts")
    assert "Ira's draft" not in panel_text(soup, "my-drafts")
    assert "Ira's draft" in panel_text(soup, "desk-drafts")
    # Kyiv in winter is UTC+2: 08:00 UTC goes live at 10:00 on the site.
    assert "Tomorrow's story goes live Thu 15 Jan, 10:00" in panel_text(soup, "scheduled")
    assert "Tomorrow's story" not in panel_text(soup, "desk-drafts")
    assert "narration: ready, 7 min 10 s" in panel_text(soup, "recently-published")
    assert "Today's briefing Morning Briefing · Scheduled" in panel_text(soup, "todays-sends")
    assert "Times are in Europe/Kyiv (EE" in soup.get_text()
    # Wagtail's own panels and its page count are gone; no avatar from anywhere else.
    assert not soup.find(id="recent-edits")
    assert not soup.select(".w-summary")
    assert all(img["src"].startswith("/") for img in soup.find_all("img"))


def test_new_story_goes_straight_to_the_editor_under_the_chosen_section(editor_client, newsroom):
    section = newsroom["section"]
    response = editor_client.get(reverse("articles_new_story"), {"section": section.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "wagtailadmin_pages:add", args=("articles", "articlepage", section.pk)
    )
    for bad in ["", "abc", "9" * 40, str(newsroom["home"].pk), "-1"]:
        assert editor_client.get(reverse("articles_new_story"), {"section": bad}).status_code == 404


def test_posting_to_the_feed_from_the_dashboard(editor_client, client, newsroom, publish_article):
    article = publish_article()
    response = editor_client.post(
        reverse("feed_post_from_dashboard"),
        {
            "headline": "Air raid alert lifted",
            "summary": "All clear in the city.",
            "link": article.full_url,
        },
    )
    assert response.status_code == 302
    item = NewsItem.objects.get()
    assert item.live and item.article == article and item.first_published_at
    assert set(
        ModelLogEntry.objects.filter(object_id=str(item.pk)).values_list("action", flat=True)
    ) >= {
        "wagtail.create",
        "wagtail.publish",
    }
    assert "Air raid alert lifted" in client.get("/news/").content.decode()


def test_a_post_with_errors_is_shown_again_with_them_and_nothing_is_stored(editor_client, newsroom):
    response = editor_client.post(
        reverse("feed_post_from_dashboard"),
        {"headline": "Line one\nline two", "summary": "", "link": "/no/such/story/"},
    )
    assert response.status_code == 400
    panel = BeautifulSoup(response.content, "html.parser").find(id="panel-post-to-feed")
    text = panel.get_text(" ")
    assert "A headline is a single line." in text or "single line" in text
    assert "This field is required." in text
    assert "No published story on this site has that address." in text
    assert panel.find("input", {"name": "link"})["value"] == "/no/such/story/"
    assert not NewsItem.objects.exists()


def test_only_those_who_may_post_to_the_feed_see_or_use_the_form(client, newsroom):
    reporter = User.objects.create_user("rep")
    reporter.groups.add(Group.objects.get(name=roles.REPORTER))
    client.force_login(reporter)
    assert not dashboard(client).find(id="panel-post-to-feed")
    response = client.post(
        reverse("feed_post_from_dashboard"), {"headline": "x", "summary": "y", "link": ""}
    )
    assert response.status_code in (302, 403)
    assert not NewsItem.objects.exists()
    assert client.get(reverse("feed_post_from_dashboard")).status_code == 405
