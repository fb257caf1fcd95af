"""The newsroom's accent colour: checked for contrast, and served as a small stylesheet.

Readers' pages allow no inline style (core/csp.py), so the colour an editor sets in
Settings → Newsroom reaches the pages as /brand/<colour>.css, which sets the
--color-accent tokens. Its address names the colour, so it is kept for a year by
browsers and caches; a new colour is a new address, in pages renewed under the
`newsroom` tag.
"""

import re
from functools import cache
from pathlib import Path
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.templatetags.static import static
from django.views.decorators.http import require_safe

# tokens.css' own accent, with its dark-scheme variant there.
DEFAULT_ACCENT = "#a3001b"
HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
# WCAG 2.2 AA for body-size text (1.4.3).
MINIMUM_CONTRAST = 4.5
WHITE = "#ffffff"
# The dark scheme's background (tokens.css): the accent, as text there, is lightened to
# be read on it.
DARK_BACKGROUND = "#121212"
DARK_SURFACE = "#1e1d1b"


def _channels(colour):
    return [int(colour[i : i + 2], 16) for i in (1, 3, 5)]


def relative_luminance(colour):
    def linear(channel):
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(channel) for channel in _channels(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first, second):
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def validate_accent_colour(colour):
    if not HEX_COLOUR.fullmatch(colour or ""):
        raise ValidationError("Give the colour as # and six hex digits, such as #a3001b.")
    ratio = contrast_ratio(colour, WHITE)
    if ratio < MINIMUM_CONTRAST:
        raise ValidationError(
            f"White text on {colour} has a contrast of {ratio:.2f}:1; readers need at least "
            f"{MINIMUM_CONTRAST}:1. Choose a darker colour."
        )


def _toward_white(colour, share):
    return "#" + "".join(f"{round(c + (255 - c) * share):02x}" for c in _channels(colour))


def accent_on_dark(colour):
    """The accent mixed with white, as little as needed to be read on the dark scheme's surfaces."""
    for step in range(21):
        lighter = _toward_white(colour, step / 20)
        if min(contrast_ratio(lighter, DARK_BACKGROUND), contrast_ratio(lighter, DARK_SURFACE)) >= (
            MINIMUM_CONTRAST
        ):
            return lighter
    return WHITE


def stylesheet(colour):
    """The tokens the accent sets, in both colour schemes (tokens.css names them)."""
    colour = colour.lower()
    return (
        f":root{{--color-accent:{colour};--color-accent-text:{WHITE}}}\n"
        "@media (prefers-color-scheme:dark){"
        f":root{{--color-accent:{accent_on_dark(colour)};--color-accent-text:{DARK_BACKGROUND}}}}}\n"
    )


@require_safe
def accent_stylesheet(request, colour):
    """/brand/<colour>.css: the URL names the colour (six lowercase hex digits), so it never changes."""
    response = HttpResponse(stylesheet(f"#{colour}"), content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


def icons(newsroom):
    """The site's icons, (address, size, type): square crops of the logo, or the shipped ones."""
    if newsroom.logo_id:
        return [
            (newsroom.logo.get_rendition(f"fill-{size}x{size}|format-png").url, size, "image/png")
            for size in (32, 180, 192, 512)
        ]
    return [
        (static("newsdesk/favicon-32.png"), 32, "image/png"),
        (static("newsdesk/apple-touch-icon.png"), 180, "image/png"),
        (shipped_svg_icon(), "any", "image/svg+xml"),
    ]


@cache
def shipped_svg_icon():
    """The shipped icon's SVG as a data: address, for the pages and the manifest.

    Browsers fetch a page's icon once the page has loaded, often while its first paint is
    still being made, and on a phone's connection that request shares the line with what
    the paint waits for; the icon's 335 bytes in the page cost less (docs/performance.md).
    """
    svg = (Path(__file__).parent / "static" / "newsdesk" / "favicon.svg").read_text().strip()
    return "data:image/svg+xml," + quote(svg, safe="/=:,.()-")


@require_safe
def web_app_manifest(request):
    from newsdesk.core.models import NewsroomSettings

    newsroom = NewsroomSettings.for_request(request)
    manifest = {
        "name": newsroom.name,
        "short_name": newsroom.name[:12],
        "description": newsroom.tagline,
        "start_url": "/",
        "scope": "/",
        "display": "minimal-ui",
        "background_color": "#ffffff",
        "theme_color": newsroom.accent_colour.lower(),
        "icons": [
            {"src": src, "sizes": f"{size}x{size}" if size != "any" else size, "type": kind}
            for src, size, kind in icons(newsroom)
        ],
    }
    return JsonResponse(manifest, content_type="application/manifest+json")
