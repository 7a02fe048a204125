"""The URLs printed in stamps: short by default, GS1 Digital Link on request."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app

from catalog.trace import digital_link
from catalog.trace.models.stamps import Stamp
from catalog.trace.scan_views import StampView


def stamp_url(stamp: Stamp | StampView, form: str | None = None) -> str:
    """What the QR of ``stamp`` encodes.

    The short form is upper case on purpose (``HTTPS://HOST/S/CODE``): scheme and
    host are case-insensitive, ``/S/`` is routed like ``/s/``, and a QR holding
    only upper-case letters, digits and ``:/.`` uses its compact alphanumeric mode,
    so the symbol stays small enough to scan at 15 mm. The Digital Link form
    (``CATALOG_QR_FORM=gs1``) is used when the product has a GTIN and the stamp a lot.
    """
    base = current_app.config["CATALOG_PUBLIC_URL"]
    form = form or current_app.config["CATALOG_QR_FORM"]
    lot = stamp.lot or stamp.batch.lot
    gtin = stamp.batch.product.gtin
    if form == "gs1" and gtin and lot is not None:
        return digital_link.format_uri(base, gtin, lot.code, stamp.code)
    return f"{base.upper()}/S/{stamp.code}"


def digital_link_url(stamp: Stamp | StampView) -> str | None:
    lot = stamp.lot or stamp.batch.lot
    gtin = stamp.batch.product.gtin
    if not gtin or lot is None:
        return None
    return digital_link.format_uri(current_app.config["CATALOG_PUBLIC_URL"], gtin, lot.code, stamp.code)


def check_address() -> str:
    """Where a code is typed to check it by hand, as printed on labels: ``ocop.example.vn/s`` (the host of
    ``CATALOG_PUBLIC_URL`` and its path, without the scheme: browsers add it)."""
    parts = urlsplit(current_app.config["CATALOG_PUBLIC_URL"])
    return f"{parts.netloc.lower()}{parts.path.rstrip('/')}/s"
