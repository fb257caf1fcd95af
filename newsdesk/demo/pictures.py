"""Illustrations for the demo newsroom, drawn with Pillow so that nothing is fetched."""

import io
import itertools
import random
from collections.abc import Sequence

from PIL import Image, ImageDraw, ImageFilter

WIDTH, HEIGHT = 1600, 900


def _hex(colour):
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))


def _mix(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=False))


def _sky(draw, top, bottom, horizon):
    for y in range(horizon):
        draw.line([(0, y), (WIDTH, y)], fill=_mix(top, bottom, y / max(1, horizon)))


def _skyline(draw, rng, dark, light):
    x = 0
    while x < WIDTH:
        w = rng.randint(60, 160)
        h = rng.randint(180, 520)
        draw.rectangle([x, HEIGHT - h, x + w, HEIGHT], fill=dark)
        for wy in range(HEIGHT - h + 20, HEIGHT - 20, 34):
            for wx in range(x + 12, x + w - 16, 26):
                if rng.random() < 0.35:
                    draw.rectangle([wx, wy, wx + 10, wy + 14], fill=light)
        x += w + rng.randint(4, 20)


def _river(draw, rng, dark, light):
    draw.rectangle([0, 560, WIDTH, HEIGHT], fill=dark)
    for y in range(590, HEIGHT, 28):
        for x in range(rng.randint(-40, 0), WIDTH, 120):
            draw.arc([x, y, x + 80, y + 18], 200, 340, fill=light, width=3)
    draw.arc([200, 360, 1400, 860], 180, 360, fill=light, width=18)
    for x in range(260, 1400, 110):
        draw.line([(x, 560), (x, 610)], fill=light, width=6)


def _field(draw, rng, dark, light):
    for i, y in enumerate(range(520, HEIGHT + 200, 90)):
        draw.ellipse([-300 + i * 60, y, WIDTH + 300, y + 400], fill=_mix(dark, light, i / 8))
    for x in range(0, WIDTH, 48):
        draw.line([(WIDTH / 2, 560), (x, HEIGHT)], fill=_mix(dark, light, 0.3), width=2)


def _grid(draw, rng, dark, light):
    tops = []
    for x in range(150, WIDTH, 420):
        top = (x, 260 + rng.randint(-30, 30))
        tops.append(top)
        draw.polygon([top, (x - 90, HEIGHT), (x + 90, HEIGHT)], outline=dark, width=10)
        draw.line([(x - 110, top[1] + 60), (x + 110, top[1] + 60)], fill=dark, width=10)
        draw.line([(x - 80, top[1] + 140), (x + 80, top[1] + 140)], fill=dark, width=8)
    for (x1, y1), (x2, y2) in itertools.pairwise(tops):
        for dy in (60, 140):
            draw.line([(x1 + 100, y1 + dy), (x2 - 100, y2 + dy)], fill=dark, width=3)
    draw.rectangle([0, 820, WIDTH, HEIGHT], fill=dark)


def _stage(draw, rng, dark, light):
    draw.polygon([(500, 0), (1100, 0), (1400, HEIGHT), (200, HEIGHT)], fill=_mix(light, dark, 0.4))
    draw.rectangle([0, 0, 260, HEIGHT], fill=dark)
    draw.rectangle([WIDTH - 260, 0, WIDTH, HEIGHT], fill=dark)
    draw.rectangle([0, 760, WIDTH, HEIGHT], fill=_mix(dark, light, 0.2))
    draw.ellipse([720, 430, 880, 590], fill=dark)
    draw.rounded_rectangle([690, 580, 910, 780], radius=60, fill=dark)


def _stadium(draw, rng, dark, light):
    draw.ellipse([100, 380, WIDTH - 100, HEIGHT + 300], fill=dark)
    draw.ellipse([260, 480, WIDTH - 260, HEIGHT + 200], fill=_mix(dark, light, 0.55))
    draw.line([(WIDTH / 2, 480), (WIDTH / 2, HEIGHT)], fill=light, width=6)
    draw.ellipse([WIDTH / 2 - 90, 640, WIDTH / 2 + 90, 760], outline=light, width=6)
    for x in range(160, WIDTH - 100, 240):
        draw.line([(x, 120), (x, 380)], fill=dark, width=8)
        draw.rectangle([x - 40, 90, x + 40, 130], fill=light)


def _portrait(draw, rng, dark, light):
    draw.ellipse([650, 180, 950, 520], fill=dark)
    draw.rounded_rectangle([460, 520, 1140, 1100], radius=220, fill=dark)


MOTIFS = {
    "skyline": _skyline,
    "river": _river,
    "field": _field,
    "grid": _grid,
    "stage": _stage,
    "stadium": _stadium,
    "portrait": _portrait,
}


def draw_picture(motif: str, palette: Sequence[str], seed: int) -> bytes:
    """A 1600×900 JPEG of the motif in the palette's three colours, the same for the same seed."""
    rng = random.Random(seed)
    top, bottom, dark = (_hex(colour) for colour in palette)
    image = Image.new("RGB", (WIDTH, HEIGHT), bottom)
    draw = ImageDraw.Draw(image)
    _sky(draw, top, bottom, HEIGHT)
    sun_x, sun_y = rng.randint(200, WIDTH - 200), rng.randint(100, 300)
    draw.ellipse(
        [sun_x - 70, sun_y - 70, sun_x + 70, sun_y + 70], fill=_mix(bottom, (255, 255, 255), 0.6)
    )
    MOTIFS[motif](draw, rng, dark, _mix(bottom, (255, 255, 255), 0.5))
    image = image.filter(ImageFilter.SMOOTH)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85, optimize=True)
    return buffer.getvalue()
