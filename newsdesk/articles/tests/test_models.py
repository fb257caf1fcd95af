import pytest

from newsdesk.articles.models import ArticlePage

pytestmark = pytest.mark.django_db


def paragraphs(words):
    return [{"type": "paragraph", "value": "<p>" + " ".join(["word"] * words) + "</p>"}]


def test_reading_time_is_computed_from_the_body_when_saved(publish_article):
    article = publish_article(body=paragraphs(700))
    assert article.reading_time == 4
    stored = ArticlePage.objects.values_list("reading_time", flat=True).get(pk=article.pk)
    assert stored == 4


def test_reading_time_follows_an_edited_body_on_publish(publish_article):
    article = publish_article(body=paragraphs(100))
    assert article.reading_time == 1
    article.body = paragraphs(1000)
    article.save_revision().publish()
    article.refresh_from_db()
    assert article.reading_time == 5


def test_structured_data_describes_a_news_article(newsroom, publish_article):
    article = publish_article(
        bylines=[newsroom["reporter"], newsroom["desk"]], tags=["energy", "city"]
    )
    data = article.structured_data(
        newsroom=type("N", (), {"name": "The Test Ledger"})(), share_image_url=""
    )
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Bridge reopens after repairs"
    assert data["author"] == [
        {"@type": "Person", "name": "Ira Test", "jobTitle": "City reporter"},
        {"@type": "Organization", "name": "News desk"},
    ]
    assert data["publisher"]["@type"] == "NewsMediaOrganization"
    assert data["articleSection"] == "City"
    assert sorted(data["keywords"]) == ["city", "energy"]
    assert "image" not in data


def test_an_article_is_updated_only_once_republished_later(publish_article):
    from datetime import timedelta

    article = publish_article()
    assert not article.was_updated
    ArticlePage.objects.filter(pk=article.pk).update(
        first_published_at=article.first_published_at - timedelta(hours=2)
    )
    article.refresh_from_db()
    assert article.was_updated
