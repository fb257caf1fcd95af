"""The Ghost reader: what each part of an export becomes, without the database."""

import json
import tracemalloc
from datetime import UTC, datetime

import pytest

from newsdesk.content_import import detect, ghost
from newsdesk.content_import.sources import Kind, Status, UnreadableExport, Visibility
from newsdesk.content_import.tests.ghost_exports import (
    lexical,
    paragraph,
    post,
    text,
    write_export,
)


def read_items(path, **options):
    export = ghost.read(path, **options)
    return export, list(export.items)


def test_a_ghost_5_export_wrapped_in_db_gives_its_posts_authors_and_dates(tmp_path):
    path = write_export(tmp_path / "ghost.json", [post("p1", "first-story")])
    export, [item] = read_items(path)
    assert export.format == "Ghost 5"
    assert export.authors["u1"].name == "Olena Writer"
    assert export.authors["u1"].email == "olena@example.org"
    assert item.source_id == "p1"
    assert item.kind == Kind.STORY
    assert item.title == "First story"
    assert item.old_paths == ["/first-story/"]
    assert item.html == "<p>Text of first-story.</p>"
    assert item.published_at == datetime(2024, 3, 1, 10, tzinfo=UTC)
    assert item.updated_at == datetime(2024, 3, 2, 10, tzinfo=UTC)
    assert item.author_ids == ["u1"]


def test_a_ghost_6_export_without_the_db_list_is_read_the_same(tmp_path):
    path = write_export(tmp_path / "g.json", [post("p1", "six")], version="6.3.1", wrapped=False)
    export, [item] = read_items(path)
    assert export.format == "Ghost 6"
    assert item.slug == "six"


def test_pages_statuses_and_visibility(tmp_path):
    posts = [
        post("p1", "about", type="page"),
        post("p2", "draft", status="draft"),
        post("p3", "later", status="scheduled", published_at="2030-01-01T08:00:00.000Z"),
        post("p4", "members", visibility="members"),
        post("p5", "paid", visibility="paid"),
        post("p6", "tiers", visibility="tiers"),
    ]
    _, items = read_items(write_export(tmp_path / "g.json", posts))
    by_slug = {item.slug: item for item in items}
    assert by_slug["about"].kind == Kind.PAGE
    assert by_slug["draft"].status == Status.DRAFT
    assert by_slug["later"].status == Status.SCHEDULED
    assert by_slug["later"].published_at == datetime(2030, 1, 1, 8, tzinfo=UTC)
    assert by_slug["members"].visibility == Visibility.MEMBERS
    assert by_slug["paid"].visibility == Visibility.PAID
    assert by_slug["tiers"].visibility == Visibility.PAID
    assert by_slug["about"].visibility == Visibility.PUBLIC


def test_tags_in_order_the_first_public_one_is_the_section_internal_ones_ignored(tmp_path):
    posts_tags = [
        {"id": "x3", "post_id": "p1", "tag_id": "t3", "sort_order": 2},
        {"id": "x1", "post_id": "p1", "tag_id": "t1", "sort_order": 0},
        {"id": "x2", "post_id": "p1", "tag_id": "t2", "sort_order": 1},
    ]
    _, [item] = read_items(
        write_export(tmp_path / "g.json", [post("p1", "s")], posts_tags=posts_tags)
    )
    assert item.section == "Politics"
    assert item.tags == ["Politics", "Elections"]


def test_authors_in_byline_order(tmp_path):
    posts_authors = [
        {"id": "a2", "post_id": "p1", "author_id": "u1", "sort_order": 1},
        {"id": "a1", "post_id": "p1", "author_id": "u2", "sort_order": 0},
    ]
    _, [item] = read_items(
        write_export(tmp_path / "g.json", [post("p1", "s")], posts_authors=posts_authors)
    )
    assert item.author_ids == ["u2", "u1"]


def test_feature_image_excerpt_and_seo_from_posts_meta_and_the_ghost_url(tmp_path):
    posts = [
        post(
            "p1",
            "s",
            title="A <em>marked</em> title",
            feature_image="__GHOST_URL__/content/images/2024/03/lead.jpg",
            custom_excerpt="The dek.",
            body=lexical(
                paragraph(
                    {
                        "type": "link",
                        "url": "__GHOST_URL__/other-story/",
                        "children": [text("other")],
                    }
                )
            ),
        )
    ]
    meta = [
        {
            "id": "m1",
            "post_id": "p1",
            "feature_image_alt": "A crowd",
            "feature_image_caption": "<span>Photo: <b>Agency</b></span>",
            "meta_title": "SEO title",
            "meta_description": "SEO description",
            "og_title": "OG title",
        }
    ]
    _, [item] = read_items(
        write_export(tmp_path / "g.json", posts, posts_meta=meta),
        site_url="https://old.example.org/",
    )
    assert item.title == "A marked title"
    assert item.feature_image.url == "https://old.example.org/content/images/2024/03/lead.jpg"
    assert item.feature_image.alt == "A crowd"
    assert item.feature_image.caption == "Photo: Agency"
    assert item.excerpt == "The dek."
    assert item.seo_title == "SEO title"
    assert item.search_description == "SEO description"
    assert item.html == '<p><a href="https://old.example.org/other-story/">other</a></p>'


LEXICAL_NODES = [
    (
        paragraph(text("b", 1), text("i", 2), text("bi", 3), text("s", 4), text("sup", 64)),
        "<p><strong>b</strong><em>i</em><em><strong>bi</strong></em><s>s</s><sup>sup</sup></p>",
    ),
    ({"type": "heading", "tag": "h3", "children": [text("Sub")]}, "<h3>Sub</h3>"),
    ({"type": "quote", "children": [text("Said")]}, "<blockquote>Said</blockquote>"),
    (
        {"type": "aside", "children": [text("Pulled")]},
        '<blockquote class="kg-blockquote-alt">Pulled</blockquote>',
    ),
    (paragraph(text("a"), {"type": "linebreak"}, text("b")), "<p>a<br>b</p>"),
    (
        {
            "type": "list",
            "listType": "bullet",
            "children": [
                {"type": "listitem", "children": [text("one")]},
                {
                    "type": "listitem",
                    "children": [
                        {
                            "type": "list",
                            "listType": "number",
                            "children": [{"type": "listitem", "children": [text("one.a")]}],
                        }
                    ],
                },
                {"type": "listitem", "children": [text("two")]},
            ],
        },
        "<ul><li>one<ol><li>one.a</li></ol></li><li>two</li></ul>",
    ),
    (
        {"type": "image", "src": "/content/images/a.jpg", "alt": "Alt", "caption": "Cap <b>x</b>"},
        '<figure class="kg-card kg-image-card"><img src="/content/images/a.jpg" alt="Alt">'
        "<figcaption>Cap <b>x</b></figcaption></figure>",
    ),
    (
        {
            "type": "embed",
            "url": "https://www.youtube.com/watch?v=abc",
            "html": "<iframe></iframe>",
            "caption": "Video",
        },
        '<figure class="kg-card kg-embed-card" data-url="https://www.youtube.com/watch?v=abc">'
        "<iframe></iframe><figcaption>Video</figcaption></figure>",
    ),
    (
        {"type": "bookmark", "url": "https://example.org/x/", "metadata": {"title": "X & Y"}},
        '<figure class="kg-card kg-bookmark-card"><a class="kg-bookmark-container" '
        'href="https://example.org/x/"><div class="kg-bookmark-title">X &amp; Y</div></a></figure>',
    ),
    (
        {"type": "html", "html": "<table><tr><td>1</td></tr></table>"},
        "<table><tr><td>1</td></tr></table>",
    ),
    ({"type": "horizontalrule"}, "<hr>"),
    (
        {"type": "callout", "calloutEmoji": "💡", "calloutText": "Note this"},
        '<div class="kg-card kg-callout-card"><p>💡 Note this</p></div>',
    ),
]


@pytest.mark.parametrize(("node", "html"), LEXICAL_NODES)
def test_lexical_nodes_as_html(tmp_path, node, html):
    _, [item] = read_items(write_export(tmp_path / "g.json", [post("p1", "s", body=lexical(node))]))
    assert item.html == html


def test_an_unknown_lexical_card_keeps_its_text_with_a_warning(tmp_path):
    node = {"type": "product", "productTitle": "A book", "productDescription": "Good"}
    _, [item] = read_items(write_export(tmp_path / "g.json", [post("p1", "s", body=lexical(node))]))
    assert "A book" in item.html
    assert item.warnings == ["a product card kept as text"]


def test_mobiledoc_for_older_posts(tmp_path):
    mobiledoc = {
        "version": "0.3.1",
        "atoms": [["soft-return", "", {}]],
        "markups": [["a", ["href", "https://example.org/"]], ["strong"]],
        "cards": [
            ["image", {"src": "/content/images/m.jpg", "alt": "M", "caption": "Mob"}],
            ["html", {"html": "<p>raw</p>"}],
        ],
        "sections": [
            [1, "h2", [[0, [], 0, "Heading"]]],
            [
                1,
                "p",
                [
                    [0, [1], 1, "bold"],
                    [0, [], 0, " and "],
                    [0, [0], 1, "link"],
                    [1, [], 0, 0],
                    [0, [], 0, "after"],
                ],
            ],
            [10, 0],
            [3, "ul", [[[0, [], 0, "item"]]]],
            [1, "aside", [[0, [], 0, "pull"]]],
            [10, 1],
        ],
    }
    row = post("p1", "s", lexical=None, mobiledoc=json.dumps(mobiledoc))
    row["lexical"] = None
    _, [item] = read_items(write_export(tmp_path / "g.json", [row]))
    assert item.html == (
        "<h2>Heading</h2>"
        '<p><strong>bold</strong> and <a href="https://example.org/">link</a><br>after</p>'
        '<figure class="kg-card kg-image-card"><img src="/content/images/m.jpg" alt="M">'
        "<figcaption>Mob</figcaption></figure>"
        "<ul><li>item</li></ul>"
        '<blockquote class="kg-blockquote-alt">pull</blockquote>'
        "<p>raw</p>"
    )


def test_the_stored_html_when_neither_editor_format_is_there(tmp_path):
    row = post("p1", "s", html="<p>Only <b>html</b></p>")
    row["lexical"] = None
    _, [item] = read_items(write_export(tmp_path / "g.json", [row]))
    assert item.html == "<p>Only <b>html</b></p>"


def test_broken_lexical_falls_back_to_the_html_with_a_warning(tmp_path):
    row = post("p1", "s", body="{not json", html="<p>Fallback</p>")
    _, [item] = read_items(write_export(tmp_path / "g.json", [row]))
    assert item.html == "<p>Fallback</p>"
    assert "lexical could not be read" in item.warnings[0]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{broken", "not valid JSON"),
        ('{"db": [{"meta": {"version": "5.1.0"}}]}', "no “data”"),
        ('{"db": [{"meta": {"version": "3.40.0"}, "data": {"posts": []}}]}', "Ghost 3.40.0"),
        ('{"db": [{"meta": {}, "data": {"posts": []}}]}', "does not say its version"),
    ],
)
def test_malformed_or_unknown_exports_are_refused_with_what_was_expected(
    tmp_path, content, message
):
    path = tmp_path / "g.json"
    path.write_text(content)
    with pytest.raises(UnreadableExport, match=message):
        ghost.read(path)


def test_a_truncated_export_is_refused_before_any_item_is_given(tmp_path):
    path = write_export(tmp_path / "g.json", [post("p1", "a"), post("p2", "b")])
    path.write_text(path.read_text()[:-200])
    with pytest.raises(UnreadableExport, match="not valid JSON"):
        ghost.read(path)


def test_the_posts_stream_memory_does_not_grow_with_the_bodies(tmp_path):
    big = "x" * 200_000
    posts = [post(f"p{n}", f"s{n}", html=f"<p>{big}</p>", lexical=None) for n in range(60)]
    for row in posts:
        row["lexical"] = None
    path = write_export(tmp_path / "g.json", posts)  # 12 MB
    export = ghost.read(path)
    tracemalloc.start()
    count = sum(1 for _ in export.items)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert count == 60
    assert peak < 3_000_000  # a few bodies at a time, not the 12 MB file


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("g.json", '{"db": [{"meta": {}, "data": {}}]}', "ghost"),
        ("g.json", '{"meta": {}, "data": {}}', "ghost"),
        (
            "w.xml",
            '<?xml version="1.0"?><rss xmlns:wp="http://wordpress.org/export/1.2/"></rss>',
            "wordpress",
        ),
    ],
)
def test_formats_are_recognised_by_content(tmp_path, name, content, kind):
    path = tmp_path / name
    path.write_text(content)
    assert detect.recognise(path) == kind


def test_a_zip_with_posts_csv_is_substack(tmp_path):
    import zipfile

    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("posts.csv", "post_id,title\n")
    assert detect.recognise(path) == "substack"


@pytest.mark.parametrize(
    "content",
    ['{"posts": []}', "<html></html>", "plain text", "[1, 2]"],
)
def test_anything_else_names_the_three_formats_expected(tmp_path, content):
    path = tmp_path / "f"
    path.write_text(content)
    with pytest.raises(UnreadableExport, match=r"Ghost JSON export.*WordPress WXR.*Substack"):
        detect.recognise(path)
