"""What every export format is read into, before anything is written.

A reader (ghost.py, wordpress.py, substack.py) turns one export file into an
`Export`: its authors, and an iterator of `Item`s (stories and pages) read as
the file is read, so a large export is never held in memory at once. Bodies
stay HTML here; turning HTML into newsdesk's blocks is one step shared by all
formats (blocks.py), and writing pages, pictures and redirects another
(writer.py).
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class UnreadableExport(ValueError):
    """A file that cannot be imported; the message says what was expected."""


class Status(StrEnum):
    PUBLISHED = "published"
    DRAFT = "draft"
    SCHEDULED = "scheduled"  # keeps its go-live time (Item.published_at)
    PRIVATE = "private"  # WordPress "private": imported, never public


class Visibility(StrEnum):
    PUBLIC = "public"
    MEMBERS = "members"  # Ghost: any signed-in member
    PAID = "paid"  # Ghost: paying members, or chosen tiers


class Kind(StrEnum):
    STORY = "story"
    PAGE = "page"


@dataclass
class Author:
    source_id: str
    name: str
    email: str = ""
    slug: str = ""
    bio: str = ""


@dataclass
class Picture:
    """A picture known by its address on the old site (and, for Ghost with --images, on disk)."""

    url: str
    alt: str = ""
    caption: str = ""  # plain text
    credit: str = ""


@dataclass
class Item:
    """A story or page of the old site."""

    source_id: str  # stable within the export: Ghost's id, WordPress's post_id, Substack's post_id
    kind: Kind
    title: str  # plain text
    slug: str
    html: str  # the body as HTML (Lexical and Mobiledoc are rendered to HTML by their reader)
    status: Status
    old_paths: list[str]  # every path the old site answered with, e.g. "/slug/", "/?p=12"
    published_at: datetime | None = None  # aware; go-live time for scheduled items
    updated_at: datetime | None = None
    excerpt: str = ""  # custom excerpt / subtitle → standfirst
    seo_title: str = ""
    search_description: str = ""
    feature_image: Picture | None = None
    author_ids: list[str] = field(default_factory=list)  # Author.source_id, in byline order
    section: str = ""  # Ghost's primary tag, WordPress's first category
    tags: list[str] = field(default_factory=list)
    visibility: Visibility = Visibility.PUBLIC
    password: str = ""  # WordPress post password → Wagtail's password restriction
    parent_source_id: str = ""  # WordPress page hierarchies
    warnings: list[str] = field(default_factory=list)  # what the reader could not keep as it was


@dataclass
class Export:
    format: str  # "Ghost 5", "WordPress WXR 1.2", "Substack"
    site_url: str  # the old site's address, for fetching pictures and recognising its links
    authors: dict[str, Author]
    items: Iterator[Item]
