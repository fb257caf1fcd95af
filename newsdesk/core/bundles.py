"""The readers' stylesheet and script: each one file made of the components' sources, in order.

The sources stay one file per component; pages link their concatenations, because
each file a page names is a request of its own, and on a phone's connection they
hold up the ones the first paint waits for: fifteen stylesheets were most of the
article's Largest Contentful Paint, and later six scripts and a print stylesheet,
sharing the line with the typefaces, still cost it about a tenth (docs/performance.md).

Core's components are listed here; an app adds its own from its AppConfig.ready(),
`bundles.STYLESHEET.add("members/members.css")` or `bundles.SCRIPT.add(...)`, after
core's and in the order the apps are installed, so the result is the same on every run.

BundleFinder (in STATICFILES_FINDERS) makes the files, so every way newsdesk finds
static files has them with no step of its own: `collectstatic` copies them like any
other file and the manifest storage names them by their hash and compresses them; the
test server, `runserver` and WhiteNoise under DEBUG serve them from the finder, made
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


class Bundle:
    """One static file (`path`) made of registered static sources, each under a comment naming it.

    `last` comes after every source an app adds. `part` is how a source's text is set in
    the bundle, `refuse` a pattern of what must not move into it, with the reason.
    """

    def __init__(self, path, sources, *, last=(), part="{text}", refuse=None):
        self.path = path
        self.sources = list(sources)
        self.last = list(last)
        self.part = part
        self.refuse = refuse

    def add(self, path):
        """Adds a static source (its path under STATIC_URL), after those already added."""
        self.sources.append(path)

    def text(self):
        """The bundle's text, from its sources as they are now."""
        parts = []
        for path in self.sources + self.last:
            source = finders.find(path)
            if source is None:
                raise ImproperlyConfigured(
                    f"{path} is added to {self.path} but no static folder has it."
                )
            text = Path(source).read_text(encoding="utf-8").strip()
            if self.refuse and os.path.dirname(path) != os.path.dirname(self.path):
                pattern, reason = self.refuse
                if pattern.search(text):
                    raise ImproperlyConfigured(f"{path} has {reason}")
            parts.append(f"/* {path} */\n{self.part.format(text=text)}\n")
        return "".join(parts)

    def written(self):
        """The folder under which the bundle is written, as the sources are now.

        The folder is named by the text's hash, so processes that make the same text
        share one file, and a process never reads another's half-written one.
        """
        text = self.text().encode()
        folder = (
            Path(tempfile.gettempdir()) / f"newsdesk-bundle-{hashlib.sha256(text).hexdigest()[:16]}"
        )
        file = folder / self.path
        if not file.exists():
            file.parent.mkdir(parents=True, exist_ok=True)
            partial = file.with_name(f"{file.name}.{os.getpid()}.partial")
            partial.write_bytes(text)
            os.replace(partial, file)
        return folder


STYLESHEET = Bundle(
    "newsdesk/css/bundle.css",
    # Core's components, in cascade order: the tokens everything else uses, then the base.
    [
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
    ],
    # Paper's rules (all under @media print) after every app's, so they win there.
    last=["newsdesk/css/print.css"],
    # A relative address would resolve against the bundle's folder once the text moves
    # there, and @import is ignored after the first rule.
    refuse=(
        re.compile(r"url\(|@import", re.IGNORECASE),
        "url() or @import, which would resolve against newsdesk/css/ in the bundle: "
        "keep such rules in core's stylesheets there.",
    ),
)

SCRIPT = Bundle(
    "newsdesk/js/bundle.js",
    ["newsdesk/js/header.js"],
    # Each source in a block of its own, as it was in a file of its own: its names stay its
    # own, and an error in one does not stop the others.
    part="try {{\n{text}\n}} catch (error) {{\n  console.error(error);\n}}",
)

BUNDLES = {bundle.path: bundle for bundle in (STYLESHEET, SCRIPT)}


class BundleFinder(BaseFinder):
    """Finds the bundles, each made from its registered sources when asked."""

    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        if path not in BUNDLES:
            return []  # not None: finders.find() would answer [None] for a file nobody has
        file = str(BUNDLES[path].written() / path)
        return [file] if find_all else file

    def list(self, ignore_patterns):
        for path, bundle in BUNDLES.items():
            yield path, FileSystemStorage(location=bundle.written())
