"""The ONE question every surface asks: is this product publicly certified as of T?

A product is publicly visible at T when one of its recognitions is in force
at T (:meth:`Recognition.in_force_at`). The catalog, search, sitemaps, QR
verdicts and the partner API all go through these functions, in SQL for
lists, counts and pages, or in Python for one loaded product.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, exists, select

from catalog.kernel import clock
from catalog.kernel.models.products import Product
from catalog.kernel.models.recognitions import IN_FORCE, NOT_YET_IN_FORCE, REVOKED, Recognition

NEVER_RECOGNISED = "never_recognised"


def _instant(at: dt.datetime | None) -> dt.datetime:
    return clock.now() if at is None else at


def product_is_visible(at: dt.datetime | None = None) -> ColumnElement[bool]:
    """SQL predicate over :class:`Product`: it has a recognition in force at ``at`` (default now)."""
    at = _instant(at)
    return exists().where(Recognition.product_id == Product.id, Recognition.in_force_at(at))


def visible_products(at: dt.datetime | None = None) -> Select[tuple[Product]]:
    """``SELECT products`` narrowed to the publicly visible ones; add filters, order, limits."""
    return select(Product).where(product_is_visible(at))


def in_force_recognitions(at: dt.datetime | None = None) -> Select[tuple[Recognition]]:
    """Recognitions in force at ``at``: join products to this for stars, decisions and counts."""
    return select(Recognition).where(Recognition.in_force_at(_instant(at)))


def recognition_in_force(product: Product, at: dt.datetime | None = None) -> Recognition | None:
    """The recognition that makes ``product`` visible at ``at``, if any (Python side of the rule)."""
    at = _instant(at)
    for recognition in product.recognitions:
        if recognition.in_force_at(at):
            return recognition
    return None


def is_visible(product: Product, at: dt.datetime | None = None) -> bool:
    """Python twin of :func:`product_is_visible` for one loaded product."""
    return recognition_in_force(product, at) is not None


def latest_recognition(product: Product) -> Recognition | None:
    """The product's most recent decision (by effective start), whatever its status.

    Surfaces use it to explain why a product is not visible: expired on ...,
    revoked on ... by ... for ....
    """
    return max(product.recognitions, key=lambda r: (r.starts_at, r.id or 0), default=None)


def visible_listings(at: dt.datetime | None = None) -> Select[tuple[Product, Recognition]]:
    """Each visible product with the recognition that makes it visible (one row each:
    the lifecycle never lets two recognitions of a product be in force at once)."""
    return (select(Product, Recognition)
            .join(Recognition, Recognition.product_id == Product.id)
            .where(Recognition.in_force_at(_instant(at))))


@dataclass(frozen=True)
class PublicStatus:
    """Whether a product is publicly certified at an instant, and if not, why.

    ``status`` is the status of ``recognition`` (the one in force, else the
    latest), or ``never_recognised``. ``since`` is the date that explains it:
    valid until (expired), revocation date (revoked), decision date (not yet).
    """

    visible: bool
    status: str
    recognition: Recognition | None
    since: dt.date | None


def explain(product: Product, at: dt.datetime | None = None) -> PublicStatus:
    at = _instant(at)
    in_force = recognition_in_force(product, at)
    if in_force is not None:
        return PublicStatus(True, IN_FORCE, in_force, in_force.decision_date)
    latest = latest_recognition(product)
    if latest is None:
        return PublicStatus(False, NEVER_RECOGNISED, None, None)
    status = latest.status_at(at)
    since = {REVOKED: latest.revoked_on, NOT_YET_IN_FORCE: latest.decision_date}.get(status, latest.valid_until)
    return PublicStatus(False, status, latest, since)
