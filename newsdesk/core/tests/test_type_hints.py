"""The apps' service modules say what their public functions take and give."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]
SERVICE_MODULES = [
    "core/backups.py",
    "articles/listings.py",
    "articles/text.py",
    "curation/models.py",
    "feed/models.py",
    "people/models.py",
    "images/models.py",
    "search/snippets.py",
    "syndication/feeds.py",
    "syndication/sitemaps.py",
    "narration/normalise.py",
    "narration/script.py",
    "narration/audio.py",
    "narration/voices.py",
    "narration/workflows.py",
    "content_import/blocks.py",
    "content_import/detect.py",
    "content_import/ghost.py",
    "content_import/pictures.py",
    "content_import/writer.py",
    "content_import/wordpress.py",
    "content_import/wordpress_html.py",
    "content_import/substack.py",
    "content_import/markup.py",
    "content_import/preview.py",
    "content_import/tasks.py",
    "content_import/middleware.py",
    "demo/archive.py",
    "demo/loader.py",
    "demo/pictures.py",
    "mailcatcher/server.py",
    "mailcatcher/store.py",
    "core/access.py",
    "members/signin.py",
    "members/accounts.py",
    "members/sessions.py",
    "members/access.py",
]


def unannotated(source):
    """Public functions and methods (and __init__) missing a parameter's or the return's type."""
    tree = ast.parse(source)
    classes = [node for node in tree.body if isinstance(node, ast.ClassDef)]
    missing = []
    for node in [*tree.body, *(node for cls in classes for node in cls.body)]:
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if node.name.startswith("_") and node.name != "__init__":
            continue
        arguments = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
        untyped = [
            a.arg for a in arguments if a.annotation is None and a.arg not in ("self", "cls")
        ]
        if untyped or node.returns is None:
            missing.append(f"{node.name}:{node.lineno}")
    return missing


def test_the_check_finds_a_function_without_types():
    assert unannotated("def f(a: int) -> int: ...\ndef g(a): ...\n") == ["g:2"]


@pytest.mark.parametrize("module", SERVICE_MODULES)
def test_public_functions_of_service_modules_have_type_hints(module):
    assert unannotated((PACKAGE / module).read_text(encoding="utf-8")) == []
