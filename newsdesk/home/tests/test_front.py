"""The front page: a lead, the top stories, the latest and each section's block, every story once."""

from collections import Counter
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup

from newsdesk.articles.models import ArticlePage, SectionPage
from newsdesk.curation.models import EditorsPick, EditorsPicks
from newsdesk.home.models import LATEST_STORIES, STORIES_PER_SECTION, TOP_STORIES, HomeFeaturedStory

pytestmark = pytest.mark.django_db


def soup_of(client, url="/"):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def story_links(soup):
    """How often each story is linked on the page, outside the header and footer."""
    main = soup.find("main")
    return Counter(a["href"] for a in main.select("article.story-card a"))


@pytest.fixture
def crowded_front(newsroom, publish_article):
    """More stories than the front page shows, in two sections, some featured and some picked."""
    home = newsroom["home"]
    culture = home.add_child(instance=SectionPage(title="Culture", slug="culture"))
    culture.save_revision().publish()
    stories = []
    for number in range(30):
        picture = newsroom["image"] if number % 3 != 2 else None
        story = publish_article(f"Story {number}", lead_image=picture)
        if number % 2:
            story.move(culture, pos="last-child")
            story = ArticlePage.objects.get(pk=story.pk)
        stories.append(story)
    # Published in order, a minute apart: Story 29 is the newest.
    for age, story in enumerate(reversed(stories)):
        ArticlePage.objects.filter(pk=story.pk).update(
            first_published_at=stories[-1].first_published_at - timedelta(minutes=age)
        )
    home.featured_stories = [
        HomeFeaturedStory(article=stories[3], sort_order=0),
        HomeFeaturedStory(article=stories[29], sort_order=1),
    ]
    home.save_revision().publish()
    picks = EditorsPicks.for_site(home.get_site())
    picks.picks = [
        EditorsPick(article=stories[3], sort_order=0),  # featured too: the front page has it
        EditorsPick(article=stories[28], sort_order=1),  # the second newest: the rail has it
        EditorsPick(article=stories[0], sort_order=2),
    ]
    picks.save()
    return {story.title: story for story in stories}


def test_no_story_shows_twice_on_the_front_page(client, crowded_front):
    soup = soup_of(client)
    links = story_links(soup)
    assert links and max(links.values()) == 1, links.most_common(3)

    lead = soup.select_one(".front__lead .story-card__headline a")
    assert lead.get_text() == "Story 3"
    top = [a.get_text() for a in soup.select(".front__top-stories .story-card__headline a")]
    # The editors' second story, then the newest not already shown nor picked.
    assert top == ["Story 29", "Story 27", "Story 26", "Story 25"][: len(top)]
    assert len(top) == TOP_STORIES
    latest = soup.find("section", attrs={"aria-labelledby": "latest-heading"})
    assert len(latest.select(".story-card")) == LATEST_STORIES
    picks = [a.get_text() for a in soup.select(".editors-picks .story-card__headline a")]
    assert picks == ["Story 28", "Story 0"]  # Story 3 leads the page instead

    blocks = soup.select(".front__sections .section-block")
    assert [block.h2.get_text() for block in blocks] == ["City", "Culture"]
    for block in blocks:
        assert len(block.select(".story-card")) == STORIES_PER_SECTION
    # A story without a picture is a card of its own, not a hole in the grid.
    text_cards = soup.select(".front__sections .story-card--text")
    assert text_cards and not any(card.find("img") for card in text_cards)

    # Beside other pages, the picks keep the stories the front page features.
    soup = soup_of(client, crowded_front["Story 1"].url)
    picks = [a.get_text() for a in soup.select(".editors-picks .story-card__headline a")]
    assert picks == ["Story 3", "Story 28", "Story 0"]


def test_the_lead_picture_loads_first_and_the_others_lazily(client, crowded_front):
    soup = soup_of(client)
    lead = soup.select_one(".front__lead img")
    assert lead["loading"] == "eager" and lead["fetchpriority"] == "high"
    assert lead.find_previous("source", type="image/webp")
    assert "1200w" in lead["srcset"] and "1600w" in lead["srcset"]
    others = soup.select("main img:not(.front__lead img)")
    assert others and all(img["loading"] == "lazy" for img in others)
    assert not any(img.get("fetchpriority") for img in others)
    # Width and height keep the space of every picture before it arrives.
    assert all(img.get("width") and img.get("height") for img in soup.select("main img"))


def test_a_page_without_its_own_description_is_described_by_the_newsroom_tagline(client, newsroom):
    from newsdesk.core.models import NewsroomSettings

    settings = NewsroomSettings.for_site(newsroom["home"].get_site())
    settings.tagline = "Independent news from the river towns"
    settings.save()
    described = soup_of(client).find("meta", attrs={"name": "description"})
    assert described["content"] == "Independent news from the river towns"
