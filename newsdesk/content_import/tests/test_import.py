"""Importing a Ghost export into the site: `newsdesk import_content` and writer.py."""

import io
import json
from datetime import UTC, datetime
from itertools import islice
from urllib.parse import unquote

import pytest
from django.core.management import CommandError, call_command
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, PageLogEntry, PageViewRestriction, Revision

from newsdesk.articles.models import ArticlePage, SectionPage, StaticPage
from newsdesk.content_import import ghost
from newsdesk.content_import.models import ImportedItem, ImportedPicture
from newsdesk.content_import.sources import UnreadableExport
from newsdesk.content_import.tests.ghost_exports import (
    jpeg,
    lexical,
    paragraph,
    post,
    text,
    write_export,
)
from newsdesk.content_import.writer import BATCH_SIZE, import_export, import_file
from newsdesk.images.models import NewsImage
from newsdesk.people.models import Contributor

pytestmark = pytest.mark.django_db

POLITICS = [{"id": "pt1", "post_id": "p1", "tag_id": "t2", "sort_order": 0}]


def run(*args):
    out = io.StringIO()
    call_command("import_content", *map(str, args), stdout=out)
    return out.getvalue()


def state():
    """What an import can write, counted."""
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "images": NewsImage.objects.count(),
        "redirects": Redirect.objects.count(),
        "contributors": Contributor.objects.count(),
        "imported": ImportedItem.objects.count(),
        "restrictions": PageViewRestriction.objects.count(),
    }


@pytest.fixture
def images_dir(tmp_path):
    folder = tmp_path / "content" / "images"
    (folder / "2024" / "03").mkdir(parents=True)
    (folder / "2024" / "03" / "lead.jpg").write_bytes(jpeg(colour=(10, 200, 10)))
    return folder


def test_stories_pages_sections_authors_tags_and_dates(base_site, tmp_path, images_dir):
    posts_tags = [
        {"id": "x1", "post_id": "p1", "tag_id": "t1", "sort_order": 0},
        {"id": "x2", "post_id": "p1", "tag_id": "t2", "sort_order": 1},
        {"id": "x3", "post_id": "p1", "tag_id": "t3", "sort_order": 2},
    ]
    posts_authors = [
        {"id": "a1", "post_id": "p1", "author_id": "u2", "sort_order": 0},
        {"id": "a2", "post_id": "p1", "author_id": "u1", "sort_order": 1},
        {"id": "a3", "post_id": "p2", "author_id": "u1", "sort_order": 0},
    ]
    meta = [
        {
            "post_id": "p1",
            "feature_image_alt": "Voters queue",
            "feature_image_caption": "Voters queue / Agency",
            "meta_title": "SEO title",
            "meta_description": "SEO description",
        }
    ]
    path = write_export(
        tmp_path / "g.json",
        [
            post(
                "p1",
                "first-story",
                title="First <i>story</i>",
                custom_excerpt="The dek.",
                feature_image="__GHOST_URL__/content/images/2024/03/lead.jpg",
            ),
            post("p2", "about", type="page", title="About us"),
        ],
        posts_tags=posts_tags,
        posts_authors=posts_authors,
        posts_meta=meta,
    )
    output = run(path, "--images", images_dir)
    assert "Stories: made 1" in output
    assert "Pages: made 1" in output

    story = ArticlePage.objects.get()
    assert story.title == "First story"
    assert story.live
    assert story.get_parent().specific == SectionPage.objects.get(slug="politics")
    assert story.url == "/politics/first-story/"
    assert story.standfirst == "The dek."
    assert story.seo_title == "SEO title"
    assert story.search_description == "SEO description"
    assert [c.name for c in story.contributors] == ["Petro Editor", "Olena Writer"]
    assert sorted(t.name for t in story.tags.all()) == ["Elections", "Politics"]
    assert story.first_published_at == datetime(2024, 3, 1, 10, tzinfo=UTC)
    assert story.last_published_at == datetime(2024, 3, 2, 10, tzinfo=UTC)
    assert story.lead_image.description == "Voters queue"
    assert story.lead_image_caption == "Voters queue / Agency"
    assert story.body[0].block_type == "paragraph"

    page = StaticPage.objects.get()
    assert page.title == "About us"
    assert page.url == "/about/"
    assert page.live


def test_old_addresses_answer_301_to_the_new_ones_also_with_the_page_cache(
    base_site, tmp_path, client, settings
):
    settings.PAGE_CACHE_SECONDS = 60
    path = write_export(tmp_path / "g.json", [post("p1", "first-story")], posts_tags=POLITICS)
    run(path)
    for _ in range(2):  # the second time, past the page cache
        response = client.get("/first-story/")
        assert response.status_code == 301
        assert response["Location"] == "/politics/first-story/"
    assert client.get("/politics/first-story/").status_code == 200


def test_the_imported_story_renders_with_its_blocks_and_no_third_party_frame(
    base_site, tmp_path, client
):
    body = lexical(
        paragraph(text("Opening.")),
        {
            "type": "embed",
            "url": "https://www.youtube.com/watch?v=abc",
            "html": "<iframe src='https://www.youtube.com/embed/abc'></iframe>",
        },
        {"type": "aside", "children": [text("A pulled line")]},
    )
    run(write_export(tmp_path / "g.json", [post("p1", "s", body=body)], posts_tags=POLITICS))
    html = client.get("/politics/s/").content.decode()
    assert "Opening." in html
    assert "On YouTube" in html
    assert 'href="https://www.youtube.com/watch?v=abc"' in html
    assert "<iframe" not in html
    assert "A pulled line" in html


def test_drafts_stay_drafts_scheduled_stories_are_scheduled(base_site, tmp_path):
    path = write_export(
        tmp_path / "g.json",
        [
            post("p1", "draft", status="draft", published_at=None),
            post("p2", "later", status="scheduled", published_at="2099-01-01T08:00:00.000Z"),
        ],
    )
    run(path)
    draft = ArticlePage.objects.get(slug="draft")
    assert not draft.live
    assert draft.latest_revision is not None
    assert draft.first_published_at is None
    later = ArticlePage.objects.get(slug="later")
    assert not later.live
    assert later.go_live_at == datetime(2099, 1, 1, 8, tzinfo=UTC)
    assert later.latest_revision.approved_go_live_at == datetime(2099, 1, 1, 8, tzinfo=UTC)


def test_members_and_paid_stories_keep_their_gate(base_site, tmp_path, client):
    from newsdesk.members.models import StoryAccess, Tier

    supporter = Tier.objects.create(
        name="Supporter", slug="supporter", monthly_price=500, yearly_price=5000, currency="EUR"
    )
    paragraphs = [paragraph(text(f"Paragraph {n}.")) for n in range(1, 6)]
    path = write_export(
        tmp_path / "g.json",
        [
            post("p1", "members", visibility="members", body=lexical(*paragraphs)),
            post("p2", "paid", visibility="tiers"),
        ],
        posts_tags=POLITICS,
    )
    run(path)
    members = ArticlePage.objects.get(slug="members")
    paid = ArticlePage.objects.get(slug="paid")
    assert members.imported_from.visibility == "members"
    assert paid.imported_from.visibility == "paid"
    assert not PageViewRestriction.objects.filter(page__in=[members, paid]).exists()
    assert StoryAccess.objects.get(page=members).level == StoryAccess.Level.MEMBERS
    paid_access = StoryAccess.objects.get(page=paid)
    assert paid_access.level == StoryAccess.Level.TIERS
    assert list(paid_access.tiers.all()) == [supporter]
    # Its opening is there for everyone, the rest behind the gate.
    html = client.get("/politics/members/").content.decode()
    assert "Paragraph 1." in html and "Paragraph 5." not in html
    assert "The rest of this story is for" in html


def test_an_editors_choice_of_tiers_survives_a_rerun(base_site, tmp_path):
    from newsdesk.members.models import StoryAccess

    path = write_export(tmp_path / "g.json", [post("p2", "paid", visibility="paid")])
    output = run(path)
    assert "no paid tier exists yet" in output
    access = StoryAccess.objects.get(page__slug="paid")
    access.level = StoryAccess.Level.MEMBERS
    access.save()
    run(path)
    assert StoryAccess.objects.get(page__slug="paid").level == StoryAccess.Level.MEMBERS


def test_a_rerun_changes_nothing_and_duplicates_nothing(base_site, tmp_path, images_dir):
    posts = [
        post("p1", "one", feature_image="/content/images/2024/03/lead.jpg"),
        post("p2", "two", feature_image="/content/images/2024/03/lead.jpg"),
        post("p3", "page", type="page"),
    ]
    path = write_export(tmp_path / "g.json", posts)
    run(path, "--images", images_dir)
    before = state()
    assert before["images"] == 1  # the same picture twice, imported once
    output = run(path, "--images", images_dir)
    assert state() == before
    assert "Stories: made 0, unchanged 2" in output
    assert "Pages: made 0, unchanged 1" in output


def test_a_changed_item_updates_its_page_with_a_new_revision(base_site, tmp_path):
    path = write_export(tmp_path / "g.json", [post("p1", "one", title="Old title")])
    run(path)
    page = ArticlePage.objects.get()
    revisions = page.revisions.count()
    write_export(path, [post("p1", "one", title="New title")])
    output = run(path)
    assert "Stories: made 0, updated 1" in output
    page.refresh_from_db()
    assert page.title == "New title"
    assert page.revisions.count() == revisions + 1
    assert ArticlePage.objects.count() == 1
    assert page.first_published_at == datetime(2024, 3, 1, 10, tzinfo=UTC)


def test_an_interrupted_import_is_finished_by_a_rerun(base_site, tmp_path):
    path = write_export(tmp_path / "g.json", [post(f"p{n}", f"story-{n}") for n in range(5)])

    def interrupt(report):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        # Stopped after the first batch of two was committed.
        import_export(ghost.read(path), progress=interrupt, batch_size=2)
    assert ArticlePage.objects.count() == 2
    report = import_file(path)
    assert (report.made["stories"], report.skipped["stories"]) == (3, 2)
    assert sorted(ArticlePage.objects.values_list("slug", flat=True)) == [
        f"story-{n}" for n in range(5)
    ]
    assert Redirect.objects.count() == 5


def test_links_and_bookmarks_between_stories_point_to_the_new_pages(base_site, tmp_path, client):
    # The first story links and bookmarks the second, which comes after it in the file.
    first = lexical(
        paragraph(
            text("See "),
            {"type": "link", "url": "__GHOST_URL__/second/", "children": [text("the second")]},
        ),
        {"type": "bookmark", "url": "__GHOST_URL__/second/", "metadata": {"title": "Second"}},
    )
    path = write_export(
        tmp_path / "g.json",
        [post("p1", "first", body=first), post("p2", "second", title="The second story")],
    )
    report = import_file(path, site_url="https://old.example.org")
    first_page = ArticlePage.objects.get(slug="first")
    second_page = ArticlePage.objects.get(slug="second")
    assert [b.block_type for b in first_page.body] == ["paragraph", "related_story"]
    assert first_page.body[1].value["article"].pk == second_page.pk
    assert f'linktype="page" id="{second_page.pk}"' in first_page.body[0].value.source
    assert not ImportedItem.objects.exclude(pending=None).exists()
    assert report.made["stories"] == 2 and report.updated["stories"] == 0
    html = client.get(first_page.url).content.decode()
    assert f'href="{second_page.url}"' in html
    assert "The second story" in html  # the related-story card


def test_pictures_from_the_old_site_one_missing_is_reported_by_story(base_site, tmp_path, old_site):
    body = lexical(
        {"type": "image", "src": "__GHOST_URL__/content/images/gone.jpg", "alt": "Gone"},
        {"type": "image", "src": "__GHOST_URL__/content/images/note.jpg", "alt": "Text"},
        paragraph(text("Still here.")),
    )
    path = write_export(
        tmp_path / "g.json",
        [
            post(
                "p1",
                "with-pictures",
                title="With pictures",
                body=body,
                feature_image="__GHOST_URL__/content/images/ok.jpg",
            )
        ],
    )
    output = run(path, "--site-url", old_site)
    story = ArticlePage.objects.get()
    assert story.lead_image is not None
    assert ImportedPicture.objects.get().url == f"{old_site}/content/images/ok.jpg"
    assert [b.block_type for b in story.body] == ["paragraph"]
    assert "With pictures (/with-pictures/):" in output
    assert f"{old_site}/content/images/gone.jpg: 404 Not Found" in output
    assert f"{old_site}/content/images/note.jpg: not a picture" in output


def test_pictures_follow_redirects_but_never_into_a_private_network_other_than_the_old_sites(
    base_site, tmp_path, old_site
):
    port = old_site.rsplit(":", 1)[1]
    body = lexical(
        {"type": "image", "src": "__GHOST_URL__/content/images/moved.jpg"},
        {"type": "image", "src": "__GHOST_URL__/content/images/inside.jpg"},
        {"type": "image", "src": f"http://localhost:{port}/content/images/ok.jpg"},
    )
    path = write_export(tmp_path / "g.json", [post("p1", "s", title="S", body=body)])
    report = import_file(path, site_url=old_site)
    story = ArticlePage.objects.get()
    assert [b.block_type for b in story.body] == ["image"]
    assert report.missing_pictures == {
        "S (/s/)": [
            f"{old_site}/content/images/inside.jpg: on a private network, not the old site's",
            f"http://localhost:{port}/content/images/ok.jpg: on a private network, not the old site's",
        ]
    }


def test_the_report_survives_json(base_site, tmp_path):
    from newsdesk.content_import.writer import Report

    report = import_file(write_export(tmp_path / "g.json", [post("p1", "one")]))
    assert Report.from_json(json.loads(json.dumps(report.as_json()))) == report


def test_a_rerun_brings_the_pictures_that_were_missing(base_site, tmp_path, old_site, images_dir):
    path = write_export(
        tmp_path / "g.json",
        [post("p1", "s", feature_image="__GHOST_URL__/content/images/2024/03/lead.jpg")],
    )
    first = import_file(path, site_url=old_site)  # the old site answers 404 for it
    assert first.missing_pictures
    assert ArticlePage.objects.get().lead_image is None
    second = import_file(path, site_url=old_site, images_dir=images_dir)
    assert not second.missing_pictures
    assert second.updated["stories"] == 1
    assert ArticlePage.objects.get().lead_image is not None
    third = import_file(path, site_url=old_site, images_dir=images_dir)
    assert third.skipped["stories"] == 1


def test_unicode_slugs_and_sections_keep_their_letters(base_site, tmp_path, client):
    tags = [{"id": "k1", "name": "Київ", "slug": "kyiv", "visibility": "public"}]
    path = write_export(
        tmp_path / "g.json",
        [post("p1", "міст-відкрили")],
        tags=tags,
        posts_tags=[{"id": "x", "post_id": "p1", "tag_id": "k1", "sort_order": 0}],
    )
    import_file(path)
    story = ArticlePage.objects.get()
    assert unquote(story.url) == "/київ/міст-відкрили/"
    response = client.get(
        "/%D0%BC%D1%96%D1%81%D1%82-%D0%B2%D1%96%D0%B4%D0%BA%D1%80%D0%B8%D0%BB%D0%B8/"
    )
    assert response.status_code == 301
    assert client.get(response["Location"]).status_code == 200


def test_the_dry_run_reports_and_writes_nothing(base_site, tmp_path, old_site, settings):
    path = write_export(
        tmp_path / "g.json",
        [
            post("p1", "one", feature_image="__GHOST_URL__/content/images/ok.jpg"),
            post("p2", "about", type="page"),
        ],
        posts_tags=POLITICS,
    )
    before = state()
    output = run(path, "--site-url", old_site, "--dry-run")
    assert state() == before
    assert not SectionPage.objects.exists()
    assert not list((settings.MEDIA_ROOT).rglob("*.jpg"))
    assert "Dry run: nothing was written." in output
    assert "Stories: would make 1" in output
    assert "Pages: would make 1" in output
    assert "Pictures: would make 1" in output


def test_every_import_is_in_the_audit_log_under_the_system(base_site, tmp_path):
    run(write_export(tmp_path / "g.json", [post("p1", "one")]))
    entry = PageLogEntry.objects.get(action="content_import.import")
    assert entry.page.specific == ArticlePage.objects.get()
    assert entry.user is None
    assert entry.data["file"] == "g.json"
    assert entry.data["source_id"] == "p1"
    assert "Imported from “g.json”" in entry.message


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"db": [{"meta": {"version": "5.0.0"}, "data": {"posts": [', "not valid JSON"),
        ('{"db": [{"meta": {"version": "2.0.0"}, "data": {"posts": []}}]}', "Ghost 2.0.0"),
        ("<html></html>", "expected a Ghost JSON export"),
    ],
)
def test_a_malformed_or_unknown_file_is_a_command_error_and_nothing_is_written(
    base_site, tmp_path, content, message
):
    path = tmp_path / "export.json"
    path.write_text(content)
    before = state()
    with pytest.raises(CommandError, match=message):
        run(path)
    assert state() == before


def test_a_missing_file_or_folder_is_a_command_error(base_site, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run(tmp_path / "nothing.json")
    path = write_export(tmp_path / "g.json", [post("p1", "one")])
    with pytest.raises(CommandError, match="no such folder"):
        run(path, "--images", tmp_path / "nowhere")


def test_an_archives_narrations_are_queued_as_a_backlog_newest_story_first(
    base_site, tmp_path, django_capture_on_commit_callbacks, queued_tasks
):
    path = write_export(
        tmp_path / "g.json",
        [
            post("p1", "old", published_at="2020-01-01T08:00:00.000Z"),
            post("p2", "new", published_at="2024-06-01T08:00:00.000Z"),
            post("p3", "middle", published_at="2022-01-01T08:00:00.000Z"),
        ],
    )
    with django_capture_on_commit_callbacks(execute=True):
        import_file(path)
    narrated = [args[0] for task, args, _ in queued_tasks() if task.endswith("narrate_article")]
    slugs = dict(ArticlePage.objects.values_list("pk", "slug"))
    assert [slugs[pk] for pk in narrated] == ["new", "middle", "old"]


def test_a_file_that_breaks_off_midway_keeps_the_batches_before_and_says_so(
    base_site, tmp_path, monkeypatch
):
    path = write_export(
        tmp_path / "g.json", [post(f"p{n}", f"s{n}") for n in range(BATCH_SIZE + 1)]
    )
    real_read = ghost.read

    def breaking_read(path, site_url=""):
        # A reader that finds the file broken after a batch of items (WordPress and
        # Substack stream too; Ghost's reader checks the whole file first).
        export = real_read(path, site_url=site_url)
        first = list(islice(export.items, BATCH_SIZE))

        def items():
            yield from first
            raise UnreadableExport("The export breaks off here.")

        export.items = items()
        return export

    monkeypatch.setattr(ghost, "read", breaking_read)
    with pytest.raises(CommandError, match=r"breaks off here\. What was imported before"):
        run(path)
    assert ArticlePage.objects.count() == BATCH_SIZE


def test_pages_go_under_the_page_the_old_site_put_them_under(base_site):
    from newsdesk.content_import.sources import Export, Item, Kind, Status

    def page(source_id, slug, parent=""):
        return Item(
            source_id=source_id,
            kind=Kind.PAGE,
            title=slug.capitalize(),
            slug=slug,
            html="<p>Text.</p>",
            status=Status.PUBLISHED,
            old_paths=[f"/?page_id={source_id}"],
            parent_source_id=parent,
        )

    export = Export(
        format="WordPress WXR 1.2",
        site_url="https://old.example.org",
        authors={},
        items=iter(
            [page("1", "about"), page("2", "team", parent="1"), page("3", "lost", parent="9")]
        ),
    )
    import_export(export)
    assert StaticPage.objects.get(slug="team").url == "/about/team/"
    assert StaticPage.objects.get(slug="lost").url == "/lost/"
    assert Redirect.objects.get(old_path="/?page_id=2").redirect_page.specific.slug == "team"


def test_authors_already_in_the_newsroom_are_bylined_not_doubled(base_site, tmp_path):
    existing = Contributor.objects.create(name="Olena Writer", slug="olena-w", role="City desk")
    report = import_file(write_export(tmp_path / "g.json", [post("p1", "one"), post("p2", "two")]))
    assert report.made["authors"] == 0
    assert Contributor.objects.count() == 1
    assert {page.contributors[0] for page in ArticlePage.objects.all()} == {existing}


def test_an_item_the_site_refuses_is_reported_and_the_import_goes_on(
    base_site, tmp_path, monkeypatch
):
    from django.core.exceptions import ValidationError

    from newsdesk.content_import.writer import Writer

    real_page = Writer._page

    def refusing_page(self, item, page, body):
        page = real_page(self, item, page, body)  # made, then refused: it must not stay
        if item.slug == "bad":
            raise ValidationError("This field cannot be blank.")
        return page

    monkeypatch.setattr(Writer, "_page", refusing_page)
    # The refused story comes first: the section and author it made must not stay, in the
    # database or in what the import remembers for the stories after it.
    path = write_export(
        tmp_path / "g.json",
        [post("p2", "bad", title="Bad"), post("p1", "good"), post("p3", "fine")],
    )
    output = run(path)
    assert sorted(ArticlePage.objects.values_list("slug", flat=True)) == ["fine", "good"]
    assert [s.url for s in SectionPage.objects.all()] == ["/stories/"]
    assert all(
        p.get_parent().specific == SectionPage.objects.get() for p in ArticlePage.objects.all()
    )
    assert Contributor.objects.count() == 1
    assert "Authors: made 1" in output
    assert "Sections: made 1" in output
    assert not ImportedItem.objects.filter(source_id="p2").exists()
    assert not Redirect.objects.filter(old_path="/bad").exists()
    assert "Not imported" in output
    assert "Bad (/bad/): This field cannot be blank." in output


def test_a_story_published_by_the_import_is_as_one_an_editor_published(
    base_site, tmp_path, client, run_tasks
):
    """fastpublish.py: one save, yet the state Wagtail's own publish leaves, for readers and editors."""
    from django.urls import reverse
    from wagtail.models import ReferenceIndex
    from wagtail.signals import page_published

    body = lexical(
        paragraph(
            text("Bridge works, "),
            {"type": "link", "url": "__GHOST_URL__/earlier/", "children": [text("earlier")]},
        )
    )
    path = write_export(
        tmp_path / "g.json",
        [
            post("p1", "earlier", title="Earlier bridge news"),
            post("p2", "bridge", title="Bridge reopens", body=body),
        ],
    )
    published = []

    def receiver(sender, instance, revision, **kwargs):
        published.append((sender, instance.pk, revision.pk))

    page_published.connect(receiver)
    try:
        import_file(path, site_url="https://old.example.org")
    finally:
        page_published.disconnect(receiver)
    earlier = ArticlePage.objects.get(slug="earlier")
    story = ArticlePage.objects.get(slug="bridge")
    section = story.get_parent().specific

    # The same story made and published as an editor does, beside it, for the state to compare.
    editors = ArticlePage(title="Bridge reopens", slug="bridge-by-hand", body=story.body)
    section.add_child(instance=editors)
    editors.save_revision().publish()
    editors.refresh_from_db()

    revision = Revision.objects.get(object_id=str(story.pk))
    assert story.live and editors.live
    assert story.has_unpublished_changes is editors.has_unpublished_changes is False
    assert story.latest_revision == story.live_revision == revision
    assert editors.latest_revision == editors.live_revision
    assert story.latest_revision_created_at == revision.created_at
    assert story.draft_title == story.title
    assert revision.as_object().body.get_prep_value() == story.body.get_prep_value()
    assert story.first_published_at == datetime(2024, 3, 1, 10, 0, tzinfo=UTC)
    assert story.url_path == f"{section.url_path}bridge/"
    assert story.path.startswith(section.path) and story.depth == section.depth + 1
    assert not story.expired and story.go_live_at is None
    section.refresh_from_db()
    assert section.numchild == 2 + 1  # both stories and the editor's
    assert published[-1] == (ArticlePage, story.pk, revision.pk)
    actions = set(PageLogEntry.objects.filter(page=story).values_list("action", "revision"))
    assert {("wagtail.create", None), ("wagtail.publish", revision.pk)} <= actions
    assert {a for a, _ in actions} == {
        a for a, _ in PageLogEntry.objects.filter(page=editors).values_list("action", "revision")
    } | {"content_import.import"}

    # Readers: its page, the section's listing, the search (indexed by the worker, as in production).
    run_tasks()
    assert client.get(story.url).status_code == 200
    assert "Bridge reopens" in client.get(section.url).content.decode()
    found = client.get(reverse("search"), {"q": "bridge reopens"}).content.decode()
    assert story.url in found
    # The reference index knows its link to the earlier story, as for the editor's copy.
    assert ReferenceIndex.get_references_to(earlier).filter(object_id=str(story.pk)).exists()
    assert ReferenceIndex.get_references_to(earlier).filter(object_id=str(editors.pk)).exists()
