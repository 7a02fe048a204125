"""Uploaded photos: checked, re-encoded and shrunk, with their metadata (GPS, camera) dropped.

Only JPEG, PNG and WebP are read; anything else, anything too big, and
decompression bombs (a small file that unpacks to a huge image) are refused.
What is kept is a fresh JPEG drawn from the pixels alone.
"""
from __future__ import annotations

import io
import math
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from catalog.kernel.errors import InvalidInput
from catalog.kernel.i18n import N_, Message

MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 1600
FORMATS = ("JPEG", "PNG", "WEBP")


def clean_photo(data: bytes, field: str = "photo") -> bytes:
    if len(data) > MAX_BYTES:
        raise InvalidInput({field: [Message(N_("is larger than %(mb)s MB"), mb=MAX_BYTES // (1024 * 1024))]})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(data), formats=FORMATS)
            if opened.width * opened.height > MAX_PIXELS:
                raise InvalidInput({field: [Message(N_("has too many pixels"))]})
            opened.load()
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning, OSError,
            SyntaxError, ValueError):
        raise InvalidInput({field: [Message(N_("is not a JPEG, PNG or WebP photo that can be read"))]}) from None
    image = ImageOps.exif_transpose(opened).convert("RGB")
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


#: The sides of the smaller copies kept beside each photo, and the suffix of their file names:
#: ``<hex>.jpg`` (the photo, at most :data:`MAX_SIDE`), ``<hex>-t.jpg`` (cards, lists), ``<hex>-s.jpg`` (the scan page).
THUMBNAIL_SIDE = 400
SMALL_SIDE = 160
VARIANTS = (("-s", SMALL_SIDE, 70), ("-t", THUMBNAIL_SIDE, 80))


@dataclass(frozen=True, slots=True)
class Variant:
    """One stored size of a photo: its file name and pixel size."""

    name: str
    width: int
    height: int


def fitted(width: int, height: int, side: int) -> tuple[int, int]:
    """The size Pillow's ``thumbnail((side, side))`` gives an image of ``width`` x ``height`` (never larger)."""
    if width <= side and height <= side:
        return width, height
    aspect = width / height
    if aspect >= 1:
        return side, max(_round_aspect(side / aspect, lambda n: abs(aspect - side / n) if n else 0), 1)
    return max(_round_aspect(side * aspect, lambda n: abs(aspect - n / side)), 1), side


def _round_aspect(number: float, key) -> int:
    return min(math.floor(number), math.ceil(number), key=key)


def variant_name(filename: str, suffix: str) -> str:
    """``<hex>.jpg`` -> ``<hex><suffix>.jpg``."""
    return filename.removesuffix(".jpg") + suffix + ".jpg"


def variants(filename: str, width: int, height: int) -> list[Variant]:
    """Every stored size of the photo ``filename`` (``width`` x ``height``), smallest first (for ``srcset``)."""
    sizes = [Variant(variant_name(filename, suffix), *fitted(width, height, side)) for suffix, side, _ in VARIANTS]
    return [*sizes, Variant(filename, width, height)]


def shrunk(photo: bytes, side: int, quality: int) -> bytes:
    """A JPEG of ``photo`` (one of ours) fitted in ``side`` x ``side``."""
    with Image.open(io.BytesIO(photo)) as opened:
        opened.thumbnail((side, side))          # a JPEG is decoded at a reduced scale where it can be
        small = opened.convert("RGB")
    out = io.BytesIO()
    small.save(out, "JPEG", quality=quality, optimize=True, progressive=side > SMALL_SIDE)
    return out.getvalue()
