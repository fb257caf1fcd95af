"""Dependencies point one way: each app imports only the apps below it (docs/architecture.md, "Layers")."""

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]

# Which apps each app may import, besides itself: the layers of docs/architecture.md.
BELOW_ARTICLES = {"core", "images", "people"}
MAY_IMPORT = {
    "core": set(),
    "images": {"core"},
    "feed": {"core"},
    "mailcatcher": {"core"},
    "people": {"core", "images"},
    "articles": {"core", "images", "people"},
    "curation": {"articles", *BELOW_ARTICLES},
    "search": {"articles", *BELOW_ARTICLES},
    "newsletters": {"articles", *BELOW_ARTICLES},
    "syndication": {"articles", "feed", *BELOW_ARTICLES},
    "narration": {"syndication", "articles", "feed", *BELOW_ARTICLES},
    "home": {"curation", "newsletters", "search", "articles", "feed", *BELOW_ARTICLES},
    "members": {"newsletters", "articles", *BELOW_ARTICLES},
    "support": {"members", "newsletters", "articles", *BELOW_ARTICLES},
}
# Imports bring a whole archive: they publish as the demo does, and queue narration as a backlog.
MAY_IMPORT["content_import"] = set(MAY_IMPORT)
# The demo newsroom is the top: it fills every app with content.
MAY_IMPORT["demo"] = set(MAY_IMPORT) - {"demo"}
# The newsroom's roles name every app's permissions; its tests try the whole desk.
MAY_IMPORT["desk"] = set(MAY_IMPORT) - {"desk"}
# The templates of the apps, by the first part of their names ("articles/..."), and
# the template tag libraries they load, by the app that holds them.
TAG_LIBRARIES = {
    path.stem: path.parents[1].name for path in PACKAGE.glob("*/templatetags/*_tags.py")
}


def apps_imported(source, filename="<source>"):
    """The newsdesk apps a module's source imports, wherever in the module (lazy imports count too)."""
    apps = set()
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
            if node.module == "newsdesk":
                names = [f"newsdesk.{alias.name}" for alias in node.names]
        else:
            continue
        apps |= {name.split(".")[1] for name in names if name.startswith("newsdesk.")}
    return apps


def templates_used(source):
    """The apps whose templates or template tag libraries a template names."""
    named = set(re.findall(r"""\{%\s*(?:include|extends)\s+["']([a-z_]+)/""", source))
    for libraries in re.findall(r"\{%\s*load\s+([^%]+?)\s*%\}", source):
        named |= {TAG_LIBRARIES[name] for name in libraries.split() if name in TAG_LIBRARIES}
    return named


def app_modules(app):
    return [
        path
        for path in (PACKAGE / app).rglob("*.py")
        if "tests" not in path.parts[len(PACKAGE.parts) :]
    ]


def test_every_app_has_its_place_in_the_layers():
    apps = {path.parent.name for path in PACKAGE.glob("*/apps.py")}
    assert apps == set(MAY_IMPORT)


@pytest.mark.parametrize("app", sorted(MAY_IMPORT))
def test_an_app_imports_only_the_apps_below_it(app):
    allowed = MAY_IMPORT[app] | {app}
    breaches = {
        str(path.relative_to(PACKAGE)): sorted(apps_imported(path.read_text(), str(path)) - allowed)
        for path in app_modules(app)
    }
    assert {path: apps for path, apps in breaches.items() if apps} == {}


def test_core_templates_name_no_app_above_core():
    breaches = {
        # Wagtail's own templates (core overrides the admin's branding) are below core.
        str(path.relative_to(PACKAGE)): sorted(
            templates_used(path.read_text()) & set(MAY_IMPORT) - {"core"}
        )
        for path in (PACKAGE / "core" / "templates").rglob("*.html")
    }
    assert {path: apps for path, apps in breaches.items() if apps} == {}


def test_the_checks_see_every_kind_of_import_and_template_use():
    source = """
import newsdesk.feed.models
from newsdesk.curation import models
from newsdesk import narration


def later():
    from newsdesk.articles.models import ArticlePage
from . import sibling
"""
    assert apps_imported(source) == {"feed", "curation", "narration", "articles"}
    template = (
        '{% load static curation_tags %}{% include "search/form.html" %}{% extends "base.html" %}'
    )
    assert templates_used(template) == {"curation", "search"}
