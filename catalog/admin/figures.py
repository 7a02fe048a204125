"""The dashboard's figures about recognitions, as queries: every function takes the instant ``at`` it describes.

What is in force comes from the one rule in :mod:`.visibility` (never re-implemented
here): a product whose recognition lapsed a second before ``at`` is not counted.
Dates of the programme (validity, the re-recognition filing window) come from
:mod:`.programme`; days are counted in the catalog's time zone (:mod:`.calendar`).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import distinct, func, select

from catalog.kernel import calendar, programme, taxonomy, visibility
from catalog.kernel.db import db
from catalog.kernel.models.producers import Producer
from catalog.kernel.models.products import Product
from catalog.kernel.models.recognitions import Recognition
from catalog.kernel.models.units import Province

EXPIRING_DAYS = 30          # "expiring soon": in force, valid until at most this many days ahead
LAPSED_DAYS = 90            # "lapsed, not re-recognised": expired within this many days


@dataclass(frozen=True)
class Due:
    """A recognition on one of the dashboard's watch lists, with its product."""

    product: Product
    recognition: Recognition
    days: int               # until its expiry (negative: since)


# -- products in force --------------------------------------------------------------------

def in_force_total(at: dt.datetime) -> int:
    return db.session.scalar(select(func.count()).select_from(visibility.visible_products(at).subquery())) or 0


def in_force_by_stars(at: dt.datetime) -> list[tuple[int, int]]:
    """``[(stars, products)]`` for every recognised star rating, lowest first, zeros included."""
    rows = dict(db.session.execute(visibility.visible_listings(at).with_only_columns(
        Recognition.stars, func.count(distinct(Product.id))).group_by(Recognition.stars)).all())
    return [(stars, rows.get(stars, 0)) for stars in range(programme.MIN_RECOGNISED_STARS,
                                                           programme.NATIONAL_STARS + 1)]


def in_force_by_sector(at: dt.datetime) -> list[tuple[str, int]]:
    """``[(sector code, products)]`` for the six sectors in the decision's order, zeros included."""
    by_set = db.session.execute(visibility.visible_products(at).with_only_columns(
        Product.product_set, func.count(Product.id)).group_by(Product.product_set)).all()
    counts = dict.fromkeys((sector.code for sector in taxonomy.SECTORS), 0)
    for product_set, count in by_set:
        counts[taxonomy.SETS_BY_NUMBER[product_set].sector.code] += count
    return list(counts.items())


def in_force_by_province(at: dt.datetime) -> list[tuple[str, str, int]]:
    """``[(province code, name, products)]`` for provinces with any, most first."""
    query = (visibility.visible_products(at).join(Producer, Producer.id == Product.producer_id)
             .join(Province, Province.code == Producer.province_code)
             .with_only_columns(Province.code, Province.name, func.count(Product.id))
             .group_by(Province.code, Province.name))
    return sorted(((code, name, count) for code, name, count in db.session.execute(query)),
                  key=lambda row: (-row[2], row[1]))


# -- recognitions to watch ---------------------------------------------------------------

def re_recognition_window(at: dt.datetime) -> list[Due]:
    """In force at ``at`` and 180 to 120 days (both included) before expiry: the producer should file now."""
    return _due(at, Recognition.valid_until.between(*programme.filing_window_expiries(calendar.local_date(at))))


def expiring_soon(at: dt.datetime, days: int = EXPIRING_DAYS) -> list[Due]:
    """In force at ``at`` and valid until at most ``days`` days ahead."""
    return _due(at, Recognition.valid_until <= calendar.local_date(at) + dt.timedelta(days=days))


def _due(at: dt.datetime, condition: Any) -> list[Due]:
    today = calendar.local_date(at)
    query = visibility.visible_listings(at).where(condition).order_by(Recognition.valid_until, Product.name)
    return [Due(product, recognition, (recognition.valid_until - today).days)
            for product, recognition in db.session.execute(query)]


def lapsed_not_renewed(at: dt.datetime, days: int = LAPSED_DAYS) -> list[Due]:
    """Expired (not revoked, not superseded) within ``days`` days before ``at``, with no later
    decision for the product and the product not in force: the mark may still be on shelves."""
    visible = visibility.visible_products(at).with_only_columns(Product.id).subquery()
    query = (select(Product, Recognition).join(Recognition, Recognition.product_id == Product.id)
             .where(Recognition.expired_at(at), Recognition.ends_at > at - dt.timedelta(days=days),
                    Recognition.is_latest(), Product.id.not_in(select(visible.c.id)))
             .order_by(Recognition.ends_at.desc(), Product.name))
    today = calendar.local_date(at)
    return [Due(product, recognition, (recognition.valid_until - today).days)
            for product, recognition in db.session.execute(query)]
