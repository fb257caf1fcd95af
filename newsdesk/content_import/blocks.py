"""An imported body's HTML as newsdesk's article blocks (articles/blocks.py, ArticleBodyBlock).

Every format's reader gives HTML; this turns it into stream data: paragraphs
and lists as rich text (sanitised), headings, block and pull quotes, figures
(the picture imported into the library), embeds as link cards, and bookmark
cards to an imported story as related-story cards. Links to the old site's
stories become Wagtail page links, so they follow the story wherever it moves.
What has no block of its own is kept as sanitised rich text with a warning,
never dropped without one.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from html import escape, unescape
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from newsdesk.content_import.sources import Picture
from newsdesk.core.sanitise import sanitise_rich_text

HEADING_MAX = 200  # HeadingBlock.text
CAPTION_MAX = 500
INLINE = {
    "a",
    "abbr",
    "b",
    "br",
    "cite",
    "code",
    "del",
    "em",
    "i",
    "ins",
    "kbd",
    "mark",
    "q",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "time",
    "u",
}
CONTAINERS = {"div", "section", "article", "main", "header", "footer", "center", "body", "html"}
LEFT_OUT = {"script", "style", "noscript", "template", "form", "input", "button", "link", "meta"}
# A path of the old site that is a picture or a feed, never a story.
NOT_A_STORY = re.compile(r"^/(content|wp-content|assets|rss|feed)/")
_LINK = re.compile(r'<a href="([^"]*)"(?: rel="noopener")?>')


@dataclass
class Target:
    """An imported page a link of the old site leads to."""

    page_id: int
    is_story: bool


@dataclass
class Body:
    blocks: list[dict] = field(default_factory=list)  # StreamField data
    warnings: list[str] = field(default_factory=list)
    # It links a story of the old site not imported yet: converted again once all are.
    unresolved: bool = False


def path_key(path: str) -> str:
    """An old path as links and exports may both spell it: "/Київ/" and "/%D0%BA%D0%B8%D1%97%D0%B2/",
    and Substack's "/p/slug", which its posts link as "/p/slug/"."""
    return unquote(old_path(path, "") or path).lower()


def old_path(url: str, site_url: str) -> str | None:
    """The path of a link to the old site ("/slug/"), or None for a link elsewhere."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("", "http", "https"):
        return None
    if parts.netloc:
        site = urlsplit(site_url)
        if not site.netloc or parts.netloc.lower().removeprefix(
            "www."
        ) != site.netloc.lower().removeprefix("www."):
            return None
    elif not parts.path.startswith("/"):
        return None
    path = (
        parts.path
        if parts.path.endswith("/") or "." in parts.path.rsplit("/", 1)[-1]
        else parts.path + "/"
    )
    return path + (f"?{parts.query}" if parts.query else "")


def _text(element) -> str:
    return " ".join(element.get_text(" ").split())


def _youtube_watch(url):
    """YouTube's player address as the page a reader can open."""
    parts = urlsplit(url)
    if "youtube" in (parts.hostname or "") and parts.path.startswith("/embed/"):
        return f"https://www.youtube.com/watch?v={parts.path.split('/')[2]}"
    return url


class Converter:
    """Turns bodies into blocks for one import.

    picture(Picture) → the NewsImage id, or None when it could not be had;
    pages maps the old site's paths ("/slug/") to the pages imported so far.
    """

    def __init__(
        self,
        site_url: str,
        pages: Mapping[str, Target],
        picture: Callable[[Picture], int | None],
    ) -> None:
        self.site_url = site_url
        self.pages = pages
        self.picture = picture

    def convert(self, html: str) -> Body:
        body = Body()
        soup = BeautifulSoup(html or "", "html.parser")
        self._blocks(soup.contents, body)
        return body

    # Links -------------------------------------------------------------------

    def _target(self, url, body):
        path = old_path(unescape(url), self.site_url)
        if path is None or NOT_A_STORY.match(path):
            return None
        target = self.pages.get(path_key(path))
        if target is None and path != "/":
            body.unresolved = True
        return target

    def rich_text(self, html: str, body: Body) -> str:
        """Sanitised rich text, its links to imported pages as Wagtail page links."""

        def link(match):
            target = self._target(match.group(1), body)
            if target is None:
                return f'<a href="{match.group(1)}">'
            return f'<a linktype="page" id="{target.page_id}">'

        return _LINK.sub(link, sanitise_rich_text(html)).strip()

    # Blocks ------------------------------------------------------------------

    def _paragraph(self, html, body):
        text = self.rich_text(html, body)
        if re.sub(r"<[^>]+>|\s|&nbsp;", "", text):
            body.blocks.append({"type": "paragraph", "value": text})

    def _kept_as_text(self, element, body):
        body.warnings.append(f"a <{element.name}> kept as text")
        self._paragraph(f"<p>{element.decode_contents()}</p>", body)

    def _image(self, img, caption, body, href=None):
        src = (img.get("src") or "").strip()
        if not src:
            return
        picture = Picture(
            url=urljoin(self.site_url + "/", src), alt=img.get("alt") or "", caption=caption
        )
        image_id = self.picture(picture)
        if image_id is not None:
            body.blocks.append(
                {
                    "type": "image",
                    "value": {"image": image_id, "caption": caption[:CAPTION_MAX], "credit": ""},
                }
            )

    def _embed(self, element, body):
        url = element.get("data-url") or ""
        frame = element if element.name == "iframe" else element.find("iframe")
        if not url and frame is not None:
            url = _youtube_watch(frame.get("src") or "")
        if not url:
            links = [a.get("href") for a in element.find_all("a") if a.get("href")]
            url = links[-1] if links else ""  # a tweet's own address is its last link
        caption = element.find("figcaption")
        caption = _text(caption) if caption else ""
        if url.startswith("//"):
            url = "https:" + url
        if urlsplit(url).scheme not in ("http", "https"):
            body.warnings.append("an embed without an address left out")
            return
        body.blocks.append(
            {"type": "embed", "value": {"url": url, "caption": caption[:CAPTION_MAX]}}
        )

    def _bookmark(self, element, body):
        link = element.find("a", href=True)
        if link is None:
            return self._kept_as_text(element, body)
        title = element.find(class_="kg-bookmark-title")
        title = _text(title) if title else link["href"]
        target = self._target(link["href"], body)
        if target is not None and target.is_story:
            body.blocks.append({"type": "related_story", "value": {"article": target.page_id}})
        else:
            self._paragraph(f'<p><a href="{escape(link["href"])}">{escape(title)}</a></p>', body)

    def _figure(self, element, body):
        classes = set(element.get("class") or [])
        if "kg-bookmark-card" in classes:
            return self._bookmark(element, body)
        if (
            "kg-embed-card" in classes
            or element.find(["iframe", "video"])
            or element.find("blockquote", class_=re.compile("twitter|instagram|tiktok"))
        ):
            return self._embed(element, body)
        caption = element.find("figcaption")
        caption_text = _text(caption) if caption else ""
        images = element.find_all("img")
        if images:
            for img in images:
                self._image(img, caption_text, body)
            return None
        if element.find("blockquote"):
            return self._quote(element.find("blockquote"), body, attribution=caption_text)
        return self._kept_as_text(element, body)

    def _quote(self, element, body, attribution=""):
        if "kg-blockquote-alt" in (element.get("class") or []) or element.name == "aside":
            text = _text(element)
            if text:
                body.blocks.append({"type": "pull_quote", "value": {"text": text}})
            return
        cite = element.find(["cite", "footer"])
        if cite is not None and not attribution:
            attribution = _text(cite)
            cite.extract()
        paragraphs = [_text(p) for p in element.find_all("p")] or [_text(element)]
        quote = "\n\n".join(p for p in paragraphs if p)
        if quote:
            body.blocks.append(
                {
                    "type": "block_quote",
                    "value": {"quote": quote, "attribution": attribution.lstrip("—– -")[:255]},
                }
            )

    def _heading(self, element, body):
        text = _text(element)
        if text:
            level = "h3" if element.name in ("h3", "h4", "h5", "h6") else "h2"
            body.blocks.append(
                {"type": "heading", "value": {"text": text[:HEADING_MAX], "level": level}}
            )

    def _p(self, element, body):
        images = element.find_all("img")
        for img in images:
            img.extract()
        self._paragraph(str(element), body)
        for img in images:
            self._image(img, "", body)

    def _blocks(self, nodes, body):
        inline = []

        def flush():
            if inline:
                self._paragraph("<p>" + "".join(str(node) for node in inline) + "</p>", body)
                inline.clear()

        for node in list(nodes):
            if isinstance(node, Comment):
                continue
            if isinstance(node, NavigableString):
                if str(node).strip():
                    inline.append(node)
                continue
            if not isinstance(node, Tag):
                continue
            name = node.name
            if name in INLINE and not node.find(["img", "figure", "p", "div", "iframe"]):
                inline.append(node)
                continue
            flush()
            if name == "p":
                self._p(node, body)
            elif name in ("h1", "h2", "h3", "h4", "h5", "h6"):
                self._heading(node, body)
            elif name in ("ul", "ol"):
                self._paragraph(str(node), body)
            elif name in ("blockquote", "aside"):
                self._quote(node, body)
            elif name == "figure":
                self._figure(node, body)
            elif name == "img":
                self._image(node, "", body)
            elif name == "iframe":
                self._embed(node, body)
            elif name == "hr":
                continue  # a section break: the blocks' own spacing marks it
            elif name in LEFT_OUT:
                body.warnings.append(f"a <{name}> left out")
            elif name in CONTAINERS or (name in INLINE):
                callout = {"kg-callout-card", "kg-toggle-card"} & set(node.get("class") or [])
                if callout and not node.find("p"):
                    # Ghost's own: an emoji and the text, each in a div of its own; one paragraph.
                    parts = (c.decode_contents() if isinstance(c, Tag) else str(c) for c in node)
                    self._paragraph(f"<p>{' '.join(parts)}</p>", body)
                else:
                    self._blocks(node.contents, body)
            elif name == "pre":
                body.warnings.append("preformatted text kept as a paragraph")
                self._paragraph(
                    "<p>"
                    + "<br>".join(escape(line) for line in node.get_text().split("\n"))
                    + "</p>",
                    body,
                )
            else:
                self._kept_as_text(node, body)
        flush()


def plain_text(html: str) -> str:
    """A title or an excerpt with markup, as the plain text a headline is."""
    return " ".join(BeautifulSoup(html or "", "html.parser").get_text(" ").split())
