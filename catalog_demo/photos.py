"""Placeholder product photos for the demo, drawn with Pillow: the product set's colour, a shape for its
sector and the product's initial. No download; the same product gives the same picture.

Each picture goes through the upload's own path (:func:`catalog.records.photos.store`: checked, re-encoded,
its 400 px and 160 px copies made) so pages show photos as they will be. Drawing and encoding cost a few
milliseconds, so a picture is made once per product set and initial; the other products with the same
set and initial get it under their own names, as hard links (300 products: some 90 pictures drawn;
20,000: some 140, 3 MB; removing one photo never touches another's).
"""
from __future__ import annotations

import colorsys
import io
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from catalog.kernel import taxonomy
from catalog.kernel.text import fold
from catalog.platform.images import clean_photo
from catalog.records import photos

SIZE = (480, 360)
#: One product in this many is left without a photo, so pages without one are seen too.
WITHOUT_PHOTO_EVERY = 10
_SECTOR_HUES = {"food": 0.07, "beverages": 0.33, "herbal": 0.25, "handicrafts": 0.58, "ornamentals": 0.9,
                "tourism": 0.5}


def wanted(product_id: int) -> bool:
    return product_id % WITHOUT_PHOTO_EVERY != 3


def initial(name: str) -> str:
    """The first letter of the name, accents folded (``Đặc sản`` -> ``D``), as on a mail avatar."""
    return next((c for c in fold(name) if c.isalnum()), "?").upper()


def colour(product_set: int) -> tuple[int, int, int]:
    """The product set's colour: its sector's hue, shifted a little per set; soft, never garish."""
    info = taxonomy.SETS_BY_NUMBER[product_set]
    hue = (_SECTOR_HUES.get(info.sector.code, 0.0) + (product_set % 7) * 0.02) % 1.0
    red, green, blue = colorsys.hls_to_rgb(hue, 0.42, 0.42)
    return round(red * 255), round(green * 255), round(blue * 255)


def draw(product_set: int, letter: str) -> bytes:
    """A JPEG: the set's colour, a lighter shape for the sector, the initial in white."""
    width, height = SIZE
    base = colour(product_set)
    light = tuple(round(c + (255 - c) * 0.22) for c in base)
    image = Image.new("RGB", SIZE, base)
    pen = ImageDraw.Draw(image)
    sector = taxonomy.SETS_BY_NUMBER[product_set].sector.code
    cx, cy, r = width // 2, height // 2, 130
    if sector == "beverages":
        pen.rounded_rectangle((cx - 95, cy - 120, cx + 95, cy + 120), radius=40, fill=light)
    elif sector == "herbal":
        pen.ellipse((cx - 150, cy - 90, cx + 150, cy + 90), fill=light)
    elif sector == "handicrafts":
        pen.polygon(((cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy)), fill=light)
    elif sector == "ornamentals":
        for dx, dy in ((0, -60), (57, -19), (35, 49), (-35, 49), (-57, -19)):
            pen.ellipse((cx + dx - 62, cy + dy - 62, cx + dx + 62, cy + dy + 62), fill=light)
    elif sector == "tourism":
        pen.polygon(((cx - 170, cy + 110), (cx - 40, cy - 110), (cx + 40, cy + 10), (cx + 90, cy - 50),
                     (cx + 170, cy + 110)), fill=light)
    else:
        pen.ellipse((cx - r, cy - r, cx + r, cy + r), fill=light)
    pen.text((cx, cy), letter, fill=(255, 255, 255), font=_font(), anchor="mm")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92)
    return out.getvalue()


@cache
def _font() -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=150)


def add(products: Iterable[dict[str, Any]], folder: Path,
        tick: Callable[[int], None] = lambda n: None) -> list[dict[str, Any]]:
    """Photos for the products (rows with ``id``, ``name``, ``product_set``), written under ``folder``; their
    ``product_images`` rows, to be inserted by the caller in the same transaction."""
    made: dict[tuple[int, str], photos.StoredPhoto] = {}
    rows = []
    for product in products:
        if not wanted(product["id"]):
            continue
        key = (product["product_set"], initial(product["name"]))
        if key in made:
            stored = photos.copy(made[key], folder)
        else:
            stored = made[key] = photos.write(photos.encode(clean_photo(draw(*key))), folder)
        rows.append({"product_id": product["id"], "filename": stored.filename, "thumbnail": stored.thumbnail,
                     "width": stored.width, "height": stored.height, "position": 0, "alt": None,
                     "created_at": product["created_at"]})
        tick(1)
    return rows
