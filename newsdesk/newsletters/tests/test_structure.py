"""How the newsletters app is put together: rooms that load without import cycles."""

import ast
from pathlib import Path

import pytest

import newsdesk.newsletters

# Nothing here reads the database; the suite's session fixtures need it set up all the same.
pytestmark = pytest.mark.django_db

PACKAGE = "newsdesk.newsletters"
ROOT = Path(newsdesk.newsletters.__file__).parent


def modules(root):
    """Dotted name → path of each module of the app, tests and migrations aside."""
    found = {}
    for path in root.rglob("*.py"):
        parts = path.relative_to(root).with_suffix("").parts
        if parts[0] in ("tests", "migrations"):
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join((PACKAGE, *parts))] = path
    return found


def load_time_imports(path, known):
    """The app's modules this one imports as it loads; an import inside a function runs later."""
    imported = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        else:
            continue
        imported |= {name for name in names if name in known}
    return imported


def cycles(root):
    """Each import cycle among the app's modules, as the list of modules around it."""
    known = modules(root)
    graph = {name: load_time_imports(path, known) for name, path in known.items()}
    found, done = [], set()

    def visit(name, trail):
        if name in trail:
            found.append([*trail[trail.index(name) :], name])
            return
        if name in done:
            return
        for imported in sorted(graph[name]):
            visit(imported, [*trail, name])
        done.add(name)

    for name in sorted(graph):
        visit(name, [])
    return found


def test_no_module_of_the_app_imports_itself_in_a_circle():
    assert cycles(ROOT) == []


def test_the_check_finds_a_cycle_like_the_one_the_app_had(tmp_path):
    """Before the rooms: tasks imported delivery, which imported sending, which imported tasks."""
    (tmp_path / "tasks.py").write_text("from newsdesk.newsletters import delivery\n")
    (tmp_path / "delivery.py").write_text("from newsdesk.newsletters import sending\n")
    (tmp_path / "sending.py").write_text(
        "import logging\n\nfrom newsdesk.newsletters import issues, tasks\n\n\n"
        "def later():\n    from newsdesk.newsletters import delivery\n"
    )
    (tmp_path / "issues.py").write_text("")
    assert cycles(tmp_path) == [
        [
            "newsdesk.newsletters.delivery",
            "newsdesk.newsletters.sending",
            "newsdesk.newsletters.tasks",
            "newsdesk.newsletters.delivery",
        ]
    ]


def test_readers_room_needs_neither_the_imports_nor_the_sending():
    known = modules(ROOT)
    subscribers = {name: path for name, path in known.items() if ".subscribers" in name}
    for name, path in subscribers.items():
        for imported in load_time_imports(path, known):
            assert ".imports" not in imported and ".sending" not in imported, (name, imported)
