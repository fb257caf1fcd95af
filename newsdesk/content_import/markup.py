"""The HTML the readers hand to blocks.py for what is not a paragraph.

Each old platform marks up a picture, an embed or a pull quote its own way
(WordPress's blocks and shortcodes, Substack's widgets); the readers rewrite
them into these few shapes, so the conversion to newsdesk's blocks reads one.
"""

from html import escape


def figure(src: str, alt: str = "", caption: str = "") -> str:
    caption_html = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
    return f'<figure><img src="{escape(src)}" alt="{escape(alt)}">{caption_html}</figure>'


def embed(url: str) -> str:
    # blocks.py knows an embed by the class of Ghost's embed cards.
    url = escape(url)
    return f'<figure class="kg-embed-card" data-url="{url}"><a href="{url}">{url}</a></figure>'


def pullquote(text: str) -> str:
    return f'<aside class="pullquote"><p>{escape(text)}</p></aside>'


def blockquote(paragraphs: list[str], attribution: str = "") -> str:
    """`paragraphs` are HTML already (their inline markup is kept)."""
    cite = f"<cite>{escape(attribution)}</cite>" if attribution else ""
    return "<blockquote>" + "".join(f"<p>{p}</p>" for p in paragraphs) + cite + "</blockquote>"
