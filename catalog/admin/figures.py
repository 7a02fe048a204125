"""The admin's figures, as queries: every function takes the instant ``at`` it describes.

What is in force comes from the one rule in :mod:`.visibility` (never re-implemented
here): a product whose recognition lapsed a second before ``at`` is not counted.
Dates of the programme (validity, the re-recognition filing window) come from
:mod:`.programme`; days are counted in the catalog's time zone (:mod:`.calendar`).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, case, distinct, func, or_, select

from catalog.kernel import calendar, programme, taxonomy, visibility
from catalog.kernel.db import db
from catalog.kernel.ids import parse_id
from catalog.kernel.models.producers import Producer
from catalog.kernel.models.products import Product
from catalog.kernel.models.recognitions import Recognition
from catalog.kernel.models.units import Province
from catalog.kernel.text import clean_line, fold, slugify
from catalog.trace import verdicts
from catalog.trace.models.scans import ConsumerReport, Scan
from catalog.trace.models.stamps import Stamp, StampBatch
from catalog.violations.models import Violation

EXPIRING_DAYS = 30          # "expiring soon": in force, valid until at most this many days ahead
LAPSED_DAYS = 90            # "lapsed, not re-recognised": expired within this many days
SCAN_DAYS = 30              # scans per day over this many days, today included
SUSPICIOUS_LOOKBACK = dt.timedelta(days=30)     # suspicious stamps: only those scanned this recently
SUSPICIOUS_LIMIT = 500


@dataclass(frozen=True)
class Due:
    """A recognition on one of the dashboard's watch lists, with its product."""

    product: Product
    recognition: Recognition
    days: int               # until its expiry (negative: since)


@dataclass(frozen=True)
class SuspiciousStamp:
    stamp: Stamp
    scans: int
    networks: int           # distinct client networks within the policy's window
    last_scan_at: dt.datetime
    last_verdict: str
    flagged: bool           # the suspicion policy flags its scans as of ``at``


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


# -- officers' queues ---------------------------------------------------------------------

def open_violations(at: dt.datetime) -> int:
    return db.session.scalar(select(func.count(Violation.id)).where(
        Violation.status == "open", Violation.created_at <= at)) or 0


def new_reports(at: dt.datetime) -> int:
    return db.session.scalar(select(func.count(ConsumerReport.id)).where(
        ConsumerReport.status == "new", ConsumerReport.created_at <= at)) or 0


# -- scans --------------------------------------------------------------------------------

def scans_per_day(at: dt.datetime, days: int = SCAN_DAYS) -> list[tuple[dt.date, dict[str, int]]]:
    """``[(day, {verdict: scans})]`` for the ``days`` local days up to ``at``'s, oldest first."""
    today = calendar.local_date(at)
    dates = [today - dt.timedelta(days=n) for n in reversed(range(days))]
    ends = [calendar.end_of_day(day) for day in dates]
    index = case(*[(Scan.scanned_at < end, n) for n, end in enumerate(ends)])
    query = (select(index.label("day"), Scan.verdict, func.count(Scan.id))
             .where(Scan.scanned_at >= calendar.start_of_day(dates[0]), Scan.scanned_at <= at)
             .group_by(index, Scan.verdict))
    counts: list[dict[str, int]] = [{} for _ in dates]
    for day, verdict, count in db.session.execute(query):
        counts[day][verdict] = count
    return list(zip(dates, counts, strict=True))


def suspicious_stamps(at: dt.datetime, policy: verdicts.SuspicionPolicy | None = None,
                      limit: int = SUSPICIOUS_LIMIT) -> list[SuspiciousStamp]:
    """Stamps not voided, scanned within :data:`SUSPICIOUS_LOOKBACK`, whose scans up to ``at`` the
    policy flags (the scan page's own rule, :func:`verdicts.is_suspicious`) or whose latest scan was
    judged suspicious. Most scanned first. A voided stamp already warns consumers: it leaves the list.

    SQL narrows the candidates with bounds the policy cannot flag below (raw scans, networks in
    the window); the policy then decides on each candidate's scans.
    """
    policy = policy or verdicts.SuspicionPolicy()
    recent = select(Scan.stamp_id).where(Scan.stamp_id.is_not(None), Scan.scanned_at > at - SUSPICIOUS_LOOKBACK,
                                         Scan.scanned_at <= at)
    window_network = case((Scan.scanned_at > at - policy.window, Scan.network))
    candidates = (select(Stamp, func.count(Scan.id), func.count(distinct(window_network)), func.max(Scan.scanned_at))
                  .join(Scan, Scan.stamp_id == Stamp.id).join(StampBatch, StampBatch.id == Stamp.batch_id)
                  .where(Stamp.id.in_(recent), Scan.scanned_at <= at,
                         Stamp.voided_at.is_(None), StampBatch.voided_at.is_(None))
                  .group_by(Stamp.id)
                  .having(or_(func.count(Scan.id) > policy.max_scans,
                              func.count(distinct(window_network)) > policy.max_networks,
                              func.sum(case((Scan.verdict == "suspicious", 1), else_=0)) > 0))
                  .order_by(func.count(Scan.id).desc(), Stamp.id).limit(limit))
    found = []
    for stamp, count, networks, last in db.session.execute(candidates):
        scans = db.session.execute(select(Scan.scanned_at, Scan.network, Scan.agent, Scan.verdict).where(
            Scan.stamp_id == stamp.id, Scan.scanned_at <= at).order_by(Scan.scanned_at, Scan.id)).all()
        flagged = verdicts.is_suspicious([row[:3] for row in scans], policy, at)
        if flagged or scans[-1].verdict == "suspicious":
            found.append(SuspiciousStamp(stamp, count, networks, last, scans[-1].verdict, flagged))
    return found


# -- stamp batches ------------------------------------------------------------------------

def scans_by_batch(batch_ids: list[int]) -> dict[int, int]:
    """Scans recorded for the stamps of each batch."""
    if not batch_ids:
        return {}
    query = (select(Stamp.batch_id, func.count(Scan.id)).join(Scan, Scan.stamp_id == Stamp.id)
             .where(Stamp.batch_id.in_(batch_ids)).group_by(Stamp.batch_id))
    return {batch_id: 0 for batch_id in batch_ids} | dict(db.session.execute(query).all())


def stamp_rows(batch: StampBatch, *, offset: int, limit: int) -> list[tuple[Stamp, int, str | None]]:
    """A page of the batch's stamps in serial order: ``(stamp, scans, latest verdict)``."""
    scans = select(func.count(Scan.id)).where(Scan.stamp_id == Stamp.id).scalar_subquery()
    last = (select(Scan.verdict).where(Scan.stamp_id == Stamp.id)
            .order_by(Scan.scanned_at.desc(), Scan.id.desc()).limit(1).scalar_subquery())
    query = (select(Stamp, scans, last).where(Stamp.batch_id == batch.id)
             .order_by(Stamp.serial).offset(offset).limit(limit))
    return [tuple(row) for row in db.session.execute(query)]


def batches(*, product_id: int | None = None, search: str | None = None, offset: int = 0,
            limit: int = 50) -> tuple[int, list[StampBatch]]:
    """Batches newest first, of one product or of the products matching ``search``, and how many in all."""
    query = select(StampBatch)
    if product_id is not None:
        query = query.where(StampBatch.product_id == product_id)
    matching = _matching(search)
    if matching is not None:
        query = query.where(StampBatch.product_id.in_(select(Product.id).where(matching)))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = db.session.scalars(query.order_by(StampBatch.issued_at.desc(), StampBatch.id.desc())
                              .offset(offset).limit(limit)).all()
    return total, list(page)


def find_products(search: str | None, at: dt.datetime, limit: int = 20) -> list[Product]:
    """Products in force at ``at`` (the only ones stamps are issued for) matching ``search``, by name."""
    query = visibility.visible_products(at)
    matching = _matching(search)
    if matching is not None:
        query = query.where(matching)
    return list(db.session.scalars(query.order_by(Product.name, Product.id).limit(limit)))


def _matching(search: str | None) -> ColumnElement[bool] | None:
    """Products whose name holds ``search``, with or without diacritics (through the slug), or whose id it is."""
    text = clean_line(search)
    if text is None:
        return None
    conditions = [Product.name.icontains(text, autoescape=True)]
    if any(ch.isascii() and ch.isalnum() for ch in fold(text)):       # else slugify gives a placeholder
        conditions.append(Product.slug.contains(slugify(text, max_length=200)))
    if (product_id := parse_id(text)) is not None:
        conditions.append(Product.id == product_id)
    return or_(*conditions)
