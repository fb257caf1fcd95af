"""Substack's export (Settings → Exports, a zip) read into an Export.

The zip holds posts.csv, a row per post (post_id "12345.slug", post_date,
is_published, type, audience, title, subtitle, podcast_url, ...), and
posts/<post_id>.html, each post's body. Members are read from the same zip
by the newsletters' subscriber import, not here.

Substack's export names no author. Every post is bylined to one contributor
named after the publication (from its address, found in the posts' own
links to it); renaming that contributor once in the admin renames every
byline.

A body is read from the zip when its post is reached, never extracted to disk,
and one larger than BODY_MAX_BYTES is not read at all.
"""

import csv
import io
import ipaddress
import json
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from html import escape
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup, Tag
from django.utils.text import slugify

from newsdesk.content_import import markup
from newsdesk.content_import.sources import (
    Author,
    Export,
    Item,
    Kind,
    Status,
    UnreadableExport,
    Visibility,
)

REQUIRED_COLUMNS = {"post_id", "post_date", "is_published", "title"}
AUDIENCES = {
    "everyone": Visibility.PUBLIC,
    "only_free": Visibility.MEMBERS,
    "only_paid": Visibility.PAID,
    "founding": Visibility.PAID,
}
BODY_MAX_BYTES = 16 * 1024 * 1024
AUTHOR_ID = "substack"
# Links back to the publication itself: its subscribe page first, then its posts.
OWN_LINK = (
    re.compile(r"""href="(https?://[^/"]+)/subscribe[?"]"""),
    re.compile(r"""href="(https?://[^/"]+)/p/[\w-]+"""),
)
# The publication's calls to action, which belong to Substack's pages and mean
# nothing on newsdesk's: left out, and counted in the item's warnings.
WIDGETS = {
    "subscription-widget-wrap": "subscribe form",
    "subscription-widget-wrap-editor": "subscribe form",
    "subscribe-widget": "subscribe form",
    "paywall-jump": "paywall marker",
    "community-chat": "chat invitation",
    "poll-embed": "poll",
    "install-substack-app-embed": "app invitation",
}
CALLS_TO_ACTION = re.compile(
    r"/(subscribe|account|app|share)\b|[?&]action=share|/comments\b|/gift\b"
)


def _data_attrs(element: Tag) -> dict:
    try:
        attrs = json.loads(element.get("data-attrs") or "{}")
    except ValueError:
        return {}
    return attrs if isinstance(attrs, dict) else {}


def _original_image(url: str) -> str:
    """The picture itself rather than a resized copy on Substack's CDN, where that shows."""
    found = re.match(r"https://substackcdn\.com/image/fetch/[^/]+/(https?%3A%2F%2F.+)$", url)
    return unquote(found[1]) if found else url


def _classes(element: Tag) -> set[str]:
    return set(element.get("class") or [])


def clean_body(html: str) -> tuple[str, list[str]]:
    """Substack's body HTML as the shapes of markup.py, and what was left out."""
    soup = BeautifulSoup(html, "html.parser")
    removed: Counter[str] = Counter()
    for element in soup.find_all(True):
        if not any(parent is soup for parent in element.parents):
            continue  # inside a widget already replaced
        found = _rewrite(element)
        if found is None:
            continue
        replacement, left_out = found
        if left_out:
            removed[left_out] += 1
        if replacement:
            element.replace_with(BeautifulSoup(replacement, "html.parser"))
        else:
            element.decompose()
    warnings = []
    if removed:
        listed = ", ".join(f"{label} ×{count}" for label, count in sorted(removed.items()))
        warnings.append(f"Left out of the body: {listed}.")
    return str(soup).strip(), warnings


def _rewrite(element: Tag) -> tuple[str, str] | None:
    """(the HTML to put in its place, what was left out) for Substack's own elements."""
    classes = _classes(element)
    widget = next((WIDGETS[c] for c in classes if c in WIDGETS), None)
    if widget:
        return "", widget
    if "captioned-image-container" in classes or element.name == "figure":
        figure = _figure(element)
        if figure is None:
            return ("", "picture without an address") if element.name != "figure" else None
        return figure, ""
    attrs = _data_attrs(element)
    if "button-wrapper" in classes:
        link = element.find("a", href=True)
        url = attrs.get("url") or (link["href"] if link else "")
        parts = urlsplit(url)
        if not url or CALLS_TO_ACTION.search(f"{parts.path}?{parts.query}"):
            return "", "subscribe or share button"
        text = element.get_text(" ", strip=True) or url
        return f'<p><a href="{escape(url)}">{escape(text)}</a></p>', ""
    if "pullquote" in classes:
        return markup.pullquote(" ".join(element.get_text(" ").split())), ""
    if "youtube-wrap" in classes or "vimeo-wrap" in classes:
        video = attrs.get("videoId")
        if not video:
            return "", "video without an address"
        if "youtube-wrap" in classes:
            return markup.embed(f"https://www.youtube.com/watch?v={video}"), ""
        return markup.embed(f"https://vimeo.com/{video}"), ""
    if {"tweet", "instagram", "embedded-post-wrap"} & classes:
        url = attrs.get("url") or ""
        if "instagram" in classes and attrs.get("instagram_id"):
            url = f"https://www.instagram.com/p/{attrs['instagram_id']}/"
        if not url:
            return "", "embed without an address"
        if "embedded-post-wrap" in classes:
            title = attrs.get("title") or url
            return f'<p><a href="{escape(url)}">{escape(title)}</a></p>', ""
        return markup.embed(url), ""
    return None


def _figure(element: Tag) -> str | None:
    img = element.find("img")
    if img is None:
        return None
    attrs = _data_attrs(img)
    src = attrs.get("src") or _original_image(img.get("src") or "")
    if not src:
        return None
    caption = element.find("figcaption")
    return markup.figure(
        src,
        img.get("alt") or attrs.get("alt") or "",
        " ".join(caption.get_text(" ").split()) if caption else "",
    )


def _time(value: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class SubstackZip:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            with zipfile.ZipFile(path) as archive:
                self.members = {info.filename: info for info in archive.infolist()}
                self.csv_name = next(
                    (n for n in self.members if PurePosixPath(n).name == "posts.csv"), None
                )
                if self.csv_name is None:
                    raise UnreadableExport(
                        f"{path.name} has no posts.csv: expected Substack's export (a zip "
                        "with posts.csv and a posts/ folder, from Settings → Exports)."
                    )
                columns = set(next(csv.reader(self.open_csv(archive)), []))
                missing = REQUIRED_COLUMNS - columns
                if missing:
                    raise UnreadableExport(
                        f"posts.csv in {path.name} lacks the columns {', '.join(sorted(missing))}; "
                        "expected Substack's export."
                    )
                self.site_url = self.find_site_url(archive)
        except (zipfile.BadZipFile, zipfile.LargeZipFile) as error:
            raise UnreadableExport(
                f"{path.name} is not a readable zip ({error}); expected Substack's export."
            ) from error
        self.folder = str(PurePosixPath(self.csv_name).parent)
        self.folder = "" if self.folder == "." else self.folder + "/"

    def open_csv(self, archive: zipfile.ZipFile) -> io.TextIOWrapper:
        return io.TextIOWrapper(archive.open(self.csv_name), encoding="utf-8-sig", newline="")

    def find_site_url(self, archive: zipfile.ZipFile) -> str:
        bodies = [
            info
            for name, info in self.members.items()
            if name.endswith(".html") and info.file_size <= BODY_MAX_BYTES
        ]
        for pattern in OWN_LINK:
            for info in bodies:
                found = pattern.search(archive.read(info).decode("utf-8", "replace"))
                if found:
                    return found[1]
        return ""

    def author(self) -> Author:
        host = urlsplit(self.site_url).hostname or ""
        try:
            ipaddress.ip_address(host)
            host = ""  # an address names no publication
        except ValueError:
            pass
        label = host.removeprefix("www.").split(".")[0]
        name = label.replace("-", " ").title() if label else "Substack"
        return Author(source_id=AUTHOR_ID, name=name, slug=slugify(name))

    def items(self) -> Iterator[Item]:
        with zipfile.ZipFile(self.path) as archive:
            for row in csv.DictReader(self.open_csv(archive)):
                item = self.item(row, archive)
                if item is not None:
                    yield item

    def body(self, post_id: str, archive: zipfile.ZipFile) -> tuple[str, list[str]]:
        info = self.members.get(f"{self.folder}posts/{post_id}.html")
        if info is None:
            return "", [f"posts/{post_id}.html is not in the export: the story has no body."]
        if info.file_size > BODY_MAX_BYTES:
            return "", [f"posts/{post_id}.html is larger than {BODY_MAX_BYTES} bytes: not read."]
        return clean_body(archive.read(info).decode("utf-8", "replace"))

    def item(self, row: dict[str, str], archive: zipfile.ZipFile) -> Item | None:
        post_id = (row.get("post_id") or "").strip()
        number, _, slug = post_id.partition(".")
        if not number:
            return None
        title = " ".join((row.get("title") or "").split())
        # A post that never had an address (a draft) has no slug in its id.
        old_paths = [f"/p/{slug}"] if slug else []
        slug = slug or slugify(title) or f"post-{number}"
        html, warnings = self.body(post_id, archive)
        podcast = (row.get("podcast_url") or "").strip()
        if podcast:
            warnings.append(f"The podcast's audio is not imported; it stays at {podcast}.")
        published = (row.get("is_published") or "").strip().lower() == "true"
        return Item(
            source_id=number,
            kind=Kind.STORY,
            title=title or slug,
            slug=slug,
            html=html,
            status=Status.PUBLISHED if published else Status.DRAFT,
            old_paths=old_paths,
            published_at=_time(row.get("post_date") or "") if published else None,
            excerpt=" ".join((row.get("subtitle") or "").split()),
            author_ids=[AUTHOR_ID],
            visibility=AUDIENCES.get((row.get("audience") or "").strip(), Visibility.PUBLIC),
            warnings=warnings,
        )


def read(path: str | Path) -> Export:
    export = SubstackZip(Path(path))
    author = export.author()
    return Export(
        format="Substack",
        site_url=export.site_url,
        authors={author.source_id: author},
        items=export.items(),
    )
