"""Editors write, preview, schedule, publish, unpublish and revise articles in the admin."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from newsdesk.articles.models import ArticlePage

pytestmark = pytest.mark.django_db


def article_form(newsroom, title="Tram line 4 reopens", **extra):
    return nested_form_data(
        {
            "title": title,
            "slug": "tram-line-4-reopens",
            "standfirst": "Trams cross the river again.",
            "lead_image": newsroom["image"].pk,
            "lead_image_caption": "",
            "lead_image_credit": "",
            "body": streamfield(
                [
                    ("paragraph", rich_text("<p>The first tram crossed at dawn.</p>")),
                    (
                        "block_quote",
                        {"quote": "It feels like the city again.", "attribution": "A driver"},
                    ),
                ]
            ),
            "bylines": inline_formset([{"contributor": newsroom["reporter"].pk}]),
            "corrections": inline_formset([]),
            "tags": "transport, trams",
            **extra,
        }
    )


def add_url(newsroom):
    return reverse(
        "wagtailadmin_pages:add", args=("articles", "articlepage", newsroom["section"].pk)
    )


def test_an_editor_writes_a_draft_then_publishes_it(editor_client, client, newsroom):
    response = editor_client.post(add_url(newsroom), article_form(newsroom))
    assert response.status_code == 302, (
        response.context["form"].errors if response.context else response
    )
    article = ArticlePage.objects.get(slug="tram-line-4-reopens")
    assert not article.live
    draft = article.get_latest_revision_as_object()
    assert draft.reading_time == 1
    assert [b.contributor for b in draft.bylines.all()] == [newsroom["reporter"]]

    preview = editor_client.post(
        reverse("wagtailadmin_pages:preview_on_edit", args=(article.pk,)), article_form(newsroom)
    )
    assert preview.json()["is_valid"]
    shown = editor_client.get(reverse("wagtailadmin_pages:preview_on_edit", args=(article.pk,)))
    assert "Tram line 4 reopens" in shown.content.decode()
    assert "It feels like the city again." in shown.content.decode()

    edit_url = reverse("wagtailadmin_pages:edit", args=(article.pk,))
    response = editor_client.post(edit_url, article_form(newsroom, **{"action-publish": "publish"}))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.live and article.first_published_at


def test_an_editor_schedules_an_article(editor_client, newsroom):
    editor_client.post(add_url(newsroom), article_form(newsroom))
    article = ArticlePage.objects.get(slug="tram-line-4-reopens")
    go_live = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    response = editor_client.post(
        reverse("wagtailadmin_pages:edit", args=(article.pk,)),
        article_form(newsroom, go_live_at=go_live, **{"action-publish": "publish"}),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert not article.live
    assert article.get_latest_revision().approved_go_live_at is not None


def test_an_editor_unpublishes_and_revises(editor_client, client, newsroom, publish_article):
    article = publish_article()
    response = editor_client.post(reverse("wagtailadmin_pages:unpublish", args=(article.pk,)))
    assert response.status_code == 302
    assert client.get(article.url).status_code == 404

    response = editor_client.post(
        reverse("wagtailadmin_pages:edit", args=(article.pk,)),
        article_form(
            newsroom,
            title="Bridge reopens, with a correction",
            slug=article.slug,
            **{"action-publish": "p"},
        ),
    )
    assert response.status_code == 302
    assert "Bridge reopens, with a correction" in client.get(article.url).content.decode()
    assert article.revisions.count() >= 2


def test_bad_input_in_the_editor_is_refused_and_changes_nothing(
    editor_client, newsroom, publish_article
):
    article = publish_article()
    response = editor_client.post(
        reverse("wagtailadmin_pages:edit", args=(article.pk,)),
        article_form(newsroom, title="", slug=article.slug, **{"action-publish": "p"}),
    )
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    article.refresh_from_db()
    assert article.title == "Bridge reopens after repairs"
