"""Imported HTML as article blocks."""

import pytest

from newsdesk.articles.blocks import ArticleBodyBlock, embed_provider
from newsdesk.content_import.blocks import Converter, Target, old_path, plain_text

SITE = "https://old.example.org"


class Library:
    """The picture callable of a unit test: ids for addresses, None for those it 'cannot fetch'."""

    def __init__(self, missing=()):
        self.missing = set(missing)
        self.asked = []

    def __call__(self, picture):
        self.asked.append(picture)
        return None if picture.url in self.missing else len(self.asked)


def convert(html, pages=None, library=None):
    return Converter(SITE, pages or {}, library or Library()).convert(html)


def test_paragraphs_are_sanitised_rich_text():
    body = convert('<p onclick="x()">Hi <b>there</b><script>alert(1)</script></p><p> </p>')
    assert body.blocks == [{"type": "paragraph", "value": "<p>Hi <b>there</b></p>"}]


def test_headings_h1_to_h2_and_h4_to_h6_to_h3_as_plain_text():
    body = convert("<h1>One</h1><h2>Two <em>x</em></h2><h3>Three</h3><h5>Five</h5>")
    assert [b["value"] for b in body.blocks] == [
        {"text": "One", "level": "h2"},
        {"text": "Two x", "level": "h2"},
        {"text": "Three", "level": "h3"},
        {"text": "Five", "level": "h3"},
    ]


def test_block_quote_with_attribution_and_pull_quotes():
    body = convert(
        "<blockquote><p>First.</p><p>Second.</p><cite>— A Mayor</cite></blockquote>"
        '<blockquote class="kg-blockquote-alt">Pulled line</blockquote>'
        "<aside>Aside line</aside>"
    )
    assert body.blocks == [
        {"type": "block_quote", "value": {"quote": "First.\n\nSecond.", "attribution": "A Mayor"}},
        {"type": "pull_quote", "value": {"text": "Pulled line"}},
        {"type": "pull_quote", "value": {"text": "Aside line"}},
    ]


def test_nested_lists_stay_rich_text():
    body = convert("<ul><li>one<ol><li>a</li></ol></li><li>two</li></ul>")
    assert body.blocks == [
        {"type": "paragraph", "value": "<ul><li>one<ol><li>a</li></ol></li><li>two</li></ul>"}
    ]


def test_figures_and_bare_images_become_image_blocks_with_their_caption():
    library = Library()
    body = convert(
        '<figure><img src="/content/images/a.jpg" alt="A"><figcaption>Cap <b>b</b></figcaption></figure>'
        '<p>Before <img src="https://cdn.example.net/b.png"> after</p>',
        library=library,
    )
    assert body.blocks == [
        {"type": "image", "value": {"image": 1, "caption": "Cap b", "credit": ""}},
        {"type": "paragraph", "value": "<p>Before  after</p>"},
        {"type": "image", "value": {"image": 2, "caption": "", "credit": ""}},
    ]
    assert [p.url for p in library.asked] == [
        "https://old.example.org/content/images/a.jpg",
        "https://cdn.example.net/b.png",
    ]
    assert library.asked[0].alt == "A"
    assert library.asked[0].caption == "Cap b"


def test_a_picture_that_cannot_be_had_leaves_no_block():
    library = Library(missing={"https://old.example.org/x.jpg"})
    assert convert('<img src="/x.jpg">', library=library).blocks == []


def test_embeds_become_link_cards():
    body = convert(
        '<figure class="kg-card kg-embed-card" data-url="https://www.youtube.com/watch?v=abc">'
        '<iframe src="https://www.youtube.com/embed/abc"></iframe><figcaption>A video</figcaption></figure>'
        '<iframe src="https://www.youtube.com/embed/xyz?feature=oembed"></iframe>'
        '<figure class="kg-card kg-embed-card"><blockquote class="twitter-tweet"><p>Tweet</p>'
        '<a href="https://twitter.com/someone/status/1">March 1</a></blockquote>'
        '<script src="https://platform.twitter.com/widgets.js"></script></figure>'
    )
    assert body.blocks == [
        {
            "type": "embed",
            "value": {"url": "https://www.youtube.com/watch?v=abc", "caption": "A video"},
        },
        {"type": "embed", "value": {"url": "https://www.youtube.com/watch?v=xyz", "caption": ""}},
        {"type": "embed", "value": {"url": "https://twitter.com/someone/status/1", "caption": ""}},
    ]


def test_bookmarks_to_imported_stories_are_related_story_cards_others_links():
    pages = {"/known/": Target(7, True), "/about/": Target(8, False)}
    body = convert(
        '<figure class="kg-bookmark-card"><a href="https://old.example.org/known/">'
        '<div class="kg-bookmark-title">Known</div></a></figure>'
        '<figure class="kg-bookmark-card"><a href="https://elsewhere.org/x/">'
        '<div class="kg-bookmark-title">Elsewhere</div></a></figure>',
        pages=pages,
    )
    assert body.blocks == [
        {"type": "related_story", "value": {"article": 7}},
        {"type": "paragraph", "value": '<p><a href="https://elsewhere.org/x/">Elsewhere</a></p>'},
    ]
    assert not body.unresolved


def test_links_to_imported_stories_become_page_links_unknown_ones_are_marked_unresolved():
    pages = {"/known/": Target(7, True)}
    body = convert(
        '<p><a href="/known/">k</a> <a href="https://old.example.org/known">k2</a> '
        '<a href="https://elsewhere.org/">e</a></p>',
        pages=pages,
    )
    assert body.blocks[0]["value"] == (
        '<p><a linktype="page" id="7">k</a> <a linktype="page" id="7">k2</a> '
        '<a href="https://elsewhere.org/">e</a></p>'
    )
    assert not body.unresolved
    assert convert('<p><a href="/not-yet/">n</a></p>', pages=pages).unresolved


def test_unknown_markup_is_kept_as_text_with_a_warning_scripts_left_out():
    body = convert(
        "<table><tr><td>cell</td></tr></table><div><p>in a div</p></div><script>x()</script>"
    )
    assert body.blocks == [
        {"type": "paragraph", "value": "<p>cell</p>"},
        {"type": "paragraph", "value": "<p>in a div</p>"},
    ]
    assert body.warnings == ["a <table> kept as text", "a <script> left out"]


def test_loose_inline_content_is_gathered_into_a_paragraph():
    body = convert("Loose <b>text</b> here<p>Then a paragraph</p>")
    assert [b["value"] for b in body.blocks] == [
        "<p>Loose <b>text</b> here</p>",
        "<p>Then a paragraph</p>",
    ]


def test_the_blocks_are_valid_stream_data():
    body = convert(
        "<h2>H</h2><p>P</p><blockquote>Q</blockquote><aside>PQ</aside>"
        '<figure class="kg-embed-card" data-url="https://vimeo.com/1"></figure>'
    )
    ArticleBodyBlock().clean(ArticleBodyBlock().to_python(body.blocks))


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("https://old.example.org/a/", "/a/"),
        ("https://www.old.example.org/a", "/a/"),
        ("/a/?p=1", "/a/?p=1"),
        ("https://elsewhere.org/a/", None),
        ("mailto:x@example.org", None),
        ("relative/", None),
    ],
)
def test_old_paths_of_links(url, path):
    assert old_path(url, SITE) == path


def test_providers_are_named():
    assert embed_provider("https://www.youtube.com/watch?v=1") == "YouTube"
    assert embed_provider("https://x.com/a/status/1") == "X"
    assert embed_provider("https://charts.example.net/1") == "charts.example.net"


def test_titles_with_markup_become_plain_text():
    assert plain_text("A <em>bold</em>\n claim") == "A bold claim"


def test_callouts_are_paragraphs_preformatted_text_keeps_its_lines_with_a_warning():
    body = convert(
        '<div class="kg-card kg-callout-card"><p>💡 Note <b>this</b></p></div>'
        '<div class="kg-card kg-callout-card"><div class="kg-callout-emoji">💡</div>'
        '<div class="kg-callout-text">Ghost\'s <a href="https://example.org/">own</a></div></div>'
        "<pre><code>line 1\nline <2></code></pre>"
    )
    assert [b["value"] for b in body.blocks] == [
        "<p>💡 Note <b>this</b></p>",
        '<p>💡 Ghost\'s <a href="https://example.org/">own</a></p>',
        "<p>line 1<br>line &lt;2&gt;</p>",
    ]
    assert body.warnings == ["preformatted text kept as a paragraph"]
