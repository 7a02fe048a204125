"""Product photos: cleaned by :func:`images.clean_photo`, stored with a thumbnail, one of them the main photo.

Files live in one folder (``uploads/products`` of the instance, served by
``/media/products/<name>``) as ``<hex>.jpg`` (at most 1600 px), ``<hex>-t.jpg``
(400 px) and ``<hex>-s.jpg`` (160 px, the scan page's). The files follow the
transaction (:mod:`.stored_files`). A photo's files are never rewritten: a new
photo gets a new random name, so they are served as immutable.
"""
from __future__ import annotations

import io
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from catalog.kernel.db import db
from catalog.kernel.errors import InvalidInput
from catalog.kernel.inputs import longer_than
from catalog.kernel.models.products import Product, ProductImage
from catalog.kernel.text import clean_line
from catalog.platform import stored_files
from catalog.platform.images import VARIANTS, clean_photo, shrunk, variant_name

MAX_ALT = 200


@dataclass(frozen=True)
class StoredPhoto:
    """A photo's files as written: the full photo's name and size; the smaller copies are named after it."""

    filename: str
    width: int
    height: int

    @property
    def thumbnail(self) -> str:
        return variant_name(self.filename, "-t")


def store(data: bytes, folder: Path, *, field: str = "photo") -> StoredPhoto:
    """Check and re-encode ``data`` and write it with its smaller copies under a new name (following the
    transaction). Raises :class:`InvalidInput` naming ``field`` when ``data`` is not a photo we can read."""
    return store_clean(clean_photo(data, field=field), folder)


@dataclass(frozen=True)
class Encoded:
    """A cleaned photo and its smaller copies, ready to be written (by suffix: ``-t``, ``-s``)."""

    photo: bytes
    width: int
    height: int
    copies: dict[str, bytes]


def encode(cleaned: bytes) -> Encoded:
    """The smaller copies of a JPEG made by :func:`clean_photo`."""
    with Image.open(io.BytesIO(cleaned)) as full:
        width, height = full.size
    return Encoded(cleaned, width, height,
                   {suffix: shrunk(cleaned, side, quality) for suffix, side, quality in VARIANTS})


def write(encoded: Encoded, folder: Path) -> StoredPhoto:
    """Write ``encoded`` under a new name (its files follow the transaction)."""
    filename = f"{uuid.uuid4().hex}.jpg"
    stored_files.write(folder / filename, encoded.photo)
    for suffix, content in encoded.copies.items():
        stored_files.write(folder / variant_name(filename, suffix), content)
    return StoredPhoto(filename, encoded.width, encoded.height)


def copy(stored: StoredPhoto, folder: Path) -> StoredPhoto:
    """Another photo with the same pictures as ``stored`` (in ``folder``), under its own new name: its files
    are hard links to those of ``stored`` (no bytes written), and removing either photo leaves the other whole."""
    filename = f"{uuid.uuid4().hex}.jpg"
    for source, target in zip(file_names(stored.filename), file_names(filename), strict=True):
        stored_files.link(folder / source, folder / target)
    return StoredPhoto(filename, stored.width, stored.height)


def store_clean(cleaned: bytes, folder: Path) -> StoredPhoto:
    """:func:`store` for a JPEG already made by :func:`clean_photo`."""
    return write(encode(cleaned), folder)


def file_names(filename: str) -> list[str]:
    """Every file of the photo ``filename``: the photo and its smaller copies."""
    return [filename, *(variant_name(filename, suffix) for suffix, _, _ in VARIANTS)]


def missing_variant(folder: Path, name: str) -> bytes | None:
    """Make a smaller copy that a photo stored before that size existed lacks, from the photo's own file;
    written atomically for the next request (a folder that cannot be written is no failure: the copy is still
    answered). None when ``name`` is no size of ours or its photo's file is not there."""
    size = next(((suffix, side, quality) for suffix, side, quality in VARIANTS if name.endswith(f"{suffix}.jpg")),
                None)
    if size is None:
        return None
    suffix, side, quality = size
    source = folder / (name.removesuffix(f"{suffix}.jpg") + ".jpg")
    try:
        content = shrunk(source.read_bytes(), side, quality)
    except (OSError, ValueError):
        return None
    temporary = folder / f".{name}.{uuid.uuid4().hex}.tmp"
    try:
        temporary.write_bytes(content)
        os.replace(temporary, folder / name)
    except OSError:
        temporary.unlink(missing_ok=True)
    return content


def add_image(product: Product, data: bytes, *, folder: Path, alt: str | None = None,
              field: str = "photo") -> ProductImage:
    """Check, re-encode and store ``data`` as the product's last photo (its main one if it has none)."""
    errors: dict[str, list[str]] = {}
    alt = clean_line(alt)
    if alt is not None and len(alt) > MAX_ALT:
        errors["alt"] = [longer_than(MAX_ALT)]
    try:
        cleaned = clean_photo(data, field=field)
    except InvalidInput as exc:
        errors.update(exc.errors)
    if errors:
        raise InvalidInput(errors)
    stored = store_clean(cleaned, folder)
    image = ProductImage(filename=stored.filename, thumbnail=stored.thumbnail, width=stored.width,
                         height=stored.height, position=len(product.images), alt=alt)
    product.images.append(image)
    db.session.flush()
    return image


def remove_image(image: ProductImage, folder: Path) -> None:
    """Delete the photo; the next one becomes the main photo. Its files go when the removal is committed."""
    product = image.product
    remaining = [other for other in product.images if other is not image]
    db.session.delete(image)
    db.session.flush()
    db.session.expire(product, ["images"])
    _renumber(remaining)
    stored_files.delete_on_commit(*(folder / name for name in {*file_names(image.filename), image.thumbnail}))


def make_main(image: ProductImage) -> None:
    """Show ``image`` first (position 0); the others keep their order after it."""
    _renumber([image, *(other for other in image.product.images if other is not image)])


def _renumber(images: list[ProductImage]) -> None:
    for position, image in enumerate(images):
        image.position = position
    db.session.flush()
