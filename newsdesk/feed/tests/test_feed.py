from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import User
from django.utils import timezone as django_timezone

from newsdesk.feed.models import Cursor, NewsItem
from newsdesk.feed.views import ITEMS_PER_PAGE

pytestmark = pytest.mark.django_db


def post_item(headline, minutes_ago=0, **fields):
    fields.setdefault("summary", f"{headline}, in one sentence.")
    item = NewsItem.objects.create(headline=headline, live=False, **fields)
    item.save_revision().publish()
    NewsItem.objects.filter(pk=item.pk).update(
        first_published_at=django_timezone.now() - timedelta(minutes=minutes_ago)
    )
    item.refresh_from_db()
    return item


def feed_headlines(html, selector=".feed-item__headline"):
    return [p.get_text(strip=True) for p in BeautifulSoup(html, "html.parser").select(selector)]


def test_cursors_round_trip_and_refuse_anything_else():
    moment = datetime(2026, 11, 26, 9, 30, 15, 123456, tzinfo=UTC)
    cursor = Cursor.parse(str(Cursor(moment, 42)))
    assert (cursor.published_at, cursor.pk) == (moment, 42)
    for bad in ["", "abc", "1-", "-1", "1-2-3", "9" * 40 + "-1", "1.5-2", "١٢-3"]:
        with pytest.raises(ValueError):
            Cursor.parse(bad)


def test_the_feed_block_shows_the_newest_items_beside_articles_and_on_the_front_page(
    client, newsroom, publish_article
):
    article = publish_article()
    post_item("Older item", minutes_ago=30)
    linked = post_item("Air raid alert lifted", minutes_ago=5, article=article)
    draft = NewsItem.objects.create(headline="Unpublished item", summary="x", live=False)
    for url in ("/", article.url):
        html = client.get(url).content.decode()
        assert feed_headlines(html) == ["Air raid alert lifted", "Older item"]
        soup = BeautifulSoup(html, "html.parser")
        assert soup.select_one(".news-feed a[href='/news/']").get_text() == "More news"
        assert soup.find("a", string="Air raid alert lifted")["href"] == article.url
        time = soup.select_one(".feed-item__time")
        assert (
            time["datetime"]
            == django_timezone.localtime(linked.first_published_at, newsroom_zone()).isoformat()
        )
    assert draft.headline not in client.get("/").content.decode()
    # Every item has an anchor, which the news feed's RSS and Atom entries link to.
    assert BeautifulSoup(client.get("/news/").content, "html.parser").find(id=f"item-{linked.pk}")


def newsroom_zone():
    from zoneinfo import ZoneInfo

    return ZoneInfo("Europe/Kyiv")


def test_scheduled_and_unpublished_items_stay_off_the_feed(client, newsroom):
    item = post_item("Going away soon")
    item.unpublish()
    scheduled = NewsItem.objects.create(
        headline="Not yet",
        summary="Later.",
        live=False,
        go_live_at=django_timezone.now() + timedelta(hours=1),
    )
    scheduled.save_revision().publish()
    html = client.get("/news/").content.decode()
    assert "Going away soon" not in html and "Not yet" not in html


def test_the_feed_page_pages_by_cursor_and_never_repeats_or_skips_items(client, newsroom):
    for n in range(ITEMS_PER_PAGE + 5):
        post_item(f"Item {n}", minutes_ago=1000 - n)
    first = client.get("/news/")
    first_page = feed_headlines(first.content.decode())
    assert first_page[0] == f"Item {ITEMS_PER_PAGE + 4}" and len(first_page) == ITEMS_PER_PAGE
    older = BeautifulSoup(first.content, "html.parser").find("a", rel="next")["href"]

    # News keeps coming while the reader is on page one.
    for n in range(3):
        post_item(f"Breaking {n}")

    second_page = feed_headlines(client.get("/news/" + older).content.decode())
    assert second_page == [f"Item {n}" for n in range(4, -1, -1)]
    assert not set(first_page) & set(second_page)
    assert (
        BeautifulSoup(client.get("/news/" + older).content, "html.parser").find("a", rel="next")
        is None
    )


def test_items_published_in_the_same_microsecond_are_ordered_by_id(client, newsroom):
    same = [post_item(f"Twin {n}") for n in range(3)]
    NewsItem.objects.filter(pk__in=[i.pk for i in same]).update(
        first_published_at=same[0].first_published_at
    )
    cursor = Cursor(same[0].first_published_at, same[2].pk)
    assert list(
        NewsItem.objects.published().filter(cursor.older()).values_list("headline", flat=True)
    ) == [
        "Twin 1",
        "Twin 0",
    ]


@pytest.mark.parametrize("value", ["abc", "-1", "", "99999999999999999999-1", "1-<script>", "%00"])
def test_any_cursor_gets_a_page_or_a_404(client, newsroom, value):
    response = client.get("/news/", {"before": value})
    assert response.status_code in (200, 404)
    assert "<script>" not in response.content.decode()
    response = client.get("/news/updates/", {"after": value})
    assert response.status_code in (200, 404)


def test_open_pages_fetch_only_items_newer_than_their_own(client, newsroom):
    seen = post_item("Seen already", minutes_ago=10)
    post_item("New one", minutes_ago=1)
    data = client.get("/news/updates/", {"after": str(Cursor.of(seen))}).json()
    assert [feed_headlines(item["html"])[0] for item in data["items"]] == ["New one"]
    assert data["latest"] == data["items"][0]["cursor"]
    assert client.get("/news/updates/", {"after": data["latest"]}).json()["items"] == []


def test_a_headline_is_one_line(newsroom):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        NewsItem(headline="Two\r\nlines", summary="x").full_clean()


def test_editors_post_an_item_from_the_admin_and_readers_see_it(client, newsroom):
    client.force_login(User.objects.create_superuser("chief", "chief@example.org", "pw"))
    response = client.post(
        "/admin/snippets/feed/newsitem/add/",
        {
            "headline": "Metro runs again",
            "summary": "All lines reopened at noon.",
            "action-publish": "publish",
        },
    )
    assert response.status_code == 302
    client.logout()
    assert feed_headlines(client.get("/news/").content.decode()) == ["Metro runs again"]


def test_the_feed_admin_is_staff_only(client, newsroom):
    response = client.post("/admin/snippets/feed/newsitem/add/", {"headline": "x", "summary": "y"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not NewsItem.objects.exists()
