"""The readers' one stylesheet (core/stylesheets.py): the components' sources, in order, as
one file that pages link alone, found by every way static files are found."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.templatetags.static import static

from newsdesk.core import stylesheets
from newsdesk.core.models import NewsroomSettings

pytestmark = pytest.mark.django_db

LINK = re.compile(r"<link rel=\"stylesheet\"[^>]*>")
APPS = [
    "newsletters/newsletters.css",
    "narration/player.css",
    "members/members.css",
    "support/support.css",
]


def test_reader_pages_link_the_bundle_then_the_accent_then_print_and_nothing_else(
    client, newsroom, publish_article
):
    article = publish_article()
    settings_ = NewsroomSettings.for_site(newsroom["home"].get_site())
    settings_.accent_colour = "#1a5e20"
    settings_.save()
    for path in ("/", article.url, newsroom["section"].url, "/newsletters/", "/search/?q=bridge"):
        page = client.get(path).content.decode()
        assert LINK.findall(page) == [
            f'<link rel="stylesheet" href="{static(stylesheets.BUNDLE)}">',
            '<link rel="stylesheet" href="/brand/1a5e20.css">',
            f'<link rel="stylesheet" href="{static("newsdesk/css/print.css")}" media="print">',
        ], path


def test_the_bundle_is_each_registered_stylesheet_in_order_tokens_first_the_apps_after_core():
    assert stylesheets.STYLESHEETS[0] == "newsdesk/css/tokens.css"
    # Each app's, from its apps.py, after core's and in the order the apps are installed.
    assert stylesheets.STYLESHEETS[-len(APPS) :] == APPS
    bundle = Path(finders.find(stylesheets.BUNDLE)).read_text()
    at = 0
    for path in stylesheets.STYLESHEETS:
        part = f"/* {path} */\n{Path(finders.find(path)).read_text().strip()}\n"
        assert bundle.find(part, at) == at, path
        at += len(part)
    assert at == len(bundle)


def test_the_bundle_follows_its_sources_as_they_change(tmp_path, settings, monkeypatch):
    (tmp_path / "extra").mkdir()
    source = tmp_path / "extra" / "extra.css"
    source.write_text(".extra { color: red; }\n")
    settings.STATICFILES_DIRS = [tmp_path]
    monkeypatch.setattr(stylesheets, "STYLESHEETS", ["newsdesk/css/tokens.css", "extra/extra.css"])
    assert Path(finders.find(stylesheets.BUNDLE)).read_text().endswith(".extra { color: red; }\n")
    source.write_text(".extra { color: blue; }\n")
    assert Path(finders.find(stylesheets.BUNDLE)).read_text().endswith(".extra { color: blue; }\n")


@pytest.mark.parametrize(
    "registered, rules, complaint",
    [
        (
            "extra/gone.css",
            None,
            "The stylesheet extra/gone.css is added to the bundle but no static folder has it.",
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
    monkeypatch.setattr(stylesheets, "STYLESHEETS", ["newsdesk/css/tokens.css", registered])
    with pytest.raises(ImproperlyConfigured, match=re.escape(complaint)):
        stylesheets.bundle()


def test_collectstatic_names_the_bundle_by_its_hash_compresses_it_and_its_fonts_resolve(
    collected_static,
):
    manifest = (collected_static / "staticfiles.json").read_text()
    hashed = re.search(
        r'"newsdesk/css/bundle.css": "(newsdesk/css/bundle\.[0-9a-f]{12}\.css)"', manifest
    )
    bundle = collected_static / hashed.group(1)
    assert Path(f"{bundle}.gz").exists()
    text = bundle.read_text()
    assert text.startswith("/* newsdesk/css/tokens.css */")
    fonts = re.findall(r'url\("\.\./fonts/([^"]+)"\)', text)
    # Every face of base.css, each now naming its file by hash.
    assert len(fonts) == Path(finders.find("newsdesk/css/base.css")).read_text().count(
        "url(../fonts/"
    )
    for font in fonts:
        assert (collected_static / "newsdesk" / "fonts" / font).exists(), font
