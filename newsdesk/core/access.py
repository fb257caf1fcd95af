"""Stories some readers may read only in part: a registry the app that decides who may read what fills.

core knows no app above it. That app (members) registers `gate(function)`;
function(request, page) gives an Access when the page is gated, None when
anyone may read all of it. The article page asks `access_for(request, page)`,
which also tells the page cache that this response depends on who reads it
(core/pagecache.py: kept for anonymous readers only, never for a reader
carrying one of the registered reader cookies).

What is made once for every reader (feeds with full text, search snippets,
narration) asks `open_body(page)`: the open blocks of a gated story, the whole
body of any other. The app registers `gated_by(function)`, function(page) true
for a gated story. Narration made before a story was gated reads all of it:
its audio and captions go only to readers `access_for` lets in, and the
podcast feeds leave gated stories out (`is_gated`).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.http import HttpRequest
from wagtail.models import Page

from newsdesk.core import pagecache

# What a gated story shows everyone before the box that offers to sign in or join.
OPEN_BLOCKS = 3
# The part of a gated page only some readers get: schema.org's hasPart names it by this selector.
GATED_SELECTOR = ".article__gated"


@dataclass(frozen=True)
class Access:
    may_read: bool
    template: str  # the box shown in place of the gated part, to readers without access
    who: str = ""  # who may read it, in words, for the box
    open_blocks: int = OPEN_BLOCKS


GATES: list[Callable[[HttpRequest, Page], Access | None]] = []
GATED: list[Callable[[Page], bool]] = []


def gate(function: Callable[[HttpRequest, Page], Access | None]) -> None:
    GATES.append(function)


def gated_by(function: Callable[[Page], bool]) -> None:
    GATED.append(function)


def is_gated(page: Page) -> bool:
    return any(function(page) for function in GATED)


def open_body(page: Page) -> Iterable:
    """The body as everyone may read it: a gated story's open blocks, any other story's whole body."""
    if is_gated(page):
        return list(page.body)[:OPEN_BLOCKS]
    return page.body


def access_for(request: HttpRequest, page: Page) -> Access | None:
    for function in GATES:
        access = function(request, page)
        if access is not None:
            pagecache.varies_by_reader(request)
            return access
    return None


def structured_data(access: Access | None) -> dict:
    """What schema.org's NewsArticle says of a gated story, as Google asks for paywalled content."""
    if access is None:
        return {}
    return {
        "isAccessibleForFree": False,
        "hasPart": {
            "@type": "WebPageElement",
            "isAccessibleForFree": False,
            "cssSelector": GATED_SELECTOR,
        },
    }
