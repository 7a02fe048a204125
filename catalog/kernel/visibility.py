"""The ONE question every surface asks: is this product publicly certified as of T?

A product is publicly visible at T when one of its recognitions is in force
at T (:meth:`Recognition.in_force_at`). The catalog, search, sitemaps, QR
verdicts and the partner API all go through these functions, in SQL for
lists, counts and pages, or in Python for one loaded product: a model, or any
object with the few attributes the rule reads (:class:`Recognised`), such as
the plain-row views a scan loads.

Why a product is not visible is said here once too (:attr:`PublicStatus.reason`,
:attr:`PublicStatus.ending`): the partner API, the change feed, the public pages
and the scan verdict all read it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, overload

from sqlalchemy import ColumnElement, Select, exists, select

from catalog.kernel import clock
from catalog.kernel.facts import R, Recognised, RecognitionFacts
from catalog.kernel.i18n import N_
from catalog.kernel.models.products import Product
from catalog.kernel.models.recognitions import (
    EXPIRED,
    IN_FORCE,
    NOT_YET_IN_FORCE,
    REVOKED,
    STATUS_TERMS,
    SUPERSEDED,
    Recognition,
)

NEVER_RECOGNISED = "never_recognised"
#: A product's public status as a sentence or a page names it (message ids).
PUBLIC_STATUS_TERMS = {**STATUS_TERMS, NEVER_RECOGNISED: N_("never recognised")}
T = TypeVar("T")              # the recognition a status carries: the model's, or a plain-row view's


def _instant(at: dt.datetime | None) -> dt.datetime:
    return clock.now() if at is None else at


def product_is_visible(at: dt.datetime | None = None) -> ColumnElement[bool]:
    """SQL predicate over :class:`Product`: it has a recognition in force at ``at`` (default now)."""
    at = _instant(at)
    return exists().where(Recognition.product_id == Product.id, Recognition.in_force_at(at))


def visible_products(at: dt.datetime | None = None) -> Select[Product]:
    """``SELECT products`` narrowed to the publicly visible ones; add filters, order, limits."""
    return select(Product).where(product_is_visible(at))


def in_force_recognitions(at: dt.datetime | None = None) -> Select[Recognition]:
    """Recognitions in force at ``at``: join products to this for stars, decisions and counts."""
    return select(Recognition).where(Recognition.in_force_at(_instant(at)))


@overload
def recognition_in_force(product: Product, at: dt.datetime | None = None) -> Recognition | None: ...
@overload
def recognition_in_force(product: Recognised[R], at: dt.datetime | None = None) -> R | None: ...
def recognition_in_force(product: Recognised[Any], at: dt.datetime | None = None) -> Any:
    """The recognition that makes ``product`` visible at ``at``, if any (Python side of the rule)."""
    at = _instant(at)
    for recognition in product.recognitions:
        if recognition.in_force_at(at):
            return recognition
    return None


def is_visible(product: Recognised[RecognitionFacts], at: dt.datetime | None = None) -> bool:
    """Python twin of :func:`product_is_visible` for one loaded product."""
    return recognition_in_force(product, at) is not None


@overload
def latest_recognition(product: Product) -> Recognition | None: ...
@overload
def latest_recognition(product: Recognised[R]) -> R | None: ...
def latest_recognition(product: Recognised[Any]) -> Any:
    """The product's most recent decision (by effective start), whatever its status.

    Surfaces use it to explain why a product is not visible: expired on ...,
    revoked on ... by ... for ....
    """
    return max(product.recognitions, key=lambda r: (r.starts_at, r.id or 0), default=None)


def visible_listings(at: dt.datetime | None = None) -> Select[Product, Recognition]:
    """Each visible product with the recognition that makes it visible (one row each:
    the lifecycle never lets two recognitions of a product be in force at once)."""
    return (select(Product, Recognition)
            .join(Recognition, Recognition.product_id == Product.id)
            .where(Recognition.in_force_at(_instant(at))))


@dataclass(frozen=True)
class PublicStatus(Generic[T]):
    """Whether a product is publicly certified at an instant, and if not, why.

    ``status`` is the status of ``recognition`` (the one in force, else the
    latest), or ``never_recognised``. ``since`` is the date that explains it:
    valid until (expired), revocation date (revoked), decision date (not yet).
    """

    visible: bool
    status: str
    recognition: T | None
    since: dt.date | None

    @property
    def reason(self) -> str | None:
        """THE public answer to "why is this product not certified now": ``revoked``, ``expired`` (it
        lapsed; a superseded latest decision counts as lapsed), ``never_recognised`` or
        ``not_yet_in_force``, explained by :attr:`since`; None while it is certified."""
        if self.visible:
            return None
        return EXPIRED if self.status == SUPERSEDED else self.status

    @property
    def ending(self) -> str | None:
        """:attr:`reason` as told to whoever holds the product as certified (a partner listing it: the
        feed's ``delisted`` reason; a package carrying its stamp: the scan's verdict): ``revoked``, or
        else ``expired``, for whatever else leaves it without a recognition in force; None while it is."""
        if self.visible:
            return None
        return REVOKED if self.reason == REVOKED else EXPIRED


@overload
def explain(product: Product, at: dt.datetime | None = None) -> PublicStatus[Recognition]: ...
@overload
def explain(product: Recognised[R], at: dt.datetime | None = None) -> PublicStatus[R]: ...
def explain(product: Recognised[Any], at: dt.datetime | None = None) -> PublicStatus[Any]:
    """Whether ``product`` is publicly certified at ``at`` (default now), with the recognition and the date
    that explain it (the model gives model recognitions back, a plain-row view its views)."""
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
