"""A WordPress export imported with `newsdesk import_content`: pages, redirects, restrictions, reruns."""

from datetime import UTC, datetime

import pytest
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import PageViewRestriction

from newsdesk.articles.models import ArticlePage, SectionPage, StaticPage
from newsdesk.content_import.models import ImportedItem
from newsdesk.content_import.tests.test_import import run, state
from newsdesk.content_import.tests.wxr import write_export
from newsdesk.people.models import Contributor

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(base_site, tmp_path, old_site):
    """The Ledger's export, its pictures served by the old site on loopback, imported once."""
    path = write_export(tmp_path, site=old_site)
    output = run(path)
    return path, output, old_site


def test_stories_pages_authors_sections_tags_and_pictures(imported):
    _, output, old_site = imported
    assert "Format: WordPress WXR 1.2" in output
    assert "Stories: made 6" in output
    assert "Pages: made 2" in output
    assert "Authors: made 3" in output
    assert "Sections: made 2" in output  # City, and Stories for the uncategorised

    story = ArticlePage.objects.get(slug="council-votes-bridge")
    assert story.url == "/city/council-votes-bridge/"
    assert story.live
    assert story.first_published_at == datetime(2013, 1, 11, 9, 30, tzinfo=UTC)
    assert story.standfirst == "A 7 to 2 vote after a decade of delay."
    assert story.seo_title == "Bridge vote: what it means"
    assert [c.name for c in story.contributors] == ["Mara Okafor"]
    assert sorted(t.name for t in story.tags.all()) == ["Bridges", "Council & Mayor", "Transport"]
    assert story.lead_image.description == "The old bridge at dawn"
    assert story.lead_image_caption == "The bridge, closed since March."
    assert [b.block_type for b in story.body] == [
        "paragraph",
        "paragraph",
        "heading",
        "image",
        "block_quote",
        "pull_quote",
        "embed",
        "paragraph",  # the list
        "paragraph",  # the reusable block
        "embed",  # the uploaded video, as a link
        "paragraph",  # the block of raw HTML, its script left out
    ]
    flood = ArticlePage.objects.get(slug="night-of-the-flood")
    assert flood.get_parent().specific == SectionPage.objects.get(slug="stories")
    # Linked before it was imported: resolved once every story existed.
    assert f'linktype="page" id="{flood.pk}"' in story.body[1].value.source
    assert Contributor.objects.filter(name="News Desk").exists()

    assert "Night of the flood (/2013/01/12/night-of-the-flood/):" in output
    assert "A gallery names the picture 99, which is not in the export." in output
    assert f"{old_site}/wp-content/uploads/2013/01/crossing.mp4 is not imported" in output

    # The child came first in the file; it is under its parent all the same.
    about, ethics = StaticPage.objects.get(slug="about"), StaticPage.objects.get(slug="ethics")
    assert about.url == "/about/"
    assert ethics.url == "/about/ethics/"
    assert about.live and ethics.live


def test_hostile_html_in_the_export_never_reaches_a_reader(imported, client):
    html = client.get("/city/council-votes-bridge/").content.decode()
    assert "Read the council's papers." in html or "Read the council&#x27;s papers." in html
    assert "alert(" not in html
    assert "steal()" not in html


def test_old_addresses_redirect_permanently(imported, client, settings):
    settings.PAGE_CACHE_SECONDS = 60
    story = ArticlePage.objects.get(slug="council-votes-bridge")
    assert client.get("/").status_code == 200  # the home page, now in the page cache
    for _ in range(2):  # the second time, past the page cache
        for old in ("/2013/01/11/council-votes-bridge/", "/?p=10", "/?p=10&utm_source=x"):
            response = client.get(old)
            assert response.status_code == 301, old
            assert response["Location"] == story.url
    assert client.get("/?page_id=21")["Location"] == "/about/ethics/"
    assert client.get("/?p=21")["Location"] == "/about/ethics/"
    # A page at the same address needs none; unknown or silly ids show the home page.
    assert not Redirect.objects.filter(old_path__in=["/about", "/about/ethics"]).exists()
    for other in ("/?p=999", "/?p=1" + "0" * 30, "/?p=abc", "/?p=١٠"):
        assert client.get(other).status_code == 200, other


def test_password_post_is_behind_wagtails_password_restriction(imported, client):
    page = ArticlePage.objects.get(slug="members-briefing")
    restriction = PageViewRestriction.objects.get(page=page)
    assert restriction.restriction_type == PageViewRestriction.PASSWORD
    assert restriction.password == "river-2013"
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "For members only." not in html
    assert 'name="password"' in html
    response = client.post(
        f"/_util/authenticate_with_password/{restriction.pk}/{page.pk}/",
        {"password": "river-2013", "return_url": page.url},
    )
    assert response.status_code == 302
    assert "For members only." in client.get(page.url).content.decode()


def test_scheduled_private_and_draft_posts(imported):
    later = ArticlePage.objects.get(slug="bridge-opens")
    assert not later.live
    assert later.go_live_at == datetime(2030, 5, 1, 7, tzinfo=UTC)
    private = ArticlePage.objects.get(slug="staff-notes")
    assert not private.live
    assert (
        PageViewRestriction.objects.get(page=private).restriction_type == PageViewRestriction.LOGIN
    )
    draft = ArticlePage.objects.get(slug="a-draft")
    assert not draft.live
    assert [c.name for c in draft.contributors] == ["ghostwriter"]


def test_a_rerun_duplicates_nothing(imported):
    path, _, _ = imported
    before = state()
    output = run(path)
    assert state() == before
    assert "Stories: made 0, unchanged 6" in output
    assert "Pages: made 0, unchanged 2" in output
    assert ImportedItem.objects.filter(source_format="wordpress").count() == 8
