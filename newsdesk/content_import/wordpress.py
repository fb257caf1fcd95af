"""WordPress's export (WXR 1.1 and 1.2, Tools → Export) read into an Export.

The file is read twice, both times as a stream whose elements are dropped
once read, so memory holds one post at a time whatever the size of the
archive. The first pass keeps only what posts refer to and may come after
them: the attachments (featured pictures, galleries), the pages' slugs and
parents (a page's address is its ancestors' slugs), the reusable blocks, the
authors. The second
yields the stories and pages.

The XML is parsed by defusedxml: no entity declarations (billion laughs), no
external entities or DTDs, so nothing is fetched and nothing expands.
"""

import html
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.utils.text import slugify

from newsdesk.content_import.sources import (
    Author,
    Export,
    Item,
    Kind,
    Picture,
    Status,
    UnreadableExport,
)
from newsdesk.content_import.wordpress_html import Converter

NAMESPACES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
}
WXR_NAMESPACE = re.compile(r"http://wordpress\.org/export/(\d+\.\d+)/(excerpt/)?$")
KINDS = {"post": Kind.STORY, "page": Kind.PAGE}
STATUSES = {
    "publish": Status.PUBLISHED,
    "draft": Status.DRAFT,
    "pending": Status.DRAFT,
    "future": Status.SCHEDULED,
    "private": Status.PRIVATE,
}
NO_DATE = "0000-00-00 00:00:00"
# WordPress's placeholder category, on every post nobody filed: no section.
UNCATEGORIZED = "uncategorized"


def _name(tag: str) -> str:
    """ "{http://wordpress.org/export/1.2/}post_id" → "wp:post_id", whatever the WXR version."""
    if not tag.startswith("{"):
        return tag
    uri, local = tag[1:].split("}", 1)
    wxr = WXR_NAMESPACE.match(uri)
    if wxr:
        return ("excerpt:" if wxr[2] else "wp:") + local
    prefix = NAMESPACES.get(uri)
    return f"{prefix}:{local}" if prefix else local


def _plain(text: str) -> str:
    """Titles and excerpts: tags dropped, entities read, whitespace folded."""
    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", text)).split())


def _path(url: str) -> str:
    parts = urlsplit(url.strip())
    if not parts.path and not parts.query:
        return ""
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _local_time(value: str) -> datetime | None:
    if not value or value.startswith("0000"):
        return None
    try:
        return datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None


def _stream(path: Path) -> Iterator[tuple[str, Element, list[Element]]]:
    """("start"|"end", element, its ancestors) for the whole file, each element cleared once read.

    Reading an <item> or a channel's <wp:author> whole needs its children kept
    until its end; what is finished is cleared and removed from its parent, so
    the tree never grows past the element being read.
    """
    ancestors: list[Element] = []
    try:
        for event, element in iterparse(str(path), events=("start", "end")):
            if event == "start":
                yield event, element, ancestors
                ancestors.append(element)
                continue
            ancestors.pop()
            yield event, element, ancestors
            if len(ancestors) <= 2:  # a child of <rss> or of <channel>
                element.clear()
                if ancestors:
                    ancestors[-1].remove(element)
    except DefusedXmlException as error:
        raise UnreadableExport(
            f"{path.name} declares XML entities or a DTD, which a WordPress export never does; "
            f"it was not read ({error.__class__.__name__})."
        ) from error
    except ParseError as error:
        raise UnreadableExport(
            f"{path.name} is not well-formed XML ({error}); expected a WordPress export "
            "(WXR), as Tools → Export makes it."
        ) from error


def _fields(item: Element) -> dict[str, Any]:
    """An <item>'s children by name; categories and postmeta gathered in lists."""
    fields: dict[str, Any] = {"categories": [], "meta": {}}
    for child in item:
        name = _name(child.tag)
        if name == "category":
            fields["categories"].append(
                (child.get("domain", ""), child.get("nicename", ""), child.text or "")
            )
        elif name == "wp:postmeta":
            meta = {_name(c.tag): c.text or "" for c in child}
            fields["meta"].setdefault(meta.get("wp:meta_key", ""), meta.get("wp:meta_value", ""))
        else:
            fields[name] = child.text or ""
    return fields


class WXR:
    """What the first pass learns; the second pass reads the posts with it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.version = ""
        self.site_url = ""
        self.authors: dict[str, Author] = {}
        self.attachments: dict[str, Picture] = {}
        self.attached: dict[str, list[tuple[int, str]]] = {}
        self.pages: dict[str, tuple[str, str]] = {}  # id → (slug, parent id)
        self.reusable: dict[str, str] = {}  # reusable blocks' content by id
        self.importable_pages: set[str] = set()  # pages read as items: not trashed, not auto-drafts
        # WordPress keeps each post's local time beside UTC; drafts have only the
        # local one, read in the site's offset as the other posts show it.
        self.offset: timedelta | None = None

    def index(self) -> None:
        is_rss = False
        link = base_url = ""
        for event, element, ancestors in _stream(self.path):
            if event == "start":
                if not ancestors:
                    is_rss = element.tag == "rss"
                    if not is_rss:
                        break
                continue
            if len(ancestors) != 2:
                continue
            name = _name(element.tag)
            if name == "wp:wxr_version":
                self.version = (element.text or "").strip()
            elif name == "link":
                link = (element.text or "").strip()
            elif name == "wp:base_site_url":
                base_url = (element.text or "").strip()
            elif name == "wp:author":
                self.add_author({_name(c.tag): (c.text or "").strip() for c in element})
            elif name == "item":
                self.index_item(_fields(element))
        if not is_rss or not self.version:
            raise UnreadableExport(
                f"{self.path.name} is XML but not a WordPress export: expected an <rss> "
                "document with WordPress's <wp:wxr_version>, as Tools → Export makes it."
            )
        self.site_url = (link or base_url).rstrip("/")

    def add_author(self, author: dict[str, str]) -> None:
        login = author.get("wp:author_login", "")
        if not login:
            return
        name = " ".join(
            filter(None, [author.get("wp:author_first_name"), author.get("wp:author_last_name")])
        )
        self.authors[login] = Author(
            source_id=login,
            name=author.get("wp:author_display_name") or name or login,
            email=author.get("wp:author_email", ""),
            slug=slugify(login),
        )

    def index_item(self, fields: dict[str, Any]) -> None:
        post_id = fields.get("wp:post_id", "").strip()
        post_type = fields.get("wp:post_type", "")
        if post_type == "attachment":
            url = fields.get("wp:attachment_url", "").strip()
            if url:
                self.attachments[post_id] = Picture(
                    url=url,
                    alt=_plain(fields["meta"].get("_wp_attachment_image_alt", "")),
                    caption=_plain(fields.get("excerpt:encoded", "")),
                )
                parent = fields.get("wp:post_parent", "0").strip()
                order = int(fields.get("wp:menu_order", "0").strip() or 0)
                self.attached.setdefault(parent, []).append((order, post_id))
        elif post_type == "wp_block":
            self.reusable[post_id] = fields.get("content:encoded", "")
        elif post_type == "page":
            if fields.get("wp:status", "").strip() in STATUSES:
                self.importable_pages.add(post_id)
            self.pages[post_id] = (
                fields.get("wp:post_name", "").strip(),
                fields.get("wp:post_parent", "0").strip(),
            )
        if post_type in KINDS:
            creator = fields.get("dc:creator", "").strip()
            if creator and creator not in self.authors:
                # WXR 1.0 and partial exports name authors only on their posts.
                self.authors[creator] = Author(
                    source_id=creator, name=creator, slug=slugify(creator)
                )
            local = _local_time(fields.get("wp:post_date", ""))
            utc = _local_time(fields.get("wp:post_date_gmt", ""))
            if self.offset is None and local and utc:
                self.offset = local - utc

    def page_path(self, page_id: str) -> str:
        slugs: list[str] = []
        seen: set[str] = set()
        while page_id in self.pages and page_id not in seen:
            seen.add(page_id)
            slug, page_id = self.pages[page_id]
            slugs.insert(0, slug)
        return "/" + "/".join(slugs) + "/" if all(slugs) else ""

    def items(self) -> Iterator[Item]:
        converter = Converter(
            self.attachments,
            {parent: [i for _, i in sorted(ids)] for parent, ids in self.attached.items()},
            self.reusable,
        )
        # A page comes after its parent, which the writer puts it under: one whose
        # parent is still to come waits for it (pages are few; stories never wait).
        waiting: dict[str, list[Item]] = {}
        done: set[str] = set()

        def with_children(item: Item) -> Iterator[Item]:
            if item.source_id in done:
                return
            yield item
            done.add(item.source_id)
            for child in waiting.pop(item.source_id, []):
                yield from with_children(child)

        for event, element, ancestors in _stream(self.path):
            if event == "end" and len(ancestors) == 2 and _name(element.tag) == "item":
                item = self.item(_fields(element), converter)
                if item is None:
                    continue
                parent = item.parent_source_id
                if parent and parent in self.importable_pages and parent not in done:
                    waiting.setdefault(parent, []).append(item)
                else:
                    yield from with_children(item)
        while waiting:  # pages whose parents are each other's (hand-edited data)
            for child in waiting.popitem()[1]:
                yield from with_children(child)

    def time(self, fields: dict[str, Any]) -> datetime | None:
        utc = _local_time(fields.get("wp:post_date_gmt", ""))
        if utc is not None:
            return utc.replace(tzinfo=UTC)
        local = _local_time(fields.get("wp:post_date", ""))
        if local is None:
            return None
        return local.replace(tzinfo=timezone(self.offset or timedelta(0)))

    def item(self, fields: dict[str, Any], converter: Converter) -> Item | None:
        kind = KINDS.get(fields.get("wp:post_type", ""))
        status = STATUSES.get(fields.get("wp:status", "").strip())
        if kind is None or status is None:  # menus, revisions, trash, auto-drafts
            return None
        post_id = fields.get("wp:post_id", "").strip()
        title = _plain(fields.get("title", ""))
        slug = fields.get("wp:post_name", "").strip() or slugify(title) or f"post-{post_id}"
        old_paths = [_path(fields.get("link", "")), f"/?p={post_id}"]
        parent = ""
        if kind is Kind.PAGE:
            old_paths += [self.page_path(post_id), f"/?page_id={post_id}"]
            parent = fields.get("wp:post_parent", "0").strip()
            parent = parent if parent in self.pages else ""
        html_body, warnings = converter.convert(fields.get("content:encoded", ""), post_id)
        categories = [(n, t) for d, n, t in fields["categories"] if d == "category"]
        filed = [_plain(t) for n, t in categories if n != UNCATEGORIZED]
        tags = filed[1:] + [_plain(t) for d, _, t in fields["categories"] if d == "post_tag"]
        meta = fields["meta"]
        thumbnail = meta.get("_thumbnail_id", "").strip()
        feature_image = self.attachments.get(thumbnail)
        if thumbnail and feature_image is None:
            warnings.append(f"The featured picture {thumbnail} is not in the export.")
        published = status is not Status.DRAFT
        creator = fields.get("dc:creator", "").strip()
        return Item(
            source_id=post_id,
            kind=kind,
            title=title,
            slug=slug,
            html=html_body,
            status=status,
            old_paths=list(dict.fromkeys(p for p in old_paths if p and p != "/")),
            published_at=self.time(fields) if published else None,
            updated_at=_aware_utc(fields.get("wp:post_modified_gmt", "")),
            excerpt=_plain(fields.get("excerpt:encoded", "")),
            seo_title=_yoast(meta.get("_yoast_wpseo_title", "")),
            search_description=_yoast(meta.get("_yoast_wpseo_metadesc", "")),
            feature_image=feature_image,
            author_ids=[creator] if creator else [],
            section=filed[0] if filed else "",
            tags=list(dict.fromkeys(t for t in tags if t)),
            password=fields.get("wp:post_password", ""),
            parent_source_id=parent,
            warnings=warnings,
        )


def _aware_utc(value: str) -> datetime | None:
    moment = _local_time(value)
    return moment.replace(tzinfo=UTC) if moment else None


def _yoast(value: str) -> str:
    """Yoast SEO's title or description, unless it is a template ("%%title%% %%sep%%")."""
    return "" if "%%" in value else _plain(value)


def read(path: str | Path) -> Export:
    wxr = WXR(Path(path))
    wxr.index()
    return Export(
        format=f"WordPress WXR {wxr.version}",
        site_url=wxr.site_url,
        authors=wxr.authors,
        items=wxr.items(),
    )
