"""Small Ghost exports, written the way Ghost writes them (tables in the database's order)."""

import io
import json

from PIL import Image

AUTHOR = {
    "id": "u1",
    "name": "Olena Writer",
    "slug": "olena",
    "email": "olena@example.org",
    "bio": "Covers the city.",
}
EDITOR = {"id": "u2", "name": "Petro Editor", "slug": "petro", "email": "petro@example.org"}
TAGS = [
    {"id": "t1", "name": "#internal", "slug": "hash-internal", "visibility": "internal"},
    {"id": "t2", "name": "Politics", "slug": "politics", "visibility": "public"},
    {"id": "t3", "name": "Elections", "slug": "elections", "visibility": "public"},
]


def text(value, format_bits=0):
    return {"type": "text", "text": value, "format": format_bits, "detail": 0, "mode": "normal"}


def paragraph(*children):
    return {"type": "paragraph", "children": list(children)}


def lexical(*children):
    return json.dumps({"root": {"type": "root", "children": list(children)}})


def post(post_id, slug, *, body=None, **fields):
    """A post row as Ghost 5 exports it; body is a Lexical string (default: one paragraph)."""
    row = {
        "id": post_id,
        "uuid": f"uuid-{post_id}",
        "title": slug.replace("-", " ").capitalize(),
        "slug": slug,
        "mobiledoc": None,
        "lexical": body if body is not None else lexical(paragraph(text(f"Text of {slug}."))),
        "html": "<p>stored html</p>",
        "feature_image": None,
        "type": "post",
        "status": "published",
        "visibility": "public",
        "created_at": "2024-03-01T09:00:00.000Z",
        "updated_at": "2024-03-02T10:00:00.000Z",
        "published_at": "2024-03-01T10:00:00.000Z",
        "custom_excerpt": None,
    }
    row.update(fields)
    return row


def export(
    posts,
    *,
    version="5.82.0",
    wrapped=True,
    posts_tags=None,
    posts_authors=None,
    posts_meta=None,
    users=(AUTHOR, EDITOR),
    tags=TAGS,
):
    """The export's JSON text: every post by AUTHOR unless posts_authors says otherwise."""
    data = {
        # Ghost's order: posts first, then the tables that relate to them.
        "posts": list(posts),
        "posts_authors": posts_authors
        if posts_authors is not None
        else [
            {"id": f"pa{n}", "post_id": p["id"], "author_id": "u1", "sort_order": 0}
            for n, p in enumerate(posts)
        ],
        "posts_meta": posts_meta or [],
        "posts_tags": posts_tags or [],
        "tags": list(tags),
        "users": list(users),
    }
    document = {"meta": {"exported_on": 1733000000000, "version": version}, "data": data}
    return json.dumps({"db": [document]} if wrapped else document)


def write_export(path, posts, **options):
    path.write_text(export(posts, **options), encoding="utf-8")
    return path


def jpeg(size=(64, 48), colour=(200, 30, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="JPEG")
    return buffer.getvalue()
