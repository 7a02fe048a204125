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
from catalog.trace.models.scans import Scan, ScanClient, ScanTally
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
    """Stamps not voided, scanned within :data:`SUSPICIOUS_LOOKBACK` of ``at``, that the policy flags
    (the scan page's own rule, :func:`verdicts.is_suspicious`, on the stamps' tallies and the networks
    seen within the policy's window before ``at``) or whose latest scan was judged suspicious.
    Most scanned first. A voided stamp already warns consumers: it leaves the list.
    """
    policy = policy or verdicts.SuspicionPolicy()
    networks = (select(func.count(distinct(ScanClient.network)))
                .where(ScanClient.stamp_id == ScanTally.stamp_id, ScanClient.last_seen_at >= at - policy.window,
                       ScanClient.network != "").correlate(ScanTally).scalar_subquery())
    query = (select(Stamp, ScanTally.scans, ScanTally.distinct_scans, networks, ScanTally.last_scan_at,
                    ScanTally.last_verdict)
             .join(ScanTally, ScanTally.stamp_id == Stamp.id).join(StampBatch, StampBatch.id == Stamp.batch_id)
             .where(ScanTally.last_scan_at > at - SUSPICIOUS_LOOKBACK,
                    Stamp.voided_at.is_(None), StampBatch.voided_at.is_(None),
                    or_(ScanTally.distinct_scans > policy.max_scans, networks > policy.max_networks,
                        ScanTally.last_verdict == "suspicious"))
             .order_by(ScanTally.scans.desc(), Stamp.id).limit(limit))
    return [SuspiciousStamp(stamp, scans, window_networks, last, last_verdict,
                            verdicts.is_suspicious(verdicts.ScanSignals(scans, distinct_scans, window_networks),
                                                   policy))
            for stamp, scans, distinct_scans, window_networks, last, last_verdict in db.session.execute(query)]


# -- stamp batches ------------------------------------------------------------------------

def scans_by_batch(batch_ids: list[int]) -> dict[int, int]:
    """Scans recorded for the stamps of each batch."""
    if not batch_ids:
        return {}
    query = (select(Stamp.batch_id, func.sum(ScanTally.scans)).join(ScanTally, ScanTally.stamp_id == Stamp.id)
             .where(Stamp.batch_id.in_(batch_ids)).group_by(Stamp.batch_id))
    return {batch_id: 0 for batch_id in batch_ids} | dict(db.session.execute(query).all())


def stamp_rows(batch: StampBatch) -> Select[Stamp, int, str]:
    """The batch's stamps in serial order, as rows ``(stamp, scans, latest verdict)`` (page it)."""
    return (select(Stamp, func.coalesce(ScanTally.scans, 0), ScanTally.last_verdict)
            .outerjoin(ScanTally, ScanTally.stamp_id == Stamp.id)
            .where(Stamp.batch_id == batch.id).order_by(Stamp.serial))


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
