"""The story editor: the headline, the slug that keeps itself unique, one-step publishing, the picture's facts."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from newsdesk.articles.models import ArticlePage

pytestmark = pytest.mark.django_db


def story_form(newsroom, title, slug, **extra):
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "standfirst": "Trams cross the river again.",
            "lead_image": newsroom["image"].pk,
            "lead_image_caption": "",
            "lead_image_credit": "",
            "body": streamfield([("paragraph", rich_text("<p>The first tram crossed.</p>"))]),
            "bylines": inline_formset([]),
            "corrections": inline_formset([]),
            "tags": "",
            **extra,
        }
    )


def add_url(newsroom):
    return reverse(
        "wagtailadmin_pages:add", args=("articles", "articlepage", newsroom["section"].pk)
    )


def test_the_editor_names_the_headline_and_shows_the_desk(editor_client, newsroom):
    response = editor_client.get(add_url(newsroom))
    html = response.content.decode()
    assert response.status_code == 200
    assert "The page title as you'd like it to be seen by the public" not in html
    assert 'placeholder="Headline*"' in html
    assert 'maxlength="255"' in html
    assert "data-editor-desk" in html
    assert "In search results" in html and "Shared on social media" in html
    assert re.search(r"Go live at \([\w/+-]+ time\)", html)
    assert "articles/editor-desk.js" in html and "articles/editor-desk.css" in html
    # Publish is the main button of a new story; Save draft is in the menu.
    assert html.index('name="action-publish"') < html.index("Save draft")


def test_a_long_headline_is_kept_whole_on_one_line(editor_client, newsroom):
    headline = "Council votes " + "to rebuild the old tram depot as housing " * 5
    response = editor_client.post(
        add_url(newsroom), story_form(newsroom, headline.replace("housing ", "housing\n"), "x")
    )
    assert response.status_code == 302
    assert ArticlePage.objects.get().title == " ".join(headline.split())


def test_a_clashing_slug_takes_the_next_number_silently(editor_client, newsroom, publish_article):
    publish_article("Tram line 4 reopens")
    publish_article("Tram line 4 reopens", slug="tram-line-4-reopens-2")
    response = editor_client.post(
        add_url(newsroom),
        story_form(
            newsroom, "Tram line 4 reopens", "tram-line-4-reopens", **{"action-publish": "p"}
        ),
    )
    assert response.status_code == 302
    assert ArticlePage.objects.live().filter(slug="tram-line-4-reopens-3").exists()


def test_an_abandoned_draft_does_not_keep_its_headline_from_a_story_published(
    editor_client, newsroom
):
    # The autosave of a new form that was then abandoned: a never-published draft.
    editor_client.post(
        add_url(newsroom),
        story_form(newsroom, "Storm closes the port", "storm-closes-the-port"),
        HTTP_ACCEPT="application/json",
    )
    abandoned = ArticlePage.objects.get()
    assert abandoned.slug == "storm-closes-the-port"

    # The editor starts again: the new draft quietly gets -2 while it is written...
    response = editor_client.post(
        add_url(newsroom), story_form(newsroom, "Storm closes the port", "storm-closes-the-port")
    )
    assert response.status_code == 302
    story = ArticlePage.objects.exclude(pk=abandoned.pk).get()
    assert story.slug == "storm-closes-the-port-2"

    # ...and takes the headline's own slug when published; the abandoned draft steps aside.
    edit = reverse("wagtailadmin_pages:edit", args=(story.pk,))
    response = editor_client.post(
        edit,
        story_form(
            newsroom, "Storm closes the port", "storm-closes-the-port-2", **{"action-publish": "p"}
        ),
    )
    assert response.status_code == 302
    story.refresh_from_db()
    abandoned.refresh_from_db()
    assert story.live and story.slug == "storm-closes-the-port"
    assert story.url.endswith("/city/storm-closes-the-port/")
    assert abandoned.slug == "storm-closes-the-port-2" and not abandoned.live
    assert abandoned.url_path.endswith("/storm-closes-the-port-2/")


def new_story(title, **fields):
    return ArticlePage(title=title, standfirst="The port closed at noon.", **fields)


def test_a_story_added_under_a_slug_taken_since_its_form_gets_one_of_its_own(newsroom):
    # A new story's first autosave lands while the editor publishes it; both forms chose "storm".
    section = newsroom["section"]
    draft = section.add_child(instance=new_story("Storm", slug="storm", live=False))
    story = section.add_child(instance=new_story("Storm", slug="storm"))  # live, being published
    draft.refresh_from_db()
    assert story.slug == "storm" and draft.slug == "storm-2"
    assert draft.url_path.endswith("/storm-2/")

    late = section.add_child(instance=new_story("Storm", slug="storm", live=False))
    assert late.slug == "storm-3"
    assert len({page.path for page in section.get_children()}) == 3


def test_the_slug_is_settled_while_the_section_is_held(newsroom, monkeypatch):
    # Held from the check to the commit, so a story added at the same instant waits and sees it.
    from newsdesk.articles import models

    held = []

    def claim_slug(page, parent):
        held.append(connection.in_atomic_block)

    monkeypatch.setattr(models, "claim_slug", claim_slug)
    newsroom["section"].add_child(instance=new_story("Storm", slug="storm"))
    assert held == [True]


def test_a_published_story_keeps_its_address(editor_client, newsroom, publish_article):
    story = publish_article("Ferry timetable changes", slug="ferry-timetable-changes-2")
    edit = reverse("wagtailadmin_pages:edit", args=(story.pk,))
    response = editor_client.post(
        edit,
        story_form(newsroom, "Ferry timetable changes", story.slug, **{"action-publish": "p"}),
    )
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.slug == "ferry-timetable-changes-2"


def test_publishing_at_a_time_schedules_in_the_zone_the_dialog_names(editor_client, newsroom):
    # The admin's current time zone (the newsroom's, once the admin follows it): named, then used.
    html = editor_client.get(add_url(newsroom)).content.decode()
    zone = ZoneInfo(re.search(r"Go live at \(([^)]+) time\)", html)[1])
    tomorrow = timezone.now().astimezone(zone).date() + timedelta(days=1)
    response = editor_client.post(
        add_url(newsroom),
        story_form(
            newsroom,
            "Bridge opens at ten",
            "bridge-opens-at-ten",
            publish_at=f"{tomorrow.isoformat()}T10:00",
            **{"action-publish": "p"},
        ),
    )
    assert response.status_code == 302
    story = ArticlePage.objects.get()
    assert not story.live
    go_live = story.get_latest_revision().approved_go_live_at.astimezone(zone)
    assert (go_live.date(), go_live.hour, go_live.minute) == (tomorrow, 10, 0)


def test_publishing_at_a_past_time_is_refused_in_the_dialog(editor_client, newsroom):
    response = editor_client.post(
        add_url(newsroom),
        story_form(
            newsroom, "Late", "late", publish_at="2020-01-01T10:00", **{"action-publish": "p"}
        ),
    )
    assert response.status_code == 200
    assert "Choose a time in the future" in response.content.decode()
    assert "data-open-on-load" in response.content.decode()
    assert not ArticlePage.objects.exists()


def test_the_picture_facts_give_alt_text_credit_and_a_card(editor_client, newsroom):
    image = newsroom["image"]
    response = editor_client.get(reverse("articles_image_facts", args=[image.pk]))
    facts = response.json()
    assert facts["alt"] == image.description and facts["credit"] == image.credit
    assert facts["card_url"].endswith(".jpg")
    assert editor_client.get(reverse("articles_image_facts", args=[999999])).status_code == 404
    huge = reverse("articles_image_facts", args=[1]).replace("/1/", "/" + "9" * 30 + "/")
    assert editor_client.get(huge).status_code == 404


def test_the_picture_facts_are_for_staff_only(client, newsroom):
    url = reverse("articles_image_facts", args=[newsroom["image"].pk])
    assert client.get(url).status_code == 302  # to the admin's sign-in


def test_a_draft_is_scheduled_from_its_edit_page(editor_client, newsroom, publish_article):
    draft = publish_article("Bridge opens at ten", published=False)
    tomorrow = timezone.now().date() + timedelta(days=2)
    response = editor_client.post(
        reverse("wagtailadmin_pages:edit", args=(draft.pk,)),
        story_form(
            newsroom,
            "Bridge opens at ten",
            draft.slug,
            publish_at=f"{tomorrow.isoformat()}T10:00",
            **{"action-publish": "p"},
        ),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert not draft.live
    assert draft.get_latest_revision().approved_go_live_at.date() == tomorrow
