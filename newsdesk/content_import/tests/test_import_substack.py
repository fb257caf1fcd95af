"""A Substack export imported with `newsdesk import_content`."""

import pytest

from newsdesk.articles.models import ArticlePage
from newsdesk.content_import.tests.substack_zip import write_zip
from newsdesk.content_import.tests.test_import import run, state
from newsdesk.members.models import StoryAccess
from newsdesk.people.models import Contributor

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(base_site, tmp_path, old_site):
    """The publication's export, as if it lived at the old site on loopback, pictures and all."""
    path = write_zip(tmp_path, site=old_site, media=old_site)
    return path, run(path)


def test_stories_bylined_to_one_contributor(imported):
    _, output = imported
    assert "Format: Substack" in output
    assert "Stories: made 5" in output
    assert "Authors: made 1" in output
    assert "Pictures: made 1" in output
    ferry = ArticlePage.objects.get(slug="the-ferry-timetable")
    assert ferry.url == "/stories/the-ferry-timetable/"
    assert ferry.live
    assert ferry.standfirst == "What changes on Monday"
    # Named after the publication's host; an address like 127.0.0.1 names none.
    assert [c.name for c in ferry.contributors] == ["Substack"]
    assert Contributor.objects.get().slug == "substack"
    assert [b.block_type for b in ferry.body] == [
        "paragraph",
        "image",
        "pull_quote",
        "embed",
        "embed",
        "paragraph",
        "paragraph",
    ]
    assert ferry.body[1].value["caption"] == "The morning ferry. Photo: Lina Berg"
    council = ArticlePage.objects.get(slug="inside-the-council")
    # Substack links its posts as https://<name>.substack.com/p/<slug>.
    assert f'linktype="page" id="{council.pk}"' in ferry.body[5].value.source
    assert "Left out of the body: subscribe form ×1, subscribe or share button ×2." in output
    assert not ArticlePage.objects.get(slug="notes-for-next-week").live


def test_old_addresses_redirect_and_paid_posts_keep_their_gate(imported, client):
    response = client.get("/p/the-ferry-timetable")
    assert response.status_code == 301
    assert response["Location"] == "/stories/the-ferry-timetable/"
    assert client.get("/p/the-ferry-timetable/")["Location"] == "/stories/the-ferry-timetable/"
    for slug, visibility in (
        ("inside-the-council", "paid"),
        ("founders-letter", "paid"),
        ("river-walk", "members"),
    ):
        page = ArticlePage.objects.get(slug=slug)
        assert page.imported_from.visibility == visibility
        assert StoryAccess.objects.get(page=page).level == (
            StoryAccess.Level.MEMBERS if visibility == "members" else StoryAccess.Level.TIERS
        )
        assert "The rest of this story is for" in client.get(page.url).content.decode()


def test_a_rerun_duplicates_nothing(imported):
    path, _ = imported
    before = state()
    output = run(path)
    assert state() == before
    assert "Stories: made 0, unchanged 5" in output
