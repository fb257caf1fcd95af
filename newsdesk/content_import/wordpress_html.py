"""A WordPress post's content as the plain HTML blocks.py reads.

WordPress stores what its editor saved, not what readers saw: the block
editor's HTML wrapped in `<!-- wp:name {attrs} -->` comments, or classic
content whose paragraphs are blank lines (`wpautop` adds the <p>s as the
page is shown) and whose pictures, galleries and embeds are shortcodes. Both
are turned here into what the page showed, with pictures, quotes, pull quotes
and embeds in the shapes of markup.py.
"""

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Tag

from newsdesk.content_import import markup
from newsdesk.content_import.sources import Picture

BLOCK_COMMENT = re.compile(
    r"<!--\s+(?P<closer>/)?wp:(?P<namespace>[a-z][a-z0-9_-]*/)?(?P<name>[a-z][a-z0-9_-]*)\s+"
    r"(?P<attrs>\{.*?\}\s+)?(?P<void>/)?-->",
    re.S,
)

# WordPress's get_shortcode_regex() for the shortcodes read here; any other
# shortcode stays in the text as the editor typed it.
SHORTCODES = ("caption", "wp_caption", "embed", "gallery")
SHORTCODE = re.compile(
    r"\[(\[?)(" + "|".join(SHORTCODES) + r")(?![\w-])([^\]/]*(?:/(?!\])[^\]/]*)*?)"
    r"(?:(/)\]|\](?:([^\[]*(?:\[(?!/\2\])[^\[]*)*)\[/\2\])?)(\]?)"
)
SHORTCODE_ATTR = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s'"]+))""")
URL_LINE = re.compile(r"""^[ \t]*(https?://[^\s<>"]+)[ \t]*$""", re.M)

# wpautop's list of elements that are never wrapped in a paragraph.
ALLBLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre"
    r"|form|map|area|blockquote|address|style|p|h[1-6]|hr|fieldset|legend|section|article"
    r"|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)"
)

# Blocks WordPress renders from the database as the page is shown: nothing
# of them is in the export.
DYNAMIC_BLOCKS = {
    "archives",
    "calendar",
    "categories",
    "latest-comments",
    "latest-posts",
    "page-list",
    "query",
    "rss",
    "search",
    "tag-cloud",
}
DROPPED_BLOCKS = {"more", "nextpage", "spacer"}


@dataclass
class Block:
    name: str  # without the "core/" namespace: "image", "core-embed/youtube", "jetpack/map"
    attrs: dict
    parts: list["Block | str"] = field(default_factory=list)


def parse_blocks(content: str) -> list[Block | str]:
    """The block tree of `content`: text outside any block stays a string (classic content)."""
    root = Block("", {})
    stack = [root]
    position = 0
    for match in BLOCK_COMMENT.finditer(content):
        if match.start() > position:
            stack[-1].parts.append(content[position : match.start()])
        position = match.end()
        name = ((match["namespace"] or "") + match["name"]).removeprefix("core/")
        if match["closer"]:
            # An unmatched closer (hand-edited content) is ignored, as WordPress does.
            for depth in range(len(stack) - 1, 0, -1):
                if stack[depth].name == name:
                    del stack[depth:]
                    break
            continue
        try:
            attrs = json.loads(match["attrs"]) if match["attrs"] else {}
        except ValueError:
            attrs = {}
        block = Block(name, attrs if isinstance(attrs, dict) else {})
        stack[-1].parts.append(block)
        if not match["void"]:
            stack.append(block)
    if position < len(content):
        stack[-1].parts.append(content[position:])
    return root.parts


def autop(text: str) -> str:
    """WordPress's wpautop(): blank lines make paragraphs, single newlines <br>."""
    if not text.strip():
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n") + "\n"
    pres: list[str] = []
    if "<pre" in text:

        def keep_pre(match: re.Match) -> str:
            pres.append(match[0])
            return f"<pre wp-pre-tag-{len(pres) - 1}></pre>"

        text = re.sub(r"<pre[\s>].*?</pre>", keep_pre, text, flags=re.S | re.I)
    text = re.sub(r"<br\s*/?>\s*<br\s*/?>", "\n\n", text)
    text = re.sub(r"(<" + ALLBLOCKS + r"[\s/>])", r"\n\n\1", text)
    text = re.sub(r"(</" + ALLBLOCKS + r">)", r"\1\n\n", text)
    text = re.sub(r"(<hr\s*?/?>)", r"\1\n\n", text)
    # Newlines inside a tag (between attributes) are not the writer's line breaks.
    text = re.sub(r"<[^>]*>", lambda m: m[0].replace("\n", " <!-- wpnl --> "), text)
    if "<figcaption" in text:
        text = re.sub(r"\s*(<figcaption[^>]*>)", r"\1", text)
        text = re.sub(r"</figcaption>\s*", "</figcaption>", text)
    text = re.sub(r"\n\n+", "\n\n", text)
    chunks = [chunk for chunk in re.split(r"\n\s*\n", text) if chunk]
    text = "".join(f"<p>{chunk.strip(chr(10))}</p>\n" for chunk in chunks)
    text = re.sub(r"<p>\s*</p>", "", text)
    text = re.sub(r"<p>([^<]+)</(div|address|form)>", r"<p>\1</p></\2>", text)
    text = re.sub(r"<p>\s*(</?" + ALLBLOCKS + r"[^>]*>)\s*</p>", r"\1", text)
    text = re.sub(r"<p>(<li.+?)</p>", r"\1", text)
    text = re.sub(r"<p><blockquote([^>]*)>", r"<blockquote\1><p>", text, flags=re.I)
    text = text.replace("</blockquote></p>", "</p></blockquote>")
    text = re.sub(r"<p>\s*(</?" + ALLBLOCKS + r"[^>]*>)", r"\1", text)
    text = re.sub(r"(</?" + ALLBLOCKS + r"[^>]*>)\s*</p>", r"\1", text)
    text = re.sub(
        r"<(script|style|svg|math).*?</\1>",
        lambda m: m[0].replace("\n", "<WPPreserveNewline />"),
        text,
        flags=re.S,
    )
    text = re.sub(r"<br\s*/?>", "<br />", text)
    text = re.sub(r"(?<!<br />)\s*\n", "<br />\n", text)
    text = text.replace("<WPPreserveNewline />", "\n")
    text = re.sub(r"(</?" + ALLBLOCKS + r"[^>]*>)\s*<br />", r"\1", text)
    text = re.sub(r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", r"\1", text)
    text = re.sub(r"\n</p>$", "</p>", text)
    for number, pre in enumerate(pres):
        text = text.replace(f"<pre wp-pre-tag-{number}></pre>", pre)
    return text.replace(" <!-- wpnl --> ", "\n")


def _soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def _text(element: Tag | None) -> str:
    return " ".join(element.get_text(" ").split()) if element is not None else ""


def _shortcode_attrs(text: str) -> dict[str, str]:
    return {
        m[1].lower(): next(v for v in m.groups()[1:] if v is not None)
        for m in SHORTCODE_ATTR.finditer(text)
    }


class Converter:
    """Converts the content of one export's posts; `attachments` are its media by post id."""

    def __init__(
        self,
        attachments: Mapping[str, Picture],
        attached: Mapping[str, list[str]],
        reusable: Mapping[str, str] | None = None,
    ) -> None:
        self.attachments = attachments
        self.attached = attached  # post id → ids of the attachments uploaded to it, in order
        self.reusable = reusable or {}  # wp_block id → its content ("synced patterns")
        self.expanding: set[str] = set()
        self.warnings: list[str] = []
        self.post_id = ""

    def convert(self, content: str, post_id: str = "") -> tuple[str, list[str]]:
        """The post's HTML, and what could not be brought over (for the report)."""
        self.warnings = []
        self.post_id = post_id
        html = self.blocks(content) if "<!-- wp:" in content else self.classic(content)
        return html.strip(), list(dict.fromkeys(self.warnings))

    def blocks(self, content: str) -> str:
        return "".join(
            self.classic(part) if isinstance(part, str) else self.render(part)
            for part in parse_blocks(content)
        )

    # The block editor

    def render(self, block: Block) -> str:
        handler: Callable[[Block], str] | None = getattr(
            self, "block_" + block.name.replace("-", "_"), None
        )
        if handler is not None:
            return handler(block)
        if block.name.startswith("core-embed/"):
            return self.block_embed(block)
        if block.name in DROPPED_BLOCKS:
            return ""
        if block.name in DYNAMIC_BLOCKS:
            self.warnings.append(
                f"The block wp:{block.name} is made by WordPress as the page is shown; "
                "it is not in the export and was left out."
            )
            return ""
        # Paragraphs, headings, lists, tables, groups, columns and the blocks of
        # plugins: their saved HTML is what the page showed.
        return self.inner(block)

    def inner(self, block: Block) -> str:
        return "".join(part if isinstance(part, str) else self.render(part) for part in block.parts)

    def block_image(self, block: Block) -> str:
        soup = _soup(self.inner(block))
        img = soup.find("img")
        picture = self.attachments.get(str(block.attrs.get("id", "")))
        src = (img.get("src") if img else "") or (picture.url if picture else "")
        if not src:
            return ""
        alt = (img.get("alt") if img else "") or (picture.alt if picture else "")
        return markup.figure(src, alt, _text(soup.find("figcaption")))

    def block_gallery(self, block: Block) -> str:
        images = [part for part in block.parts if isinstance(part, Block)]
        if images:
            return "".join(self.render(image) for image in images)
        # Before WordPress 5.9 a gallery was one block of <img>s, ids in its attributes.
        soup = _soup(self.inner(block))
        figures = []
        for item in soup.find_all(["figure", "li"]):
            img = item.find("img")
            if img is not None and img.get("src"):
                figures.append(
                    markup.figure(img["src"], img.get("alt", ""), _text(item.find("figcaption")))
                )
        return "".join(figures) or self.gallery([str(i) for i in block.attrs.get("ids", [])])

    def block_quote(self, block: Block) -> str:
        soup = _soup(self.inner(block))
        cite = soup.find("cite")
        attribution = _text(cite)
        if cite is not None:
            cite.decompose()
        paragraphs = [p.decode_contents().strip() for p in soup.find_all("p")]
        if not paragraphs:
            paragraphs = [_text(soup)]
        return markup.blockquote([p for p in paragraphs if p], attribution)

    def block_pullquote(self, block: Block) -> str:
        soup = _soup(self.inner(block))
        cite = soup.find("cite")
        if cite is not None:
            cite.decompose()
        text = " ".join(_text(p) for p in soup.find_all("p")) or _text(soup)
        return markup.pullquote(text) if text else ""

    def block_embed(self, block: Block) -> str:
        url = block.attrs.get("url") or ""
        if not url:
            found = re.search(r"https?://[^\s<>\"]+", _text(_soup(self.inner(block))))
            url = found[0] if found else ""
        return markup.embed(url) if url else ""

    def block_block(self, block: Block) -> str:
        """A reusable block (a "synced pattern"), kept in the export as a post of its own."""
        ref = str(block.attrs.get("ref", ""))
        content = self.reusable.get(ref)
        if content is None:
            self.warnings.append(f"The reusable block {ref} is not in the export; it was left out.")
            return ""
        if ref in self.expanding:
            self.warnings.append(
                f"The reusable block {ref} contains itself; that copy was left out."
            )
            return ""
        self.expanding.add(ref)
        try:
            return self.blocks(content)
        finally:
            self.expanding.discard(ref)

    def block_video(self, block: Block) -> str:
        """A video or sound file uploaded to WordPress: a link to it (pictures alone are imported)."""
        media = _soup(self.inner(block)).find(["video", "audio"])
        src = (media.get("src") if media else "") or ""
        if not src:
            return ""
        self.warnings.append(f"The file {src} is not imported; the story links to it.")
        return markup.embed(src)

    block_audio = block_video

    def block_html(self, block: Block) -> str:
        return self.inner(block)

    def block_shortcode(self, block: Block) -> str:
        return self.classic(self.inner(block))

    def block_freeform(self, block: Block) -> str:
        return self.classic(self.inner(block))

    # Classic content

    def classic(self, content: str) -> str:
        if not content.strip():
            return ""
        content = SHORTCODE.sub(self.shortcode, content)
        content = URL_LINE.sub(lambda m: "\n\n" + markup.embed(m[1]) + "\n\n", content)
        return autop(content)

    def shortcode(self, match: re.Match) -> str:
        if match[1] == "[" and match[6] == "]":
            return match[0][1:-1]  # [[caption]] is how an editor writes "[caption]"
        name, attrs, body = match[2], _shortcode_attrs(match[3]), match[5] or ""
        if name == "embed":
            url = body.strip()
            return f"\n\n{markup.embed(url)}\n\n" if url else ""
        if name == "gallery":
            ids = [i.strip() for i in attrs.get("ids", "").split(",") if i.strip()]
            if not ids:
                ids = list(self.attached.get(self.post_id, []))
            return f"\n\n{self.gallery(ids)}\n\n"
        soup = _soup(body)
        img = soup.find("img")
        if img is None or not img.get("src"):
            return body
        src, alt = img["src"], img.get("alt", "")
        (img.parent if img.parent.name == "a" else img).decompose()
        caption = _text(soup) or attrs.get("caption", "")
        return f"\n\n{markup.figure(src, alt, caption)}\n\n"

    def gallery(self, ids: list[str]) -> str:
        figures = []
        for attachment_id in ids:
            picture = self.attachments.get(attachment_id)
            if picture is None:
                self.warnings.append(
                    f"A gallery names the picture {attachment_id}, which is not in the export."
                )
                continue
            figures.append(markup.figure(picture.url, picture.alt, picture.caption))
        return "".join(figures)
