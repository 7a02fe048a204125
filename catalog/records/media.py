"""Product photos, public: ``/media/products/<file>`` (re-encoded JPEGs we named; nothing else is served).

A photo's files are never rewritten (a new photo gets a new random name), so they are answered as
immutable for a year. The 160 px copy of a photo stored before that size existed is made on its first
request (:func:`catalog.records.photos.missing_variant`) and kept.

Evidence files and consumer report photos are never served here: only the
admin area hands them out, to those allowed to see them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, g, send_from_directory, url_for
from sqlalchemy import select

from catalog.kernel.db import db
from catalog.kernel.models.products import ProductImage
from catalog.platform import images
from catalog.platform.images import Variant
from catalog.records import photos

bp = Blueprint("media", __name__)
_NAME = re.compile(r"([0-9a-f]{32})(-t|-s)?\.jpg")
#: A year, and never revalidated: the name changes when the photo does.
CACHE_CONTROL = "public, max-age=31536000, immutable"


def products_folder() -> Path:
    return Path(current_app.instance_path) / "uploads" / "products"


@bp.get("/media/products/<name>")
def product_photo(name: str):
    match = _NAME.fullmatch(name)
    if not match:
        abort(404)
    folder = products_folder()
    if match[2] and not (folder / name).is_file():
        response = _made_now(folder, name, f"{match[1]}.jpg")
    else:
        response = send_from_directory(folder, name, mimetype="image/jpeg", max_age=31536000)
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _made_now(folder: Path, name: str, filename: str) -> Response:
    """A smaller copy missing from the disk, made from the photo if the photo is still ours."""
    if db.session.scalar(select(ProductImage.id).where(ProductImage.filename == filename)) is None:
        abort(404)
    content = photos.missing_variant(folder, name)
    if content is None:
        abort(404)
    return Response(content, mimetype="image/jpeg")


@dataclass(frozen=True)
class PhotoSources:
    """The stored sizes of one product photo as a template writes them into ``<img>``: ``src``, ``srcset``
    (each size with its width), and the ``width``/``height`` of the box it is shown in (no layout shift)."""

    sizes: list[Variant]

    @property
    def small(self) -> Variant:
        return self.sizes[0]

    @property
    def thumbnail(self) -> Variant:
        return self.sizes[1]

    @property
    def full(self) -> Variant:
        return self.sizes[-1]

    def src(self, size: Variant) -> str:
        return photo_url(size.name)

    def srcset(self, largest: str = "full") -> str:
        """``url 160w, url 400w[, url 1600w]``, up to the size named ``largest`` (small, thumbnail, full)."""
        upto = {"small": 1, "thumbnail": 2}.get(largest, len(self.sizes))
        seen: dict[int, str] = {}
        for size in self.sizes[:upto]:
            seen.setdefault(size.width, f"{self.src(size)} {size.width}w")
        return ", ".join(seen.values())

    def box(self, side: int) -> tuple[int, int]:
        """``width`` and ``height`` of the photo scaled so that its longer side is ``side`` CSS pixels."""
        ratio = side / max(self.full.width, self.full.height)
        return max(round(self.full.width * ratio), 1), max(round(self.full.height * ratio), 1)


def photo_url(name: str) -> str:
    """``/media/products/<name>``: the router asked once per request (a result page shows 20 photos)."""
    cache: dict[str, str] = g.setdefault("catalog_photo_prefix", {})
    if "prefix" not in cache:
        cache["prefix"] = url_for("media.product_photo", name="-")[:-1]
    return cache["prefix"] + name


def photo_sources(filename: str | None, width: int | None, height: int | None) -> PhotoSources | None:
    """The template global ``photo_sources``: None when there is no photo."""
    if not filename or not width or not height:
        return None
    return PhotoSources(images.variants(filename, width, height))
