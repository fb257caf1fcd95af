"""The admin in the newsroom's time zone and a European newsroom's date formats."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import formats
from wagtail.users.models import UserProfile

from newsdesk.core import humanise
from newsdesk.core.admin_zone import zone_label


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (0, "0 s"),
        (45.4, "45 s"),
        (59.6, "1 min"),
        (430, "7 min 10 s"),
        (3600, "1 h"),
        (3725, "1 h 2 min"),
    ],
)
def test_durations_read_in_words(seconds, words):
    assert humanise.duration(seconds) == words


def test_counts_agree_with_their_number():
    assert humanise.count(1, "confirmed subscriber") == "1 confirmed subscriber"
    assert humanise.count(2, "confirmed subscriber") == "2 confirmed subscribers"
    assert humanise.count(12408, "confirmed subscriber") == "12,408 confirmed subscribers"
    assert humanise.count(0, "story", "stories") == "0 stories"


def test_a_zone_is_named_with_its_abbreviation_and_offset_at_that_moment():
    winter, summer = datetime(2026, 11, 30, tzinfo=UTC), datetime(2026, 7, 1, tzinfo=UTC)
    assert zone_label(ZoneInfo("Europe/Kyiv"), winter) == "Europe/Kyiv (EET, UTC+2)"
    assert zone_label(ZoneInfo("Europe/Kyiv"), summer) == "Europe/Kyiv (EEST, UTC+3)"
    assert zone_label(ZoneInfo("Asia/Kolkata"), winter) == "Asia/Kolkata (IST, UTC+5:30)"
    assert zone_label(ZoneInfo("America/Sao_Paulo"), winter) == "America/Sao_Paulo (UTC−3)"
    assert zone_label(ZoneInfo("UTC"), winter) == "UTC"


def test_english_dates_are_written_the_european_way():
    moment = datetime(2026, 11, 30, 8, 24)
    assert formats.date_format(moment, "DATETIME_FORMAT") == "30 Nov 2026, 08:24"
    assert formats.date_format(moment, "DATE_FORMAT") == "30 Nov 2026"
    assert formats.date_format(moment, "SHORT_DATE_FORMAT") == "30.11.2026"
    assert formats.get_format("FIRST_DAY_OF_WEEK") == 1


@pytest.mark.django_db
def test_the_admin_reads_and_writes_times_in_the_newsroom_zone(
    editor_client, newsroom, publish_article
):
    """Typed 10:00 in Kyiv in winter, the story goes live at 08:00 UTC; the form names the zone."""
    article = publish_article(published=False)
    edit_url = reverse("wagtailadmin_pages:edit", args=(article.pk,))
    html = editor_client.get(edit_url).content.decode()
    assert '<p class="help newsdesk-time-zone">Europe/Kyiv (EE' in html

    from newsdesk.articles.tests.test_admin import article_form

    response = editor_client.post(
        edit_url,
        article_form(
            newsroom, slug=article.slug, go_live_at="2099-01-15 10:00", **{"action-publish": "p"}
        ),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    revision = article.get_latest_revision()
    assert revision.approved_go_live_at == datetime(2099, 1, 15, 8, 0, tzinfo=UTC)
    # Nothing was saved to the editor's own preferences: the zone is the newsroom's, lent.
    assert not UserProfile.objects.filter(current_time_zone="Europe/Kyiv").exists()


@pytest.mark.django_db
def test_an_editor_own_time_zone_wins_over_the_newsroom(editor_client, newsroom, publish_article):
    user = User.objects.get(username="chief")
    UserProfile.objects.create(user=user, current_time_zone="America/New_York")
    article = publish_article(published=False)
    edit_url = reverse("wagtailadmin_pages:edit", args=(article.pk,))
    html = editor_client.get(edit_url).content.decode()
    assert '<p class="help newsdesk-time-zone">America/New_York (E' in html
    from newsdesk.articles.tests.test_admin import article_form

    editor_client.post(
        edit_url,
        article_form(
            newsroom, slug=article.slug, go_live_at="2099-01-15 10:00", **{"action-publish": "p"}
        ),
    )
    article.refresh_from_db()
    assert article.get_latest_revision().approved_go_live_at == datetime(
        2099, 1, 15, 15, 0, tzinfo=UTC
    )
