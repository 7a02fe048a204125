"""Printing QR stamps, shared by the stamps CLI (catalog.trace.cli) and the admin area.

What a stamp's QR encodes (:mod:`.urls`, GS1 Digital Link in :mod:`.digital_link`), the QR as
PNG and labels as a vector PDF in one of :data:`LAYOUTS` (:mod:`.sheets`, with its bundled fonts), and the
labels of a batch.
A neutral package: feature packages import it, it imports only the core.
"""
from __future__ import annotations

from collections.abc import Iterator

from flask import current_app
from sqlalchemy import select

from catalog.kernel import visibility
from catalog.kernel.db import db
from catalog.trace.models.stamps import Stamp, StampBatch
from catalog.trace.printing.sheets import (
    DEFAULT_LAYOUT,
    LAYOUTS,
    AddressTooLong,
    Imprint,
    Label,
    qr_image,
    qr_png,
    sheet_pdf,
)
from catalog.trace.printing.urls import check_address, digital_link_url, stamp_url

__all__ = ["DEFAULT_LAYOUT", "LAYOUTS", "AddressTooLong", "Imprint", "Label", "batch_labels", "check_address",
           "digital_link_url", "imprint", "qr_image", "qr_png", "sheet_pdf", "stamp_url", "zip_name"]


def imprint() -> Imprint:
    """What every label says besides its stamp: the registry's name and the check address (needs an app context)."""
    return Imprint(registry=current_app.config["CATALOG_REGISTRY_NAME"], check_address=check_address())


def batch_labels(batch: StampBatch, *, skip_voided: bool = False) -> Iterator[Label]:
    """The labels of ``batch`` in serial order, streamed (needs an app context for the public URL).

    Stars are those of the recognition in force now; none when the product has none.
    """
    product = batch.product
    recognition = visibility.recognition_in_force(product)
    stars = recognition.stars if recognition else None
    query = select(Stamp).where(Stamp.batch_id == batch.id).order_by(Stamp.serial)
    if skip_voided:
        query = query.where(Stamp.voided_at.is_(None))
    for stamp in db.session.scalars(query.execution_options(yield_per=2000)):
        yield Label(url=stamp_url(stamp), code=stamp.code, serial=stamp.serial,
                    product_name=product.name, stars=stars)


def zip_name(label: Label) -> str:
    """The PNG's name inside a batch's ZIP: serial then code, so files sort in print order."""
    return f"{label.serial:07d}-{label.code}.png"
