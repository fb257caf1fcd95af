"""The readers' one stylesheet and one script (core/bundles.py): the components' sources, in
order, each as one file that pages link alone, found by every way static files are found."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.templatetags.static import static

from newsdesk.core import bundles
from newsdesk.core.bundles import SCRIPT, STYLESHEET, Bundle
from newsdesk.core.models import NewsroomSettings

pytestmark = pytest.mark.django_db

LINK = re.compile(r"<link rel=\"stylesheet\"[^>]*>")
SCRIPT_TAG = re.compile(r"<script src=[^>]*>")
APP_STYLESHEETS = [
    "newsletters/newsletters.css",
    "narration/player.css",
    "members/members.css",
    "support/support.css",
]
APP_SCRIPTS = [
    "articles/js/share.js",
    "feed/js/live-feed.js",
    "narration/player.js",
    "newsletters/subscribe.js",
    "support/meter.js",
]


def test_reader_pages_link_the_two_bundles_and_the_accent_on_screen_and_nothing_else(
    client, newsroom, publish_article
):
    article = publish_article()
    settings_ = NewsroomSettings.for_site(newsroom["home"].get_site())
    settings_.accent_colour = "#1a5e20"
    settings_.save()
    for path in (
        "/",
        article.url,
        newsroom["section"].url,
        "/news/",
        "/newsletters/",
        "/search/?q=bridge",
    ):
        page = client.get(path).content.decode()
        assert LINK.findall(page) == [
            f'<link rel="stylesheet" href="{static(STYLESHEET.path)}">',
            # Paper keeps its black: the accent is the screen's.
            '<link rel="stylesheet" href="/brand/1a5e20.css" media="screen">',
        ], path
        assert SCRIPT_TAG.findall(page) == [f'<script src="{static(SCRIPT.path)}" defer>'], path


def made(bundle):
    return Path(finders.find(bundle.path)).read_text()


def test_the_stylesheet_is_each_registered_one_in_order_tokens_first_the_apps_after_core_print_last():
    assert STYLESHEET.sources[0] == "newsdesk/css/tokens.css"
    # Each app's, from its apps.py, after core's and in the order the apps are installed.
    assert STYLESHEET.sources[-len(APP_STYLESHEETS) :] == APP_STYLESHEETS
    text = made(STYLESHEET)
    at = 0
    for path in [*STYLESHEET.sources, "newsdesk/css/print.css"]:
        part = f"/* {path} */\n{Path(finders.find(path)).read_text().strip()}\n"
        assert text.find(part, at) == at, path
        at += len(part)
    assert at == len(text)
    # Paper's rules come last, all of them only for paper.
    print_rules = Path(finders.find("newsdesk/css/print.css")).read_text()
    assert re.search(r"\*/\n@media print \{\n.*\n\}\n$", print_rules, re.DOTALL)


def test_the_script_is_each_registered_one_in_a_block_of_its_own():
    assert SCRIPT.sources[0] == "newsdesk/js/header.js"
    assert sorted(SCRIPT.sources[1:]) == APP_SCRIPTS
    text = made(SCRIPT)
    at = 0
    for path in SCRIPT.sources:
        source = Path(finders.find(path)).read_text().strip()
        part = f"/* {path} */\ntry {{\n{source}\n}} catch (error) {{\n  console.error(error);\n}}\n"
        assert text.find(part, at) == at, path
        at += len(part)
    assert at == len(text)


@pytest.mark.browser
def test_a_script_that_fails_stops_none_of_the_others_and_keeps_its_names_to_itself(
    tmp_path, settings, monkeypatch, browser
):
    (tmp_path / "extra").mkdir()
    (tmp_path / "extra" / "first.js").write_text("const done = [];\nwindow.done = done;\n")
    (tmp_path / "extra" / "fails.js").write_text("const done = 1;\nnothing.here();\n")
    (tmp_path / "extra" / "last.js").write_text("const done = 2;\nwindow.done.push(done);\n")
    settings.STATICFILES_DIRS = [tmp_path]
    bundle = Bundle(
        "extra/bundle.js", ["extra/first.js", "extra/fails.js", "extra/last.js"], part=SCRIPT.part
    )
    monkeypatch.setitem(bundles.BUNDLES, bundle.path, bundle)
    page = browser.new_page()
    try:
        errors = []
        page.on("pageerror", lambda error: errors.append(error))
        logged = []
        page.on("console", lambda message: logged.append((message.type, message.text)))
        page.add_script_tag(content=made(bundle))
        assert page.evaluate("window.done") == [2]
        assert errors == []  # each source's `const done` is its own
        assert logged and logged[0][0] == "error" and "nothing is not defined" in logged[0][1]
    finally:
        page.close()


def test_a_bundle_follows_its_sources_as_they_change(tmp_path, settings, monkeypatch):
    (tmp_path / "extra").mkdir()
    source = tmp_path / "extra" / "extra.css"
    source.write_text(".extra { color: red; }\n")
    settings.STATICFILES_DIRS = [tmp_path]
    monkeypatch.setattr(STYLESHEET, "sources", ["newsdesk/css/tokens.css", "extra/extra.css"])
    monkeypatch.setattr(STYLESHEET, "last", [])
    assert made(STYLESHEET).endswith(".extra { color: red; }\n")
    source.write_text(".extra { color: blue; }\n")
    assert made(STYLESHEET).endswith(".extra { color: blue; }\n")


@pytest.mark.parametrize(
    "registered, rules, complaint",
    [
        (
            "extra/gone.css",
            None,
            "extra/gone.css is added to newsdesk/css/bundle.css but no static folder has it.",
        ),
        (
            "extra/extra.css",
            ".x { background: url(x.png); }",
            "extra/extra.css has url() or @import",
        ),
        ("extra/extra.css", '@import "other.css";', "extra/extra.css has url() or @import"),
    ],
)
def test_a_stylesheet_missing_or_whose_addresses_would_move_is_a_clear_error(
    tmp_path, settings, monkeypatch, registered, rules, complaint
):
    (tmp_path / "extra").mkdir()
    if rules:
        (tmp_path / "extra" / "extra.css").write_text(rules)
    settings.STATICFILES_DIRS = [tmp_path]
    monkeypatch.setattr(STYLESHEET, "sources", ["newsdesk/css/tokens.css", registered])
    with pytest.raises(ImproperlyConfigured, match=re.escape(complaint)):
        STYLESHEET.text()


def test_collectstatic_names_the_bundles_by_their_hash_compresses_them_and_the_fonts_resolve(
    collected_static,
):
    manifest = (collected_static / "staticfiles.json").read_text()
    hashed = re.search(
        r'"newsdesk/css/bundle.css": "(newsdesk/css/bundle\.[0-9a-f]{12}\.css)"', manifest
    )
    bundle = collected_static / hashed.group(1)
    assert Path(f"{bundle}.gz").exists()
    script = re.search(
        r'"newsdesk/js/bundle.js": "(newsdesk/js/bundle\.[0-9a-f]{12}\.js)"', manifest
    )
    assert (collected_static / f"{script.group(1)}.gz").read_bytes()
    text = bundle.read_text()
    assert text.startswith("/* newsdesk/css/tokens.css */")
    fonts = re.findall(r'url\("\.\./fonts/([^"]+)"\)', text)
    # Every face of base.css, each now naming its file by hash.
    assert len(fonts) == Path(finders.find("newsdesk/css/base.css")).read_text().count(
        "url(../fonts/"
    )
    for font in fonts:
        assert (collected_static / "newsdesk" / "fonts" / font).exists(), font
