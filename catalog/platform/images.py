"""Uploaded photos: checked, re-encoded and shrunk, with their metadata (GPS, camera) dropped.

Only JPEG, PNG and WebP are read; anything else, anything too big, and
decompression bombs (a small file that unpacks to a huge image) are refused.
What is kept is a fresh JPEG drawn from the pixels alone.
"""
from __future__ import annotations

import io
import warnings

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
