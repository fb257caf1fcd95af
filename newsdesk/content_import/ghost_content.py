"""Ghost's two editor formats, Lexical (Ghost 5 and 6) and Mobiledoc (older posts), as HTML.

The HTML follows Ghost's own rendering closely enough (its card classes:
kg-image-card, kg-embed-card, kg-bookmark-card, kg-blockquote-alt, ...) that
blocks.py reads it exactly as it reads the `html` Ghost stored beside them.
Anything unknown is rendered from what text it has and named in warnings,
never dropped silently.
"""

from html import escape

# Lexical's text format bits (lexical/LexicalConstants.ts), and the element each is.
TEXT_FORMATS = [
    (1, "strong"),
    (2, "em"),
    (4, "s"),
    (8, "u"),
    (16, "code"),
    (32, "sub"),
    (64, "sup"),
]


def _attr(value):
    return escape(str(value or ""), quote=True)


def _figure(kind, inner, caption):
    caption_html = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f'<figure class="kg-card kg-{kind}-card">{inner}{caption_html}</figure>'


def _image(card):
    img = f'<img src="{_attr(card.get("src"))}" alt="{_attr(card.get("alt"))}">'
    if card.get("href"):
        img = f'<a href="{_attr(card["href"])}">{img}</a>'
    # Captions are HTML in both formats (links, emphasis).
    return _figure("image", img, card.get("caption") or "")


def _paragraphs(text):
    return "".join(
        f"<p>{escape(part).replace(chr(10), '<br>')}</p>"
        for part in str(text).split("\n\n")
        if part.strip()
    )


def render_card(name, card, warnings):
    """One card, by its name in either format, as HTML."""
    card = card or {}
    if name == "image":
        return _image(card)
    if name == "gallery":
        images = "".join(_image(image) for image in card.get("images") or [])
        return images + (f"<p>{card['caption']}</p>" if card.get("caption") else "")
    if name == "html":
        return card.get("html") or ""
    if name == "embed":
        return (
            f'<figure class="kg-card kg-embed-card" data-url="{_attr(card.get("url"))}">'
            f"{card.get('html') or ''}"
            + (f"<figcaption>{card['caption']}</figcaption>" if card.get("caption") else "")
            + "</figure>"
        )
    if name == "bookmark":
        metadata = card.get("metadata") or {}
        title = escape(metadata.get("title") or card.get("url") or "")
        return _figure(
            "bookmark",
            f'<a class="kg-bookmark-container" href="{_attr(card.get("url"))}">'
            f'<div class="kg-bookmark-title">{title}</div></a>',
            card.get("caption") or "",
        )
    if name in ("hr", "horizontalrule", "divider"):
        return "<hr>"
    if name == "callout":
        emoji = escape(card.get("calloutEmoji") or "")
        return (
            f'<div class="kg-card kg-callout-card"><p>{emoji + " " if emoji else ""}'
            f"{card.get('calloutText') or ''}</p></div>"
        )
    if name in ("markdown", "code", "codeblock"):
        text = card.get("markdown") if name == "markdown" else card.get("code")
        if name != "markdown":
            warnings.append(f"a code block kept as text: {str(text or '')[:60]!r}")
        return _paragraphs(text or "")
    if name == "button":
        url, text = card.get("buttonUrl"), card.get("buttonText")
        return f'<p><a href="{_attr(url)}">{escape(text or url or "")}</a></p>' if url else ""
    if name == "toggle":
        return f"<p><strong>{card.get('heading') or ''}</strong></p>{card.get('content') or ''}"
    if name in ("video", "audio", "file"):
        src = card.get("src") or ""
        label = card.get("fileTitle") or card.get("title") or card.get("fileName") or name
        warnings.append(f"a {name} kept as a link: {src}")
        return f'<p><a href="{_attr(src)}">{escape(label)}</a></p>' if src else ""
    if name in ("paywall", "email", "email-cta", "signup", "preview"):
        # Markers and newsletter-only content: not part of the story on the web.
        return ""
    warnings.append(f"a {name} card kept as text")
    text = " ".join(str(value) for value in card.values() if isinstance(value, str))
    return f"<p>{escape(text)}</p>" if text.strip() else ""


# Lexical ---------------------------------------------------------------------------


def _lexical_children(node, warnings):
    return "".join(_lexical_node(child, warnings) for child in node.get("children") or [])


def _lexical_list_items(node, warnings):
    """Lexical nests a list as a list item of its own; HTML puts it inside the item before."""
    items = []
    for child in node.get("children") or []:
        inner = _lexical_children(child, warnings)
        nested = all(c.get("type") == "list" for c in child.get("children") or [{}])
        if nested and items:
            items[-1] += inner
        else:
            items.append(inner)
    return "".join(f"<li>{item}</li>" for item in items)


def _lexical_text(node):
    html = escape(node.get("text") or "")
    format_bits = node.get("format") or 0
    if isinstance(format_bits, int):
        for bit, tag in TEXT_FORMATS:
            if format_bits & bit:
                html = f"<{tag}>{html}</{tag}>"
    return html


# Ghost's card nodes keep their fields on the node itself, named as Mobiledoc's payloads.
_LEXICAL_CARDS = {
    "image",
    "gallery",
    "html",
    "embed",
    "bookmark",
    "horizontalrule",
    "callout",
    "markdown",
    "codeblock",
    "button",
    "toggle",
    "video",
    "audio",
    "file",
    "paywall",
    "email",
    "email-cta",
    "signup",
}


def _lexical_node(node, warnings):
    kind = node.get("type")
    if kind in ("text", "extended-text"):
        return _lexical_text(node)
    if kind == "linebreak":
        return "<br>"
    if kind in ("paragraph", "extended-paragraph"):
        return f"<p>{_lexical_children(node, warnings)}</p>"
    if kind in ("heading", "extended-heading"):
        tag = node.get("tag") if node.get("tag") in {f"h{n}" for n in range(1, 7)} else "h2"
        return f"<{tag}>{_lexical_children(node, warnings)}</{tag}>"
    if kind in ("quote", "extended-quote"):
        return f"<blockquote>{_lexical_children(node, warnings)}</blockquote>"
    if kind == "aside":
        return f'<blockquote class="kg-blockquote-alt">{_lexical_children(node, warnings)}</blockquote>'
    if kind == "list":
        tag = "ol" if node.get("listType") == "number" or node.get("tag") == "ol" else "ul"
        return f"<{tag}>{_lexical_list_items(node, warnings)}</{tag}>"
    if kind in ("link", "autolink", "at-link"):
        return f'<a href="{_attr(node.get("url"))}">{_lexical_children(node, warnings)}</a>'
    if kind == "root":
        return _lexical_children(node, warnings)
    if kind in _LEXICAL_CARDS:
        return render_card(kind, node, warnings)
    if node.get("children"):
        warnings.append(f"a Lexical {kind} node kept as its text")
        return _lexical_children(node, warnings)
    return render_card(str(kind), node, warnings)


def lexical_to_html(document, warnings):
    """A Lexical document (the parsed JSON of a post's `lexical` field) as HTML."""
    root = document.get("root") if isinstance(document, dict) else None
    if not isinstance(root, dict):
        raise ValueError("no root node")
    return _lexical_children(root, warnings)


# Mobiledoc -------------------------------------------------------------------------


def _markers(markers, markups, atoms, warnings):
    html, open_tags = [], []
    for marker in markers:
        kind, opened, closed, value = marker
        for index in opened:
            tag, *rest = markups[index]
            attributes = rest[0] if rest else []
            pairs = zip(attributes[::2], attributes[1::2], strict=False)
            attrs = "".join(f' {name}="{_attr(val)}"' for name, val in pairs if name == "href")
            html.append(f"<{tag}{attrs}>")
            open_tags.append(tag)
        if kind == 0:
            html.append(escape(value))
        else:
            name, text, _payload = atoms[value]
            html.append("<br>" if name == "soft-return" else escape(text))
        for _ in range(closed):
            html.append(f"</{open_tags.pop()}>")
    html.extend(f"</{tag}>" for tag in reversed(open_tags))
    return "".join(html)


def mobiledoc_to_html(document, warnings):
    """A Mobiledoc document (version 0.3) as HTML."""
    if not isinstance(document, dict) or "sections" not in document:
        raise ValueError("no sections")
    markups = document.get("markups") or []
    atoms = document.get("atoms") or []
    cards = document.get("cards") or []
    html = []
    for section in document["sections"]:
        kind = section[0]
        if kind == 1:  # markup section: p, h1-h6, blockquote, aside
            tag = section[1].lower()
            inner = _markers(section[2], markups, atoms, warnings)
            if tag == "aside":
                html.append(f'<blockquote class="kg-blockquote-alt">{inner}</blockquote>')
            else:
                html.append(f"<{tag}>{inner}</{tag}>")
        elif kind == 2:  # image section
            html.append(_image({"src": section[1]}))
        elif kind == 3:  # list section
            tag = section[1].lower()
            items = "".join(
                f"<li>{_markers(item, markups, atoms, warnings)}</li>" for item in section[2]
            )
            html.append(f"<{tag}>{items}</{tag}>")
        elif kind == 10:  # card section
            name, payload = cards[section[1]]
            html.append(render_card(name, payload, warnings))
        else:
            warnings.append(f"a Mobiledoc section of kind {kind} left out")
    return "".join(html)
