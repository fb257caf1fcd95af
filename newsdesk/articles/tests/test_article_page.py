import json
import urllib.request
from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission, User
from wagtail.models import GroupPagePermission

from newsdesk.articles.models import ArticlePage

pytestmark = pytest.mark.django_db

FULL_BODY = [
    {"type": "heading", "value": {"text": "What happens next", "level": "h2"}},
    {"type": "paragraph", "value": "<p>Crews worked through the night, the mayor said.</p>"},
    {
        "type": "block_quote",
        "value": {"quote": "We will open it by Monday.", "attribution": "Mayor Test"},
    },
    {"type": "pull_quote", "value": {"text": "Open by Monday."}},
]


def soup_of(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def fetched_image(client, address):
    if address.startswith("/"):
        response = client.get(address)
        assert response.status_code == 200
        return b"".join(response.streaming_content)
    with urllib.request.urlopen(address, timeout=10) as response:
        return response.read()


def test_article_page_shows_every_element_of_the_story(
    media_storage, client, newsroom, publish_article
):
    article = publish_article(
        bylines=[newsroom["reporter"], newsroom["desk"]],
        lead_image=newsroom["image"],
        body=FULL_BODY,
        tags=["bridges"],
    )
    ArticlePage.objects.filter(pk=article.pk).update(
        first_published_at=datetime(2026, 11, 20, 6, 50, tzinfo=UTC),
        last_published_at=datetime(2026, 11, 20, 9, 5, tzinfo=UTC),
    )
    soup = soup_of(client.get(article.url))

    first_link = soup.body.find(["a", "button", "input"])
    assert first_link.get_text() == "Skip to content" and first_link["href"] == "#content"
    assert soup.find("main", id="content")
    story = soup.find("article", class_="article")
    assert story.h1.get_text() == "Bridge reopens after repairs"
    assert "Traffic returns" in story.find(class_="article__standfirst").get_text()
    assert story.find(class_="byline").get_text(" ", strip=True) == "By Ira Test and News desk"

    # Times in the newsroom's zone (Kyiv, UTC+2 in November), machine-readable too.
    times = story.find(class_="article__times").find_all("time")
    assert times[0]["datetime"] == "2026-11-20T08:50:00+02:00"
    assert times[0].get_text() == "20 November 2026, 08:50"
    assert times[1]["datetime"] == "2026-11-20T11:05:00+02:00"
    assert "1 min read" in story.find(class_="article__times").get_text()

    lead = story.find("figure", class_="article__lead-image")
    img = lead.find("img")
    assert img["alt"] == "Illustration: a river at dusk"
    assert "srcset" in img.attrs and "800w" in img["srcset"]
    assert lead.find("source", type="image/webp")
    for address in [entry.split()[0] for entry in img["srcset"].split(",")]:
        # Readers fetch every size of the picture from where it is kept, without signing in.
        assert address.startswith(f"{media_storage or '/media'}/images/")
        assert fetched_image(client, address).startswith(b"\xff\xd8")  # a JPEG
    assert lead.figcaption.get_text(" ", strip=True) == (
        "The river at dusk. Photo: Ira Test / Test Agency"
    )

    body = story.find(class_="article__body")
    assert body.h2.get_text() == "What happens next"
    assert body.find("blockquote").get_text(strip=True) == "We will open it by Monday."
    assert "Mayor Test" in body.find("figure", class_="block-quote").figcaption.get_text()
    assert body.find("blockquote", class_="pull-quote")


def test_lead_image_caption_and_credit_can_be_overridden_where_used(
    client, newsroom, publish_article
):
    article = publish_article(
        lead_image=newsroom["image"],
        lead_image_caption="The bridge on Monday.",
        lead_image_credit="Own photo",
    )
    caption = (
        soup_of(client.get(article.url)).find("figure", class_="article__lead-image").figcaption
    )
    assert caption.get_text(" ", strip=True) == "The bridge on Monday. Photo: Own photo"


def test_metadata_for_search_engines_and_social_sharing(
    media_storage, client, settings, newsroom, publish_article
):
    article = publish_article(lead_image=newsroom["image"], tags=["bridges"])
    soup = soup_of(client.get(article.url))
    canonical = f"{settings.NEWSDESK_SITE_URL}/city/bridge-reopens-after-repairs/"
    assert soup.find("link", rel="canonical")["href"] == canonical
    og = {tag["property"]: tag["content"] for tag in soup.find_all("meta", property=True)}
    assert og["og:type"] == "article"
    assert og["og:title"] == "Bridge reopens after repairs"
    assert og["og:url"] == canonical
    media = media_storage or settings.NEWSDESK_SITE_URL + "/media"  # the bucket's, or the site's
    assert og["og:image"].startswith(media + "/images/")
    assert og["article:section"] == "City"
    assert og["article:tag"] == "bridges"
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["@type"] == "NewsArticle"
    assert data["url"] == canonical
    assert data["image"] == [og["og:image"]]
    assert data["author"][0]["name"] == "Ira Test"


def test_related_story_card_always_shows_the_current_headline(client, newsroom, publish_article):
    target = publish_article("Water returns to the east bank", lead_image=newsroom["image"])
    article = publish_article(
        body=[
            {"type": "paragraph", "value": "<p>Work began in October.</p>"},
            {"type": "related_story", "value": {"article": target.pk}},
        ]
    )
    card = soup_of(client.get(article.url)).find(class_="related-story")
    assert card.find("a", string="Water returns to the east bank")["href"] == target.url
    assert "Traffic returns" in card.find(class_="story-card__teaser").get_text()
    assert card.find("img")

    target.title = "Water returns to all of the east bank"
    target.save_revision().publish()
    card = soup_of(client.get(article.url)).find(class_="related-story")
    assert card.find("a").get_text() == "Water returns to all of the east bank"

    target.unpublish()
    assert soup_of(client.get(article.url)).find(class_="related-story") is None


def test_corrections_are_listed_with_their_dates(client, publish_article):
    from newsdesk.articles.models import ArticleCorrection

    article = publish_article()
    article.corrections = [
        ArticleCorrection(
            text="An earlier version misstated the length of the closure.",
            published_at=datetime(2026, 11, 21, 10, 0, tzinfo=UTC),
        )
    ]
    article.save_revision().publish()
    section = soup_of(client.get(article.url)).find("section", class_="corrections")
    assert section.h2.get_text() == "Corrections"
    assert section.time["datetime"] == "2026-11-21T12:00:00+02:00"
    assert "misstated the length" in section.get_text()


def test_hostile_rich_text_never_reaches_a_reader(client, publish_article):
    article = publish_article(
        body=[
            {
                "type": "paragraph",
                "value": (
                    '<p onclick="steal()">Hello<script>alert(1)</script>'
                    '<a href="javascript:alert(2)">click</a>'
                    '<a href="https://example.org/" onmouseover="x()">safe</a>'
                    '<img src=x onerror="alert(3)"><iframe src="https://evil.example"></iframe></p>'
                ),
            }
        ]
    )
    html = client.get(article.url).content.decode()
    body = BeautifulSoup(html, "html.parser").find(class_="article__body")
    assert body.find("script") is None
    assert body.find("iframe") is None
    assert body.find("img") is None
    for tag in body.find_all(True):
        assert not [name for name in tag.attrs if name.startswith("on")], tag
    assert "javascript:" not in str(body)
    assert body.find("a", string="safe")["href"] == "https://example.org/"
    assert "Hello" in body.get_text()


def test_an_article_without_lead_image_or_body_renders_sanely(client, publish_article):
    article = publish_article(standfirst="", body=[])
    soup = soup_of(client.get(article.url))
    assert soup.h1.get_text() == "Bridge reopens after repairs"
    assert soup.find("figure", class_="article__lead-image") is None
    assert "min read" not in soup.get_text()
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert "image" not in data


def test_drafts_and_scheduled_articles_are_invisible_to_readers(client, newsroom, publish_article):
    draft = publish_article("A draft nobody should see", published=False)
    assert client.get(f"/city/{draft.slug}/").status_code == 404

    scheduled = publish_article(
        "A scheduled story", go_live_at=datetime.now(UTC) + timedelta(hours=3)
    )
    assert scheduled.latest_revision.approved_go_live_at is not None
    assert client.get(f"/city/{scheduled.slug}/").status_code == 404

    home = client.get("/").content.decode()
    section = client.get("/city/").content.decode()
    for html in (home, section):
        assert "A draft nobody should see" not in html
        assert "A scheduled story" not in html


def test_unknown_addresses_get_the_sites_own_404_page(client, newsroom):
    response = client.get("/no/such/story/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "Skip to content" in response.content.decode()


class TestEditLink:
    def edit_links(self, client, article):
        soup = soup_of(client.get(article.url))
        return soup.find_all("a", href=f"/admin/pages/{article.pk}/edit/")

    def test_anonymous_readers_get_no_trace_of_it(self, client, publish_article):
        article = publish_article()
        html = client.get(article.url).content.decode()
        assert "/admin/" not in html
        assert "edit-link" not in html

    def test_an_editor_gets_a_link_straight_to_the_pages_editor(self, client, publish_article):
        article = publish_article()
        client.force_login(User.objects.create_superuser("chief", "chief@example.org", "pw"))
        (link,) = self.edit_links(client, article)
        assert link.get_text(strip=True).startswith("Edit")

    def test_a_signed_in_user_who_may_not_edit_the_page_sees_none(
        self, client, newsroom, publish_article
    ):
        article = publish_article()
        reader = User.objects.create_user("reader", "reader@example.org", "pw")
        client.force_login(reader)
        assert self.edit_links(client, article) == []

        # Permission to edit another part of the site does not count either.
        other = newsroom["home"].add_child(
            instance=type(newsroom["section"])(title="Culture", slug="culture")
        )
        group = Group.objects.create(name="Culture editors")
        group.permissions.add(Permission.objects.get(codename="access_admin"))
        GroupPagePermission.objects.create(
            group=group, page=other, permission=Permission.objects.get(codename="change_page")
        )
        reader.groups.add(group)
        assert self.edit_links(client, article) == []

        GroupPagePermission.objects.create(
            group=group,
            page=newsroom["section"],
            permission=Permission.objects.get(codename="change_page"),
        )
        assert len(self.edit_links(client, article)) == 1


def test_home_and_section_pages_link_the_latest_articles(client, newsroom, publish_article):
    older = publish_article("Older story")
    newer = publish_article("Newer story")
    ArticlePage.objects.filter(pk=older.pk).update(
        first_published_at=newer.first_published_at - timedelta(hours=1)
    )
    soup = soup_of(client.get("/city/"))
    assert [a.get_text() for a in soup.select(".story-card__headline a")] == [
        "Newer story",
        "Older story",
    ]
    soup = soup_of(client.get("/"))
    assert soup.select_one(".story-card--lead .story-card__headline a").get_text() == "Newer story"
    top = soup.find("section", attrs={"aria-labelledby": "top-heading"})
    assert [a.get_text() for a in top.select(".story-card__headline a")] == ["Older story"]
    nav = soup_of(client.get(newer.url)).find("nav", attrs={"aria-label": "Sections"})
    assert nav.find("a", string="City")["aria-current"] == "true"


@pytest.mark.parametrize("page_param", ["abc", "-1", "99999", ""])
def test_section_pages_answer_any_page_number(client, publish_article, page_param):
    publish_article()
    assert client.get("/city/", {"page": page_param}).status_code == 200


def test_an_article_page_fetches_its_bylines_and_tags_once(client, newsroom, publish_article):
    """Bylines and tags appear in the byline, the meta tags and the structured data: one query each, not one per place."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    article = publish_article(
        bylines=[newsroom["reporter"], newsroom["desk"]], tags=["bridges", "roads"]
    )
    client.get(article.url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(article.url).status_code == 200
    tables = [
        query["sql"].split(" FROM ", 1)[1].split()[0]
        for query in queries.captured_queries
        if " FROM " in query["sql"]
    ]
    assert tables.count('"taggit_tag"') == 1
    assert tables.count('"articles_articlebyline"') == 1
    # 17, and the section's next stories: their list and the view restrictions it checks.
    assert len(queries) <= 19, "\n".join(query["sql"] for query in queries.captured_queries)
