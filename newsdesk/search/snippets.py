"""The passage of a story that matched a search, with the reader's words marked."""

import re
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WINDOW_WORDS = 30
MAX_TERMS = 10


def query_terms(query: str) -> list[str]:
    """The words of a query, in any script, longest first so that longer matches win."""
    words = {word.casefold() for word in re.findall(r"\w+", query) if len(word) > 1}
    return sorted(words, key=len, reverse=True)[:MAX_TERMS]


def highlight(text: str, terms: Sequence[str], window: int = WINDOW_WORDS) -> SafeString | str:
    """About `window` words around the first match, HTML-escaped, with each match in <mark>."""
    if not terms:
        return ""
    pattern = re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)
    match = pattern.search(text)
    if match is None:
        return ""
    before = text[: match.start()].split()
    start_words = before[-(window // 3) :] if before else []
    after = text[match.start() :].split()
    excerpt = " ".join(start_words + after[: window - len(start_words)])
    pieces, last = [], 0
    for found in pattern.finditer(excerpt):
        pieces.append(escape(excerpt[last : found.start()]))
        pieces.append(f"<mark>{escape(found.group())}</mark>")
        last = found.end()
    pieces.append(escape(excerpt[last:]))
    prefix = "… " if len(start_words) < len(before) else ""
    suffix = " …" if len(after) > window - len(start_words) else ""
    return mark_safe(prefix + "".join(pieces) + suffix)
