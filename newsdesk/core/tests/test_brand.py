"""The newsroom's look as editors set it (Settings → Newsroom), and the design system's base.

The accent colour is checked for contrast and reaches the pages as a stylesheet at an
address that names it; the logo is the site's icon, the header's and the feeds'; the
footer says how to reach and follow the newsroom; the tokens read well in both schemes.
"""

import json
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.templatetags.static import static

from newsdesk.core.brand import DARK_BACKGROUND, DARK_SURFACE, contrast_ratio
from newsdesk.core.models import NewsroomSettings
from newsdesk.core.tests.test_pagecache import state

pytestmark = pytest.mark.django_db

CSS = Path(__file__).resolve().parents[1] / "static" / "newsdesk" / "css"


@pytest.fixture
def newsroom_settings(newsroom):
    return NewsroomSettings.for_site(newsroom["home"].get_site())


@pytest.mark.parametrize(
    "colour, complaint",
    [
        ("#ffcc00", "White text on #ffcc00 has a contrast of 1.51:1"),
        ("#0b84ff", "readers need at least 4.5:1"),
        ("red", "six hex digits"),
        ("#a3001", "six hex digits"),
        ("#a3001bff", "six hex digits"),
    ],
)
def test_an_accent_colour_unreadable_under_white_text_or_not_hex_is_refused(
    newsroom_settings, colour, complaint
):
    newsroom_settings.accent_colour = colour
    with pytest.raises(ValidationError) as refused:
        newsroom_settings.full_clean()
    assert complaint in " ".join(refused.value.message_dict["accent_colour"])


def test_the_settings_form_refuses_a_pale_accent_and_stores_nothing(
    editor_client, newsroom_settings
):
    url = f"/admin/settings/core/newsroomsettings/{newsroom_settings.site_id}/"
    form = editor_client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(accent_colour="#ffcc00", logo="", about_page="")
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "readers need at least 4.5:1" in response.content.decode()
    newsroom_settings.refresh_from_db()
    assert newsroom_settings.accent_colour == "#a3001b"


def test_the_accent_reaches_every_page_as_a_stylesheet_kept_for_a_year(
    client, newsroom_settings, publish_article, commit, settings
):
    settings.PAGE_CACHE_SECONDS = 60
    article = publish_article()
    assert "/brand/" not in client.get("/").content.decode()  # tokens.css has the default
    state(client, article.url)
    assert state(client, article.url) == "hit"

    newsroom_settings.accent_colour = "#1A5E20"
    commit(newsroom_settings.save)
    page = client.get(article.url).content.decode()
    assert '<link rel="stylesheet" href="/brand/1a5e20.css" media="screen">' in page
    assert '<meta name="theme-color" content="#1a5e20">' in page

    response = client.get("/brand/1a5e20.css")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/css; charset=utf-8"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    light, dark = re.findall(r"--color-accent:(#[0-9a-f]{6})", response.content.decode())
    assert light == "#1a5e20"
    for background in (DARK_BACKGROUND, DARK_SURFACE):
        assert contrast_ratio(dark, background) >= 4.5


@pytest.mark.parametrize("path", ["/brand/1A5E20.css", "/brand/12345.css", "/brand/red.css"])
def test_no_other_address_is_a_brand_stylesheet(client, newsroom, path):
    assert client.get(path).status_code == 404


def test_without_a_logo_the_icons_and_manifest_are_the_shipped_ones(client, newsroom):
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "The Test Ledger"
    assert manifest["start_url"] == "/"
    assert manifest["theme_color"] == "#a3001b"
    assert {icon["sizes"] for icon in manifest["icons"]} == {"32x32", "180x180", "any"}
    for icon in manifest["icons"]:
        if icon["type"] == "image/svg+xml":  # in the page and the manifest themselves
            svg = unquote(icon["src"].removeprefix("data:image/svg+xml,"))
            assert svg == Path(finders.find("newsdesk/favicon.svg")).read_text().strip()
        else:
            assert client.get(icon["src"]).status_code == 200 or finders.find(
                icon["src"].removeprefix("/static/")
            )
    assert '<link rel="manifest" href="/manifest.webmanifest">' in client.get("/").content.decode()


def test_the_logo_is_the_header_s_the_icons_the_manifest_s_and_the_feeds_image(
    client, newsroom, newsroom_settings, publish_article, commit
):
    publish_article()
    newsroom_settings.logo = newsroom["image"]
    commit(newsroom_settings.save)

    page = client.get("/").content.decode()
    header = page[page.index('<header class="site-header">') : page.index("</header>")]
    assert re.search(r'<img[^>]+alt="The Test Ledger"[^>]+class="site-header__logo"', header) or (
        re.search(r'<img[^>]+class="site-header__logo"[^>]+alt="The Test Ledger"', header)
    )
    icon = re.search(r'<link rel="icon" href="([^"]+)" sizes="32x32" type="image/png">', page)
    assert icon and "/images/" in icon[1] and ".fill-32x32.format-png" in icon[1]

    manifest = json.loads(client.get("/manifest.webmanifest").content)
    sizes = {icon["sizes"]: icon["src"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= set(sizes)
    assert ".fill-512x512.format-png" in sizes["512x512"]

    rss = client.get("/feeds/rss/").content.decode()
    assert re.search(r"<image><url>http[^<]+\.png</url><title>", rss)
    atom = client.get("/feeds/atom/").content.decode()
    assert re.search(r"<logo>http[^<]+\.png</logo>", atom)


def test_without_a_logo_the_feeds_have_no_image(client, newsroom, publish_article):
    publish_article()
    assert "<image>" not in client.get("/feeds/rss/").content.decode()
    assert "<logo>" not in client.get("/feeds/atom/").content.decode()


def test_the_footer_says_how_to_reach_follow_and_support_the_newsroom(
    client, newsroom, newsroom_settings, commit
):
    from newsdesk.articles.models import StaticPage

    about = newsroom["home"].add_child(instance=StaticPage(title="About us", slug="about"))
    about.save_revision().publish()
    newsroom_settings.about_page = about
    newsroom_settings.contact_email = "desk@ledger.example"
    newsroom_settings.telegram_url = "https://t.me/testledger"
    newsroom_settings.facebook_url = "https://facebook.com/testledger"
    commit(newsroom_settings.save)

    page = client.get("/").content.decode()
    footer = page[page.index('<footer class="site-footer">') :]
    links = {text: href for href, text in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', footer)}
    assert links == {
        "About us": "/about/",
        "Contact": "mailto:desk@ledger.example",
        "Newsletters": "/newsletters/",
        "Membership": "/membership/",
        "Support our reporting": "/support/",
        "RSS feed": "/feeds/rss/",
        "Atom feed": "/feeds/atom/",
        "Facebook": "https://facebook.com/testledger",
        "Telegram": "https://t.me/testledger",
    }
    assert "© " in footer and "The Test Ledger" in footer
    assert "<script" not in footer


def _tokens(block):
    return dict(re.findall(r"(--color-[\w-]+):\s*(#[0-9a-f]{6})", block))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_pair_of_colour_tokens_read_together_has_enough_contrast(scheme):
    source = (CSS / "tokens.css").read_text()
    tokens = _tokens(source.split("@media (prefers-color-scheme: dark)")[0])
    if scheme == "dark":
        tokens.update(_tokens(source.split("@media (prefers-color-scheme: dark)")[1]))
    text_pairs = [
        ("--color-text", "--color-bg"),
        ("--color-text", "--color-surface"),
        ("--color-text", "--color-mark"),
        ("--color-text-soft", "--color-bg"),
        ("--color-text-soft", "--color-surface"),
        ("--color-accent", "--color-bg"),
        ("--color-accent", "--color-surface"),
        ("--color-accent-text", "--color-accent"),
        ("--color-bg", "--color-text"),  # buttons
    ]
    for foreground, background in text_pairs:
        ratio = contrast_ratio(tokens[foreground], tokens[background])
        assert ratio >= 4.5, (scheme, foreground, background, ratio)
    # Non-text contrast (WCAG 1.4.11): the focus ring and the fields' borders.
    for foreground in ("--color-focus", "--color-field-border"):
        ratio = contrast_ratio(tokens[foreground], tokens["--color-bg"])
        assert ratio >= 3, (scheme, foreground, ratio)


def test_the_typefaces_are_served_from_the_site_with_their_licences(client, newsroom):
    base = (CSS / "base.css").read_text()
    fonts = re.findall(r"url\(\.\./fonts/([\w-]+\.woff2)\)", base)
    assert len(fonts) == 9
    for font in fonts:
        assert finders.find(f"newsdesk/fonts/{font}"), font
    for licence in ("SourceSerif4-OFL.txt", "Inter-OFL.txt"):
        assert (
            "SIL Open Font License" in Path(finders.find(f"newsdesk/fonts/{licence}")).read_text()
        )
    assert base.count("font-display: swap") == len(fonts)
    page = client.get("/").content.decode()
    # The two files every page in English sets its text in are preloaded, the serif's (the
    # headline's, a phone's Largest Contentful Paint) first, each a face base.css names.
    preloaded = re.findall(
        r'<link rel="preload" href="([^"]+)" as="font" type="font/woff2" crossorigin>', page
    )
    files = ["source-serif-4-latin-basic-wght-normal.woff2", "inter-latin-basic-wght-normal.woff2"]
    assert preloaded == [static(f"newsdesk/fonts/{file}") for file in files]
    assert page.count('as="font"') == 2
    for family, file in zip(("Source Serif 4", "Inter"), files, strict=True):
        assert re.search(
            rf'font-family: "{family}"; font-style: normal;[^}}]*url\(\.\./fonts/{re.escape(file)}\)',
            base,
        ), file
    assert "fonts.googleapis" not in page and "@import" not in base


def code_points(unicode_range):
    points = set()
    for part in unicode_range.split(","):
        first, _, last = part.strip().removeprefix("U+").partition("-")
        points |= set(range(int(first, 16), int(last or first, 16) + 1))
    return points


def test_english_text_needs_only_the_basic_latin_file_of_each_face():
    # The rest of Latin (accented letters, rarer signs) is a file of its own, fetched for the text that uses it.
    base = (CSS / "base.css").read_text()
    faces = re.findall(
        r"url\(\.\./fonts/([\w-]+)-latin-(basic|rest)(-wght-\w+)\.woff2\)[^;]*; unicode-range: ([^;]+);",
        base,
    )
    ranges = {(family + style, part): code_points(points) for family, part, style, points in faces}
    assert len(ranges) == 6
    english = set(range(0x20, 0x7F)) | set(map(ord, "“”‘’—–…×£€·©\u00a0"))  # ASCII, and typeset
    for face in {face for face, _ in ranges}:
        basic, rest = ranges[face, "basic"], ranges[face, "rest"]
        assert not basic & rest, face
        assert english <= basic, (face, sorted(map(chr, english - basic)))
        assert {ord("é"), ord("ß"), ord("œ")} <= rest, face


def test_while_the_typefaces_load_the_fallbacks_take_their_measure():
    """Each family's stack goes through a local face scaled to its metrics, so the swap does not move the page."""
    base = (CSS / "base.css").read_text()
    tokens = (CSS / "tokens.css").read_text()
    for family, stack in (("Source Serif 4", "--font-serif"), ("Inter", "--font-sans")):
        faces = re.findall(
            rf'@font-face {{ font-family: "{family} fallback";[^}}]*src: local\([^}}]*size-adjust: [\d.]+%;'
            r" ascent-override: [\d.]+%; descent-override: [\d.]+%;",
            base,
        )
        assert len(faces) >= 2, family
        declared = re.search(rf"{stack}: ([^;]+);", tokens).group(1).replace('"', "")
        assert declared.startswith(f"{family}, {family} fallback,"), declared
