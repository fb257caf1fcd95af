import pytest
from bs4 import BeautifulSoup

from newsdesk.curation.models import EditorsPick, EditorsPicks
from newsdesk.home.models import HomeFeaturedStory

pytestmark = pytest.mark.django_db


def pick(newsroom, *articles):
    picks = EditorsPicks.for_site(newsroom["home"].get_site())
    picks.picks = [EditorsPick(article=article, sort_order=n) for n, article in enumerate(articles)]
    picks.save()
    return picks


def test_editors_picks_appear_in_the_editors_order_beside_articles_and_on_the_home_page(
    client, newsroom, publish_article
):
    first, second, third = (publish_article(f"Story {n}") for n in range(3))
    pick(newsroom, third, first)
    for url in ("/", second.url):
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        picks = soup.find("section", class_="editors-picks")
        assert picks.h2.get_text() == "Editors' Picks"
        assert [a.get_text() for a in picks.find_all("a")] == ["Story 2", "Story 0"]


def test_an_unpublished_pick_drops_out_by_itself(client, newsroom, publish_article):
    kept, dropped = publish_article("Kept"), publish_article("Dropped")
    pick(newsroom, dropped, kept)
    dropped.unpublish()
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    assert [a.get_text() for a in soup.select(".editors-picks a")] == ["Kept"]


def test_no_picks_no_block(client, newsroom, publish_article):
    publish_article()
    assert "Editors' Picks" not in client.get("/").content.decode()


def test_editors_arrange_the_lead_and_top_stories(client, newsroom, publish_article):
    _older, lead, top = (
        publish_article("Older"),
        publish_article("The lead"),
        publish_article("Top two"),
    )
    home = newsroom["home"]
    home.featured_stories = [
        HomeFeaturedStory(article=lead, sort_order=0),
        HomeFeaturedStory(article=top, sort_order=1),
    ]
    home.save_revision().publish()
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    assert (
        soup.select_one(".story-card--lead .story-card__headline").get_text(strip=True)
        == "The lead"
    )
    # The newest stories fill the top stories after the editors' own, each story once.
    top_stories = soup.find("section", attrs={"aria-labelledby": "top-heading"})
    assert [a.get_text() for a in top_stories.select(".story-card__headline a")] == [
        "Top two",
        "Older",
    ]
    assert not soup.find("section", attrs={"aria-labelledby": "latest-heading"})
    # The section's three stories are all above: its block has none left to show.
    assert not soup.find(
        "section", attrs={"aria-labelledby": f"section-{newsroom['section'].pk}-heading"}
    )

    lead.unpublish()
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    assert (
        soup.select_one(".story-card--lead .story-card__headline").get_text(strip=True) == "Top two"
    )


def test_editors_choose_and_order_picks_in_the_admin(client, newsroom, publish_article):
    from django.contrib.auth.models import User
    from wagtail.test.utils.form_data import inline_formset, nested_form_data

    first, second = publish_article("First pick"), publish_article("Second pick")
    url = f"/admin/settings/curation/editorspicks/{newsroom['home'].get_site().pk}/"
    assert client.get(url).status_code == 302  # staff only

    client.force_login(User.objects.create_superuser("chief", "chief@example.org", "pw"))
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        nested_form_data(
            {
                "picks": inline_formset(
                    [{"article": second.pk, "ORDER": 1}, {"article": first.pk, "ORDER": 2}]
                )
            }
        ),
    )
    assert response.status_code == 302
    client.logout()
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    assert [a.get_text() for a in soup.select(".editors-picks a")] == ["Second pick", "First pick"]
