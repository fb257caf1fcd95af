"""The admin's Front page: lead, top stories and picks arranged on one screen, published, logged."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission, User
from wagtail.models import PageLogEntry

from newsdesk.curation.models import EditorsPick, EditorsPicks
from newsdesk.home.models import HomeFeaturedStory, HomePage

pytestmark = pytest.mark.django_db

URL = "/admin/front-page/"


@pytest.fixture
def stories(publish_article):
    return [publish_article(f"Story {n}") for n in range(4)]


def test_the_screen_shows_the_lists_the_search_and_the_page(editor_client, newsroom, stories):
    home = HomePage.objects.get()
    HomeFeaturedStory.objects.create(page=home, article=stories[2], sort_order=0)
    picks = EditorsPicks.for_site(home.get_site())
    picks.picks = [EditorsPick(article=stories[1], sort_order=0)]
    picks.save()
    soup = BeautifulSoup(editor_client.get(URL).content, "html.parser")
    titles = lambda name: [t.get_text() for t in soup.select(f'[data-list="{name}"] [data-title]')]  # noqa: E731
    assert titles("stories") == ["Story 2"] and titles("picks") == ["Story 1"]
    assert soup.select_one("iframe")["src"] == "/admin/front-page/preview/"
    preview = editor_client.get("/admin/front-page/preview/")
    assert preview["X-Frame-Options"] == "SAMEORIGIN" and b"Story 2" in preview.content
    found = editor_client.get("/admin/front-page/stories/?q=story 3").json()["stories"]
    assert [story["title"] for story in found] == ["Story 3"]
    assert len(editor_client.get("/admin/front-page/stories/").json()["stories"]) == 4
    assert '"/admin/front-page/"' in editor_client.get("/admin/").content.decode()


def test_saving_publishes_the_order_and_logs_it(editor_client, client, newsroom, stories):
    response = editor_client.post(
        URL,
        {"stories": [stories[3].pk, stories[0].pk], "picks": [stories[2].pk, stories[1].pk]},
    )
    assert response.status_code == 302
    home = HomePage.objects.get()
    assert [s.article_id for s in home.featured_stories.order_by("sort_order")] == [
        stories[3].pk,
        stories[0].pk,
    ]
    # The home page's editor and history say the same: a published revision.
    latest = home.get_latest_revision_as_object()
    assert [s.article_id for s in latest.featured_stories.all()] == [stories[3].pk, stories[0].pk]
    assert not home.has_unpublished_changes
    picks = EditorsPicks.for_site(home.get_site()).articles()
    assert picks == [stories[2], stories[1]]
    entry = PageLogEntry.objects.get(action="home.arrange_front_page")
    assert entry.user.username == "chief"
    assert entry.data == {
        "stories": [stories[3].pk, stories[0].pk],
        "picks": [stories[2].pk, stories[1].pk],
    }
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    assert soup.select_one(".front__lead").get_text(" ", strip=True).count("Story 3") == 1
    assert [a.get_text() for a in soup.select(".editors-picks a")] == ["Story 2", "Story 1"]


@pytest.mark.parametrize(
    "stories_sent",
    [["abc"], ["99999"], ["1", "1"], [str(n) for n in range(40)]],
)
def test_a_bad_list_stores_nothing_and_says_why(editor_client, newsroom, stories, stories_sent):
    before = HomePage.objects.get().latest_revision_id
    response = editor_client.post(URL, {"stories": stories_sent}, follow=True)
    assert response.status_code == 200
    assert [message.level_tag for message in response.context["messages"]] == ["error"]
    assert HomePage.objects.get().latest_revision_id == before
    assert not PageLogEntry.objects.filter(action="home.arrange_front_page").exists()


def test_only_those_who_publish_and_curate_arrange(client, newsroom, stories):
    user = User.objects.create_user("reporter", "r@example.org", "pw", is_staff=True)
    group = Group.objects.create(name="Reporters")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    client.force_login(user)
    for url in [URL, URL + "stories/", URL + "preview/"]:
        assert client.get(url)["Location"] == "/admin/"
    client.post(URL, {"stories": [stories[0].pk]})
    assert not HomePage.objects.get().featured_stories.exists()
    assert '"/admin/front-page/"' not in client.get("/admin/").content.decode()
