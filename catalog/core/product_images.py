"""Product photos: cleaned by :func:`images.clean_photo`, stored with a thumbnail, one of them the main photo.

Files live in one folder (``uploads/products`` of the instance, served by
``/media/products/<name>``) as ``<hex>.jpg`` and ``<hex>-t.jpg``. The files
follow the transaction: a photo added in a transaction that is rolled back
has its files deleted, and a removed photo's files are deleted only once the
removal is committed, so a row never points at a missing file.
"""
from __future__ import annotations

import io
import uuid
from pathlib import Path

from PIL import Image
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from ..extensions import db
from .errors import InvalidInput
from .images import clean_photo
from .models import Product, ProductImage
from .text import clean_line

THUMBNAIL_SIDE = 400
MAX_ALT = 200
_WRITTEN = "catalog.product_images.written"      # files of this transaction's new photos
_DOOMED = "catalog.product_images.doomed"        # files of this transaction's removed photos


def add_image(product: Product, data: bytes, *, folder: Path, alt: str | None = None,
              field: str = "photo") -> ProductImage:
    """Check, re-encode and store ``data`` as the product's last photo (its main one if it has none)."""
    errors: dict[str, list[str]] = {}
    alt = clean_line(alt)
    if alt is not None and len(alt) > MAX_ALT:
        errors["alt"] = [f"is longer than {MAX_ALT} characters"]
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
    folder.mkdir(parents=True, exist_ok=True)
    paths = (folder / image.filename, folder / image.thumbnail)
    _pending(_WRITTEN).extend(paths)
    paths[0].write_bytes(cleaned)
    paths[1].write_bytes(thumbnail.getvalue())
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
    _pending(_DOOMED).extend((folder / image.filename, folder / image.thumbnail))


def make_main(image: ProductImage) -> None:
    """Show ``image`` first (position 0); the others keep their order after it."""
    _renumber([image, *(other for other in image.product.images if other is not image)])


def _renumber(images: list[ProductImage]) -> None:
    for position, image in enumerate(images):
        image.position = position
    db.session.flush()


def _pending(key: str) -> list[Path]:
    return db.session().info.setdefault(key, [])


@event.listens_for(Session, "after_commit")
def _delete_removed_files(session: Session) -> None:
    session.info.pop(_WRITTEN, None)
    for path in session.info.pop(_DOOMED, ()):
        path.unlink(missing_ok=True)


@event.listens_for(Session, "after_transaction_end")
def _delete_files_written_for_nothing(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is not None:
        return
    for path in session.info.pop(_WRITTEN, ()):       # still here: the transaction was not committed
        path.unlink(missing_ok=True)
    session.info.pop(_DOOMED, None)
