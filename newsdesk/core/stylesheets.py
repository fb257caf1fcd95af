"""The readers' stylesheet: one file made of the components' stylesheets, in order.

The sources stay one stylesheet per component; pages link their concatenation,
BUNDLE, because each linked stylesheet blocks the first paint and fifteen of them
cost a phone most of the article's Largest Contentful Paint (docs/performance.md).

Core's components are listed here, tokens first; an app adds its own from its
AppConfig.ready(), `stylesheets.add("members/members.css")`, after core's and in
the order the apps are installed, so the cascade is the same on every run.

BundleFinder (in STATICFILES_FINDERS) makes the file, so every way newsdesk finds
static files has it with no step of its own: `collectstatic` copies it like any
other file and the manifest storage names it by its hash and compresses it; the
test server, `runserver` and WhiteNoise under DEBUG serve it from the finder, made
from the sources as they are now.
"""

import hashlib
import os
import re
import tempfile
from pathlib import Path

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.finders import BaseFinder
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage

BUNDLE = "newsdesk/css/bundle.css"

# Core's components, in cascade order: the tokens everything else uses, then the base.
STYLESHEETS = [
    "newsdesk/css/tokens.css",
    "newsdesk/css/base.css",
    "newsdesk/css/header.css",
    "newsdesk/css/site.css",
    "newsdesk/css/card.css",
    "newsdesk/css/front.css",
    "newsdesk/css/rail.css",
    "newsdesk/css/article.css",
    "newsdesk/css/figure.css",
    "newsdesk/css/search.css",
    "newsdesk/css/author.css",
    "newsdesk/css/footer.css",
]

# What would mean something else once the text moves into BUNDLE: a relative address
# resolves against the bundle's folder, and @import is ignored after the first rule.
MOVES_BADLY = re.compile(r"url\(|@import", re.IGNORECASE)


def add(path):
    """Adds a static stylesheet (its path under STATIC_URL) to the end of the bundle."""
    STYLESHEETS.append(path)


def bundle():
    """The text of BUNDLE: each registered stylesheet, in order, under a comment naming it."""
    parts = []
    for path in STYLESHEETS:
        source = finders.find(path)
        if source is None:
            raise ImproperlyConfigured(
                f"The stylesheet {path} is added to the bundle but no static folder has it."
            )
        text = Path(source).read_text(encoding="utf-8")
        if os.path.dirname(path) != os.path.dirname(BUNDLE) and MOVES_BADLY.search(text):
            raise ImproperlyConfigured(
                f"{path} has url() or @import, which would resolve against {os.path.dirname(BUNDLE)}/ "
                "in the bundle: keep such rules in core's stylesheets there."
            )
        parts.append(f"/* {path} */\n{text.strip()}\n")
    return "".join(parts)


def written_bundle():
    """The folder under which BUNDLE is written, as the sources are now.

    The folder is named by the text's hash, so processes that make the same text
    share one file, and a process never reads another's half-written one.
    """
    text = bundle().encode()
    folder = (
        Path(tempfile.gettempdir()) / f"newsdesk-stylesheet-{hashlib.sha256(text).hexdigest()[:16]}"
    )
    file = folder / BUNDLE
    if not file.exists():
        file.parent.mkdir(parents=True, exist_ok=True)
        partial = file.with_name(f"{file.name}.{os.getpid()}.partial")
        partial.write_bytes(text)
        os.replace(partial, file)
    return folder


class BundleFinder(BaseFinder):
    """Finds BUNDLE, made from the registered stylesheets when asked."""

    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        if path != BUNDLE:
            return []  # not None: finders.find() would answer [None] for a file nobody has
        file = str(written_bundle() / BUNDLE)
        return [file] if find_all else file

    def list(self, ignore_patterns):
        yield BUNDLE, FileSystemStorage(location=written_bundle())
