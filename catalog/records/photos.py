"""Product photos: cleaned by :func:`images.clean_photo`, stored with a thumbnail, one of them the main photo.

Files live in one folder (``uploads/products`` of the instance, served by
``/media/products/<name>``) as ``<hex>.jpg`` and ``<hex>-t.jpg``. The files
follow the transaction (:mod:`.stored_files`).
"""
from __future__ import annotations

import io
import uuid
from pathlib import Path

from PIL import Image

from catalog.kernel.db import db
from catalog.kernel.errors import InvalidInput
from catalog.kernel.inputs import longer_than
from catalog.kernel.models.products import Product, ProductImage
from catalog.kernel.text import clean_line
from catalog.platform import stored_files
from catalog.platform.images import clean_photo

THUMBNAIL_SIDE = 400
MAX_ALT = 200


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
    with Image.open(io.BytesIO(cleaned)) as full:
        width, height = full.size
        small = full.copy()
    small.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
    thumbnail = io.BytesIO()
    small.save(thumbnail, "JPEG", quality=80, optimize=True)

    name = uuid.uuid4().hex
    image = ProductImage(filename=f"{name}.jpg", thumbnail=f"{name}-t.jpg", width=width, height=height,
                         position=len(product.images), alt=alt)
    stored_files.write(folder / image.filename, cleaned)
    stored_files.write(folder / image.thumbnail, thumbnail.getvalue())
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
    stored_files.delete_on_commit(folder / image.filename, folder / image.thumbnail)


def make_main(image: ProductImage) -> None:
    """Show ``image`` first (position 0); the others keep their order after it."""
    _renumber([image, *(other for other in image.product.images if other is not image)])


def _renumber(images: list[ProductImage]) -> None:
    for position, image in enumerate(images):
        image.position = position
    db.session.flush()
