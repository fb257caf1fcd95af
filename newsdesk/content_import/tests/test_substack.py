"""The Substack reader: the export zip read into stories."""

import zipfile
from datetime import UTC, datetime

import pytest
from bs4 import BeautifulSoup

from newsdesk.content_import import substack
from newsdesk.content_import.sources import Kind, Status, UnreadableExport, Visibility
from newsdesk.content_import.tests.substack_zip import BODIES, COLUMNS, ROWS, write_zip


@pytest.fixture
def export(tmp_path):
    return substack.read(write_zip(tmp_path))


@pytest.fixture
def items(export):
    return {item.source_id: item for item in export.items}


def test_format_site_and_the_one_author(export):
    assert export.format == "Substack"
    # Found in the posts' own links to the publication.
    assert export.site_url == "https://riverside.substack.com"
    assert list(export.authors) == ["substack"]
    assert export.authors["substack"].name == "Riverside"


def test_a_published_post(items):
    post = items["101"]
    assert post.kind is Kind.STORY
    assert post.title == "The ferry timetable"
    assert post.slug == "the-ferry-timetable"
    assert post.excerpt == "What changes on Monday"
    assert post.status is Status.PUBLISHED
    assert post.published_at == datetime(2024, 3, 4, 14, 0, tzinfo=UTC)
    assert post.old_paths == ["/p/the-ferry-timetable"]
    assert post.author_ids == ["substack"]
    assert post.visibility is Visibility.PUBLIC


def test_audiences(items):
    assert items["102"].visibility is Visibility.PAID
    assert items["103"].visibility is Visibility.PAID  # founding members pay too
    assert items["104"].visibility is Visibility.MEMBERS


def test_a_draft_never_had_an_address(items):
    draft = items["105"]
    assert draft.status is Status.DRAFT
    assert draft.published_at is None
    assert draft.slug == "notes-for-next-week"
    assert draft.old_paths == []


def test_body_pictures_quotes_and_embeds(items):
    html = BeautifulSoup(items["101"].html, "html.parser")
    figure = html.find("figure", class_=False)
    # The original upload, not the CDN's resized copy.
    assert (
        figure.img["src"] == "https://substack-post-media.s3.amazonaws.com/public/images/ferry.jpeg"
    )
    assert figure.img["alt"] == "The ferry at the quay"
    assert figure.figcaption.get_text() == "The morning ferry. Photo: Lina Berg"
    assert html.find("aside", class_="pullquote").get_text() == "Hourly, at last."
    assert [f["data-url"] for f in html.find_all("figure", class_="kg-embed-card")] == [
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://twitter.com/riverside/status/1765000000000000000",
    ]
    assert (
        html.find("a", string="inside the council")["href"]
        == "https://riverside.substack.com/p/inside-the-council"
    )
    # A button to somewhere else stays, as a link.
    assert (
        html.find("a", string="The full timetable")["href"]
        == "https://riverside.example/timetable.pdf"
    )


def test_widgets_are_left_out_and_listed(items):
    post = items["101"]
    assert "form" not in post.html
    assert "Subscribe" not in post.html
    assert "Share" not in post.html
    assert post.warnings == [
        "Left out of the body: subscribe form ×1, subscribe or share button ×2."
    ]
    assert items["102"].html == "<p>Paid readers only.</p><p>The rest.</p>"
    assert items["102"].warnings == ["Left out of the body: paywall marker ×1."]


def test_podcast_audio_is_reported(items):
    assert items["104"].warnings == [
        "The podcast's audio is not imported; it stays at https://api.substack.com/feed/podcast/104.mp3."
    ]


def test_a_missing_body_is_reported(tmp_path):
    bodies = {k: v for k, v in BODIES.items() if k != "103.founders-letter"}
    items = {i.source_id: i for i in substack.read(write_zip(tmp_path, bodies=bodies)).items}
    assert items["103"].html == ""
    assert items["103"].warnings == [
        "posts/103.founders-letter.html is not in the export: the story has no body."
    ]


def test_export_in_a_folder_and_without_own_links(tmp_path):
    path = tmp_path / "nested.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("export/posts.csv", ",".join(COLUMNS) + "\n" + ",".join(ROWS[2]) + "\n")
        archive.writestr("export/posts/103.founders-letter.html", "<p>Thank you.</p>")
    export = substack.read(path)
    assert export.site_url == ""
    assert export.authors["substack"].name == "Substack"
    (item,) = export.items
    assert item.html == "<p>Thank you.</p>"


def test_a_zip_without_posts_csv_is_unreadable(tmp_path):
    path = tmp_path / "photos.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("posts/1.a.html", "<p>x</p>")
    with pytest.raises(
        UnreadableExport, match=r"photos\.zip has no posts.csv: expected Substack's export"
    ):
        substack.read(path)


def test_posts_csv_without_substacks_columns_is_unreadable(tmp_path):
    path = tmp_path / "other.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("posts.csv", "id,name\n1,x\n")
    with pytest.raises(
        UnreadableExport, match="lacks the columns is_published, post_date, post_id, title"
    ):
        substack.read(path)


def test_not_a_zip_is_unreadable(tmp_path):
    path = tmp_path / "export.zip"
    path.write_text("this is not a zip")
    with pytest.raises(UnreadableExport, match=r"export\.zip is not a readable zip"):
        substack.read(path)


def test_a_body_over_the_limit_is_not_read(tmp_path, monkeypatch):
    monkeypatch.setattr(substack, "BODY_MAX_BYTES", 20)
    items = {i.source_id: i for i in substack.read(write_zip(tmp_path)).items}
    assert items["103"].html == "<p>Thank you.</p>"  # 17 bytes
    assert items["101"].html == ""
    assert items["101"].warnings == [
        "posts/101.the-ferry-timetable.html is larger than 20 bytes: not read."
    ]
