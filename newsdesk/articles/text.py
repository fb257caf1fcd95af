"""An article's words in reading order, as a reader (or a listener) meets them.

Page furniture stays out: image captions and credits, related-story cards,
and pull quotes, which repeat words the story already has.
"""

import html
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.utils.html import strip_tags
from django.utils.text import normalize_newlines
from wagtail.blocks import StreamValue

WORDS_PER_MINUTE = 230


@dataclass(frozen=True)
class Passage:
    kind: str  # "paragraph", "heading" or "quote"
    text: str
    attribution: str = ""


def _plain(markup):
    return " ".join(html.unescape(strip_tags(normalize_newlines(markup))).split())


def body_passages(body: StreamValue) -> Iterator[Passage]:
    for block in body:
        if block.block_type == "paragraph":
            text = _plain(block.value.source)
            if text:
                yield Passage("paragraph", text)
        elif block.block_type == "heading":
            yield Passage("heading", block.value["text"].strip())
        elif block.block_type == "block_quote":
            yield Passage(
                "quote", " ".join(block.value["quote"].split()), block.value["attribution"].strip()
            )


def word_count(passages: Iterable[Passage]) -> int:
    return sum(len(passage.text.split()) + len(passage.attribution.split()) for passage in passages)


def reading_minutes(words: int) -> int:
    """Whole minutes, rounded up; no words, no minutes."""
    return math.ceil(words / WORDS_PER_MINUTE) if words else 0
