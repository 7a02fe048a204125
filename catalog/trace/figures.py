"""Figures about stamps and their scans, as queries at an instant: scans per day, suspicious stamps,
batches and their stamps with scan counts (for the dashboard and the stamps pages)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, case, distinct, func, or_, select

from catalog.kernel import calendar, visibility
from catalog.kernel.db import db
from catalog.kernel.ids import parse_id
from catalog.kernel.models.products import Product
from catalog.kernel.text import contains_words
from catalog.trace import verdicts
from catalog.trace.models.scans import Scan
from catalog.trace.models.stamps import Stamp, StampBatch

SCAN_DAYS = 30              # scans per day over this many days, today included
SUSPICIOUS_LOOKBACK = dt.timedelta(days=30)     # suspicious stamps: only those scanned this recently
SUSPICIOUS_LIMIT = 500


@dataclass(frozen=True)
class SuspiciousStamp:
    stamp: Stamp
    scans: int
    networks: int           # distinct client networks within the policy's window
    last_scan_at: dt.datetime
    last_verdict: str
    flagged: bool           # the suspicion policy flags its scans as of ``at``


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


def stamp_rows(batch: StampBatch) -> Select[Stamp, int, str]:
    """The batch's stamps in serial order, as rows ``(stamp, scans, latest verdict)`` (page it)."""
    scans = select(func.count(Scan.id)).where(Scan.stamp_id == Stamp.id).scalar_subquery()
    last = (select(Scan.verdict).where(Scan.stamp_id == Stamp.id)
            .order_by(Scan.scanned_at.desc(), Scan.id.desc()).limit(1).scalar_subquery())
    return select(Stamp, scans, last).where(Stamp.batch_id == batch.id).order_by(Stamp.serial)


def batches(*, product_id: int | None = None, search: str | None = None) -> Select[StampBatch]:
    """Batches newest first, of one product or of the products matching ``search`` (page it)."""
    query = select(StampBatch)
    if product_id is not None:
        query = query.where(StampBatch.product_id == product_id)
    if search and search.strip():
        query = query.where(StampBatch.product_id.in_(select(Product.id).where(_matching(search))))
    return query.order_by(StampBatch.issued_at.desc(), StampBatch.id.desc())


def find_products(search: str | None, at: dt.datetime, limit: int = 20) -> list[Product]:
    """Products in force at ``at`` (the only ones stamps are issued for) matching ``search``, by name."""
    query = visibility.visible_products(at)
    if search and search.strip():
        query = query.where(_matching(search))
    return list(db.session.scalars(query.order_by(Product.name, Product.id).limit(limit)))


def _matching(search: str) -> ColumnElement[bool]:
    """Products whose name holds every word of ``search`` (accents aside), or whose id it is."""
    matching = contains_words(search, Product.name)
    product_id = parse_id(search.strip())
    return or_(matching, Product.id == product_id) if product_id is not None else matching
