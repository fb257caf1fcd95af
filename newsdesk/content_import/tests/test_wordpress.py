"""The WordPress reader: a WXR export read into stories, pages, authors and pictures."""

import tracemalloc
from datetime import UTC, datetime, timedelta, timezone

import pytest
from bs4 import BeautifulSoup

from newsdesk.content_import import wordpress
from newsdesk.content_import.sources import Kind, Picture, Status, UnreadableExport
from newsdesk.content_import.tests.wxr import HEAD, TAIL, item, write_export
from newsdesk.content_import.wordpress_html import Converter, autop, parse_blocks


@pytest.fixture
def export(tmp_path):
    return wordpress.read(write_export(tmp_path))


@pytest.fixture
def items(export):
    return {item.source_id: item for item in export.items}


def soup(html):
    return BeautifulSoup(html, "html.parser")


def test_channel_authors_and_format(export):
    assert export.format == "WordPress WXR 1.2"
    assert export.site_url == "https://ledger.example"
    mara = export.authors["mara"]
    assert (mara.name, mara.email, mara.slug) == ("Mara Okafor", "mara@ledger.example", "mara")
    assert export.authors["desk"].name == "News Desk"
    # Named only on a post, as WXR 1.0 and partial exports do.
    assert export.authors["ghostwriter"].name == "ghostwriter"


def test_wxr_1_1_is_read(tmp_path):
    export = wordpress.read(write_export(tmp_path, version="1.1"))
    assert export.format == "WordPress WXR 1.1"
    assert len(list(export.items)) == 8


def test_only_posts_and_pages_with_a_real_status_become_items(items):
    # nav_menu_item, revisions ("inherit") and attachments are not stories.
    assert sorted(items) == ["10", "11", "12", "13", "14", "15", "20", "21"]
    assert items["10"].kind is Kind.STORY
    assert items["20"].kind is Kind.PAGE


def test_a_published_post(items):
    post = items["10"]
    assert post.title == "Council votes to rebuild the bridge"
    assert post.slug == "council-votes-bridge"
    assert post.status is Status.PUBLISHED
    assert post.published_at == datetime(2013, 1, 11, 9, 30, tzinfo=UTC)
    assert post.updated_at == datetime(2013, 1, 12, 7, 0, tzinfo=UTC)
    assert post.old_paths == ["/2013/01/11/council-votes-bridge/", "/?p=10"]
    assert post.author_ids == ["mara"]
    assert post.section == "City"
    assert post.tags == ["Transport", "Bridges", "Council & Mayor"]
    assert post.excerpt == "A 7 to 2 vote after a decade of delay."
    assert post.seo_title == "Bridge vote: what it means"
    assert post.search_description == ""  # a Yoast template, not a description


def test_featured_picture_from_an_attachment_later_in_the_file(items):
    assert items["10"].feature_image == Picture(
        url="https://ledger.example/wp-content/uploads/2013/01/bridge.jpg",
        alt="The old bridge at dawn",
        caption="The bridge, closed since March.",
    )
    assert items["11"].feature_image is None
    assert "The featured picture 77 is not in the export." in items["11"].warnings


def test_local_time_read_in_the_sites_offset_when_utc_is_missing(items):
    # Post 10 was written at 10:30 local, 09:30 UTC: the site is an hour ahead.
    assert items["11"].published_at == datetime(
        2013, 1, 12, 23, 15, tzinfo=timezone(timedelta(hours=1))
    )
    assert items["11"].published_at == datetime(2013, 1, 12, 22, 15, tzinfo=UTC)


def test_uncategorized_is_no_section(items):
    assert items["11"].section == ""
    assert items["11"].tags == []


def test_password_future_private_and_draft(items):
    assert items["12"].password == "river-2013"
    assert items["12"].title == "Members’ briefing"  # entities read
    assert items["13"].status is Status.SCHEDULED
    assert items["13"].published_at == datetime(2030, 5, 1, 7, 0, tzinfo=UTC)
    assert items["14"].status is Status.PRIVATE
    assert items["14"].password == ""
    draft = items["15"]
    assert draft.status is Status.DRAFT
    assert draft.published_at is None
    assert draft.slug == "a-draft"  # WordPress gives drafts no slug yet
    assert draft.old_paths == ["/?p=15"]


def test_page_hierarchy_with_the_child_before_its_parent(items):
    ethics, about = items["21"], items["20"]
    assert ethics.parent_source_id == "20"
    assert about.parent_source_id == ""
    assert ethics.old_paths == ["/about/ethics/", "/?p=21", "/?page_id=21"]
    assert about.old_paths == ["/about/", "/?p=20", "/?page_id=20"]
    assert about.html == "<p>Who we are.</p>\n<p>Where we are.</p>"


def test_a_page_comes_after_its_parent(tmp_path):
    path = tmp_path / "pages.xml"
    path.write_text(
        HEAD.format(version="1.2")
        + item("3", "Grandchild", "", post_type="page", slug="c", parent="2")
        + item("2", "Child", "", post_type="page", slug="b", parent="1")
        + item("9", "A story", "")
        + item("1", "Parent", "", post_type="page", slug="a")
        + item("4", "Orphan", "", post_type="page", slug="d", parent="8")
        + item("5", "Loop one", "", post_type="page", slug="e", parent="6")
        + item("6", "Loop two", "", post_type="page", slug="f", parent="5")
        + item("8", "Trashed", "", post_type="page", slug="t", status="trash")
        + TAIL
    )
    order = [i.source_id for i in wordpress.read(path).items]
    assert order[:5] == ["9", "1", "2", "3", "4"]
    assert sorted(order[5:]) == ["5", "6"]


def test_page_path_from_the_hierarchy_when_the_link_is_a_query(tmp_path):
    path = tmp_path / "pages.xml"
    path.write_text(
        HEAD.format(version="1.2")
        + item("2", "Child", "", post_type="page", slug="child", parent="1", status="draft")
        + item("1", "Parent", "", post_type="page", slug="parent")
        + TAIL
    )
    child = next(i for i in wordpress.read(path).items if i.source_id == "2")
    assert child.old_paths == ["/?p=2", "/parent/child/", "/?page_id=2"]


def test_gutenberg_blocks(items):
    html = soup(items["10"].html)
    assert str(html.p) == "<p>The council voted <strong>7 to 2</strong> on Tuesday.</p>"
    assert html.h3.get_text() == "What happens next"
    figure = html.find("figure", class_=False)
    assert (
        figure.img["src"] == "https://ledger.example/wp-content/uploads/2013/01/bridge-1024x683.jpg"
    )
    assert figure.img["alt"] == "The old bridge at dawn"
    assert figure.figcaption.get_text() == "The bridge, closed since March."
    quote = html.blockquote
    assert str(quote.p) == "<p>We will not wait another <em>decade</em>.</p>"
    assert quote.cite.get_text() == "Ana Ruiz, mayor"
    assert html.find("aside", class_="pullquote").get_text() == "The bridge is the town."
    embed = html.find("figure", class_="kg-embed-card")
    assert embed["data-url"] == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    outer = html.ul
    assert [li.contents[0].strip() for li in outer.find_all("li", recursive=False)] == [
        "Repairs start in May",
        "Ferries run until then",
    ]
    assert outer.li.ul.li.get_text() == "the east span first"
    # A reusable block, kept in the export as a post of its own, in its place.
    assert html.find("p", string="The Ledger is paid for by its readers.") is not None
    embeds = html.find_all("figure", class_="kg-embed-card")
    assert embeds[1]["data-url"] == "https://ledger.example/wp-content/uploads/2013/01/crossing.mp4"
    assert "<!--" not in items["10"].html
    assert items["10"].warnings == [
        "The file https://ledger.example/wp-content/uploads/2013/01/crossing.mp4 is not imported; "
        "the story links to it.",
        "The block wp:latest-posts is made by WordPress as the page is shown; "
        "it is not in the export and was left out.",
    ]


def test_a_reusable_block_missing_or_using_itself_is_left_out_with_a_warning():
    converter = Converter({}, {}, {"7": '<!-- wp:block {"ref":7} /--><p>Seven</p>'})
    html, warnings = converter.convert('<!-- wp:block {"ref":7} /--><!-- wp:block {"ref":8} /-->')
    assert html == "<p>Seven</p>"
    assert warnings == [
        "The reusable block 7 contains itself; that copy was left out.",
        "The reusable block 8 is not in the export; it was left out.",
    ]


def test_classic_content_autop_and_shortcodes(items):
    post = items["11"]
    html = soup(post.html)
    paragraphs = html.find_all("p", recursive=False)
    assert (
        str(paragraphs[0]) == "<p>The flood came at night.<br/>\nNobody in Lower Street slept.</p>"
    )
    figures = html.find_all("figure", recursive=False)
    caption = figures[0]
    assert (
        caption.img["src"] == "https://ledger.example/wp-content/uploads/2013/01/flood-640x480.jpg"
    )
    assert caption.img["alt"] == "Water in Lower Street"
    assert caption.figcaption.get_text() == "Lower Street at 3am."
    assert [f["data-url"] for f in figures if f.get("data-url")] == [
        "https://twitter.com/ledger/status/1234567890",  # a bare URL on its own line
        "https://vimeo.com/76979871",  # [embed]
    ]
    gallery = [f.img["src"] for f in figures[3:]]
    assert gallery == [
        "https://ledger.example/wp-content/uploads/2013/01/flood.jpg",
        "https://ledger.example/wp-content/uploads/2013/01/bridge.jpg",
    ]
    assert "A gallery names the picture 99, which is not in the export." in post.warnings
    assert str(html.blockquote) == "<blockquote><p>Get out now.</p></blockquote>"
    # An escaped shortcode shows as written; an unknown one stays as text.
    assert paragraphs[-1].get_text() == 'Use [caption] for captions. [contact-form-7 id="12"]'


def test_gallery_without_ids_shows_the_pictures_uploaded_to_the_post():
    attachments = {
        "5": Picture(url="https://x.example/a.jpg", alt="A"),
        "6": Picture(url="https://x.example/b.jpg", alt="B"),
    }
    html, warnings = Converter(attachments, {"9": ["6", "5"]}).convert("[gallery]", "9")
    assert [img["src"] for img in soup(html).find_all("img")] == [
        "https://x.example/b.jpg",
        "https://x.example/a.jpg",
    ]
    assert warnings == []


def test_image_block_without_img_takes_the_attachment():
    attachments = {"5": Picture(url="https://x.example/a.jpg", alt="From the library")}
    html, _ = Converter(attachments, {}).convert(
        '<!-- wp:image {"id":5} -->\n<figure></figure>\n<!-- /wp:image -->'
    )
    assert soup(html).img["src"] == "https://x.example/a.jpg"
    assert soup(html).img["alt"] == "From the library"


def test_old_list_format_and_shortcode_block():
    content = (
        '<!-- wp:list {"ordered":true} -->\n<ol><li>One</li><li>Two</li></ol>\n<!-- /wp:list -->\n\n'
        "<!-- wp:shortcode -->\n[embed]https://vimeo.com/1[/embed]\n<!-- /wp:shortcode -->\n\n"
        '<!-- wp:separator -->\n<hr class="wp-block-separator"/>\n<!-- /wp:separator -->\n\n'
        "<!-- wp:more -->\n<!--more-->\n<!-- /wp:more -->"
    )
    html, _ = Converter({}, {}).convert(content)
    parsed = soup(html)
    assert [li.get_text() for li in parsed.ol.find_all("li")] == ["One", "Two"]
    assert parsed.find("figure", class_="kg-embed-card")["data-url"] == "https://vimeo.com/1"
    assert "more" not in html


def test_block_parser_keeps_classic_text_between_blocks():
    parts = parse_blocks(
        'Before\n<!-- wp:paragraph {"align":"center"} -->\n<p>In</p>\n<!-- /wp:paragraph -->\nAfter'
    )
    assert parts[0] == "Before\n"
    assert parts[1].name == "paragraph"
    assert parts[1].attrs == {"align": "center"}
    assert parts[1].parts == ["\n<p>In</p>\n"]
    assert parts[2] == "\nAfter"


def test_autop_leaves_blocks_and_pre_alone():
    text = "One\n\n<pre>a\n\nb</pre>\n\n<ul>\n<li>x</li>\n</ul>\nTwo\nThree"
    assert (
        autop(text)
        == "<p>One</p>\n<pre>a\n\nb</pre>\n<ul>\n<li>x</li>\n</ul>\n<p>Two<br />\nThree</p>\n"
    )


def test_malformed_xml_is_unreadable(tmp_path):
    path = tmp_path / "broken.xml"
    path.write_text(HEAD.format(version="1.2") + "<item><title>Cut off")
    with pytest.raises(
        UnreadableExport, match=r"broken\.xml is not well-formed XML .*WordPress export"
    ):
        wordpress.read(path)


def test_other_xml_is_unreadable(tmp_path):
    path = tmp_path / "feed.xml"
    path.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>'
    )
    with pytest.raises(UnreadableExport, match="not a WordPress export"):
        wordpress.read(path)


def test_entity_expansion_is_refused(tmp_path):
    path = tmp_path / "laughs.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>\n'
        + HEAD.format(version="1.2").split("\n", 1)[1]
        + item("1", "&lol2;", "")
        + TAIL
    )
    with pytest.raises(UnreadableExport, match="declares XML entities"):
        wordpress.read(path)


def test_external_entities_are_not_fetched(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("do not read")
    path = tmp_path / "xxe.xml"
    path.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
        + HEAD.format(version="1.2").split("\n", 1)[1]
        + item("1", "&xxe;", "")
        + TAIL
    )
    with pytest.raises(UnreadableExport):
        wordpress.read(path)


def test_memory_stays_flat_while_a_large_export_is_read(tmp_path):
    body = "<p>" + "The river rose again. " * 200 + "</p>"

    def traced_peak(count):
        path = tmp_path / f"big-{count}.xml"
        with path.open("w") as out:
            out.write(HEAD.format(version="1.2"))
            for number in range(count):
                out.write(item(str(number + 100), f"Story {number}", body, slug=f"story-{number}"))
            out.write(TAIL)
        tracemalloc.start()
        read = sum(1 for _ in wordpress.read(path).items)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert read == count
        return peak

    small, large = traced_peak(100), traced_peak(1000)
    # Ten times the posts (about 5 MB more XML) costs no more than a few posts' worth.
    assert large < small + 512 * 1024
