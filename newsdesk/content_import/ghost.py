"""Ghost's JSON export (Ghost 4, 5 and 6), read as it streams.

Ghost writes its tables in the database's order, so `posts` comes before
`posts_authors`, `posts_meta`, `posts_tags`, `tags` and `users`. The small
tables are gathered in a first pass (skipping the posts), and the posts are
read one by one in a second: memory grows with the number of posts' ids in
the relation tables, not with their bodies.
"""

import json
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import ijson
from django.utils.dateparse import parse_datetime
from django.utils.html import strip_tags

from newsdesk.content_import.ghost_content import lexical_to_html, mobiledoc_to_html
from newsdesk.content_import.sources import (
    Author,
    Export,
    Item,
    Kind,
    Picture,
    Status,
    UnreadableExport,
    Visibility,
)

SUPPORTED_VERSIONS = {4, 5, 6}
SMALL_TABLES = ("users", "tags", "posts_tags", "posts_authors", "posts_meta")
GHOST_URL = "__GHOST_URL__"

STATUSES = {
    "published": Status.PUBLISHED,
    "draft": Status.DRAFT,
    "scheduled": Status.SCHEDULED,
    # Sent as a newsletter only, never on the web: kept, for an editor to decide.
    "sent": Status.DRAFT,
}
VISIBILITIES = {
    "public": Visibility.PUBLIC,
    "members": Visibility.MEMBERS,
    "paid": Visibility.PAID,
    "tiers": Visibility.PAID,
}


def _root(path):
    """The prefix of the export's object: "db.item." when Ghost wrapped it in {"db": [...]}."""
    with open(path, "rb") as stream:
        for prefix, event, value in ijson.parse(stream):
            if prefix == "" and event == "map_key":
                return "db.item." if value == "db" else ""
            if prefix == "" and event != "start_map":
                break
    raise UnreadableExport("This JSON file is not a Ghost export: it is not an object.")


def _first_pass(path, root):
    """The export's meta and its small tables, each a list of rows."""
    meta, tables = {}, {name: [] for name in SMALL_TABLES}
    wanted = {f"{root}data.{name}.item": name for name in SMALL_TABLES}
    seen_data = False
    builder, building = None, None
    with open(path, "rb") as stream:
        for prefix, event, value in ijson.parse(stream, use_float=True):
            if builder is not None:
                if prefix == building and event in ("end_map", "end_array"):
                    builder.event(event, value)
                    tables[wanted[building]].append(builder.value)
                    builder = building = None
                else:
                    builder.event(event, value)
            elif prefix in wanted and event == "start_map":
                builder, building = ijson.ObjectBuilder(), prefix
                builder.event(event, value)
            elif prefix.startswith(f"{root}meta.") and event in ("string", "number"):
                meta[prefix.removeprefix(f"{root}meta.")] = value
            elif prefix == f"{root}data" and event == "start_map":
                seen_data = True
    if not seen_data:
        raise UnreadableExport(
            "This JSON file is not a Ghost export: it has no “data” (Ghost's exports have "
            '{"db": [{"meta": ..., "data": {"posts": ...}}]}).'
        )
    return meta, tables


def _version(meta):
    version = str(meta.get("version") or "")
    try:
        major = int(version.split(".")[0])
    except ValueError:
        raise UnreadableExport(
            f"This Ghost export does not say its version (meta.version is {version!r})."
        ) from None
    if major not in SUPPORTED_VERSIONS:
        raise UnreadableExport(
            f"This export is from Ghost {version}; newsdesk reads exports of Ghost "
            f"{', '.join(map(str, sorted(SUPPORTED_VERSIONS)))}. Upgrade the old site, or export "
            "from a newer Ghost, first."
        )
    return major


def _moment(value):
    if not value:
        return None
    if isinstance(value, int | float):  # milliseconds, as some older exports wrote them
        return datetime.fromtimestamp(value / 1000, tz=UTC)
    try:
        moment = parse_datetime(str(value).replace(" ", "T", 1))
    except ValueError:
        return None
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _by_post(rows, value):
    """post_id → values in sort_order."""
    grouped = defaultdict(list)
    for row in rows:
        grouped[row.get("post_id")].append((row.get("sort_order") or 0, row.get(value)))
    return {
        post: [v for _, v in sorted(pairs, key=lambda p: p[0])] for post, pairs in grouped.items()
    }


class _Site:
    def __init__(self, site_url: str) -> None:
        self.url = (site_url or "").rstrip("/")

    def __call__(self, text):
        return (text or "").replace(GHOST_URL, self.url)


def _body(post, site, warnings):
    """The post's body as HTML: from Lexical, then Mobiledoc, then the stored html."""
    for field, render in (("lexical", lexical_to_html), ("mobiledoc", mobiledoc_to_html)):
        source = post.get(field)
        if not source:
            continue
        try:
            return site(render(json.loads(source), warnings))
        except (ValueError, TypeError, KeyError, IndexError, AttributeError) as error:
            warnings.append(f"its {field} could not be read ({error}); its stored HTML was used")
    return site(post.get("html") or "")


def _item(post, meta, tags, tag_ids, author_ids, site):
    warnings = []
    html = _body(post, site, warnings)
    picture = None
    if post.get("feature_image"):
        picture = Picture(
            url=site(post["feature_image"]),
            alt=meta.get("feature_image_alt") or post.get("feature_image_alt") or "",
            caption=strip_tags(
                meta.get("feature_image_caption") or post.get("feature_image_caption") or ""
            ),
        )
    public = [
        tags[t]
        for t in tag_ids
        if t in tags
        and tags[t].get("visibility", "public") == "public"
        and not (tags[t].get("name") or "").startswith("#")
    ]
    status = STATUSES.get(post.get("status"), Status.DRAFT)
    if post.get("status") not in STATUSES:
        warnings.append(f"its status {post.get('status')!r} is unknown: imported as a draft")
    slug = post.get("slug") or post["id"]

    def first(*names):
        return next((source[n] for source, n in names if source.get(n)), "")

    return Item(
        source_id=str(post["id"]),
        kind=Kind.PAGE if post.get("type") == "page" else Kind.STORY,
        title=strip_tags(post.get("title") or "").strip() or slug,
        slug=slug,
        html=html,
        status=status,
        old_paths=[f"/{slug}/"],
        published_at=_moment(post.get("published_at")),
        updated_at=_moment(post.get("updated_at")),
        excerpt=post.get("custom_excerpt") or "",
        seo_title=first((meta, "meta_title"), (post, "meta_title"), (meta, "og_title")),
        search_description=first(
            (meta, "meta_description"), (post, "meta_description"), (meta, "og_description")
        ),
        feature_image=picture,
        author_ids=[str(a) for a in author_ids],
        section=public[0]["name"] if public else "",
        tags=[tag["name"] for tag in public],
        visibility=VISIBILITIES.get(post.get("visibility"), Visibility.PAID),
        warnings=warnings,
    )


def _posts(path, root, tables, site) -> Iterator[Item]:
    tags = {tag["id"]: tag for tag in tables["tags"]}
    posts_tags = _by_post(tables["posts_tags"], "tag_id")
    posts_authors = _by_post(tables["posts_authors"], "author_id")
    posts_meta = {row.get("post_id"): row for row in tables["posts_meta"]}
    with open(path, "rb") as stream:
        try:
            for post in ijson.items(stream, f"{root}data.posts.item", use_float=True):
                if not isinstance(post, dict) or not post.get("id"):
                    continue
                yield _item(
                    post,
                    posts_meta.get(post["id"], {}),
                    tags,
                    posts_tags.get(post["id"], []),
                    posts_authors.get(post["id"], []),
                    site,
                )
        except ijson.JSONError as error:
            raise UnreadableExport(f"The Ghost export breaks off: {error}.") from error


def read(path: str | Path, site_url: str = "") -> Export:
    """Reads a Ghost JSON export; site_url replaces Ghost's __GHOST_URL__ in links and pictures.

    The file is checked whole before anything is returned (its JSON, its
    version); the posts are then read as the items are iterated.
    """
    try:
        root = _root(path)
        meta, tables = _first_pass(path, root)
    except ijson.JSONError as error:
        raise UnreadableExport(f"This file is not valid JSON: {error}.") from error
    major = _version(meta)
    site = _Site(site_url)
    authors = {
        str(user["id"]): Author(
            source_id=str(user["id"]),
            name=user.get("name") or user.get("slug") or "",
            email=user.get("email") or "",
            slug=user.get("slug") or "",
            bio=user.get("bio") or "",
        )
        for user in tables["users"]
        if user.get("id")
    }
    return Export(
        format=f"Ghost {major}",
        site_url=site.url,
        authors=authors,
        items=_posts(path, root, tables, site),
    )
