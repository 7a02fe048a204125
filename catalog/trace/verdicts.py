"""What a scan tells the consumer: the verdict on one stamp code, and the scan log.

Precedence, most serious first: a code never issued (``unknown``), a voided
stamp or batch (``voided``), a product whose recognition was revoked or has
lapsed (``revoked``, ``expired``), a stamp scanned suspiciously often
(``suspicious``), else ``genuine``. Certification comes from the core's one
visibility rule at the instant of the scan.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import bindparam, insert, select

from catalog.kernel import clock, visibility
from catalog.kernel.db import db
from catalog.kernel.models.products import Product
from catalog.kernel.visibility import PublicStatus
from catalog.trace import codes
from catalog.trace.models.lots import Lot
from catalog.trace.models.scans import Scan
from catalog.trace.scan_views import LotView, ProductView, StampView, load_stamp


@dataclass(frozen=True)
class SuspicionPolicy:
    """When a genuine-looking stamp is probably a copy (configurable per deployment)."""

    max_scans: int = 20             # more distinct scans than this over the stamp's life
    max_networks: int = 5           # more client networks than this...
    window: dt.timedelta = dt.timedelta(hours=24)       # ...within this window
    repeat: dt.timedelta = dt.timedelta(minutes=30)     # the same device again within this counts once

    @classmethod
    def from_config(cls, config) -> SuspicionPolicy:
        """The deployment's policy (``CATALOG_SUSPICIOUS_SCANS``, ``CATALOG_SUSPICIOUS_NETWORKS``)."""
        return cls(max_scans=int(config.get("CATALOG_SUSPICIOUS_SCANS", cls.max_scans)),
                   max_networks=int(config.get("CATALOG_SUSPICIOUS_NETWORKS", cls.max_networks)))


@dataclass(frozen=True)
class Client:
    network: str | None = None      # e.g. "203.0.113.0/24", never the full address
    agent: str | None = None        # e.g. "Zalo/Android"


@dataclass
class Verdict:
    verdict: str                    # genuine | expired | revoked | voided | unknown | suspicious
    code: str                       # canonical code, or what was scanned when it is not one
    reason: str | None = None       # unknown: "format" | "check" (mistyped) | "not_issued"
    stamp: StampView | None = None
    product: ProductView | Product | None = None
    lot: LotView | Lot | None = None
    status: PublicStatus | None = None
    scan_count: int = 0
    first_scan_at: dt.datetime | None = None
    voided_at: dt.datetime | None = None
    void_reason: str | None = None
    scan: dict | None = None        # this resolution's log row, written by :func:`log`


_SCANS_OF_STAMP = (select(Scan.scanned_at, Scan.network, Scan.agent)
                   .where(Scan.stamp_id == bindparam("stamp_id")).order_by(Scan.scanned_at))


def suspicion_policy() -> SuspicionPolicy:
    """The deployment's policy, from the app's settings (the scan page and the admin read the same)."""
    return SuspicionPolicy.from_config(current_app.config)


def find_code(scanned: str) -> StampView | None:
    """The stamp a scanned or typed code names, or None when it is not a valid code or was never issued."""
    try:
        return find_stamp(codes.normalise(scanned))
    except codes.CodeError:
        return None


def find_stamp(code: str) -> StampView | None:
    """The stamp with everything its verdict shows (plain rows: a scan is the hot path)."""
    return load_stamp(code)


def resolve(scanned: str, client: Client = Client(), *, policy: SuspicionPolicy = SuspicionPolicy(),
            record: bool = True, at: dt.datetime | None = None) -> Verdict:
    """The verdict on ``scanned`` (as typed or decoded); with ``record``, its scan row is
    prepared (counted in ``scan_count``) for :func:`log` to write."""
    at = at or clock.now()
    try:
        code = codes.normalise(scanned)
    except codes.CodeError as exc:
        return _logged(Verdict("unknown", scanned.strip()[:40], reason=exc.reason), client, at, record)
    stamp = find_stamp(code)
    if stamp is None:
        return _logged(Verdict("unknown", code, reason="not_issued"), client, at, record)
    return verdict_for(stamp, client, policy=policy, record=record, at=at)


def verdict_for(stamp: StampView, client: Client = Client(), *, policy: SuspicionPolicy = SuspicionPolicy(),
                record: bool = True, at: dt.datetime | None = None) -> Verdict:
    at = at or clock.now()
    batch = stamp.batch
    product = batch.product
    status = visibility.explain(product, at)
    result = Verdict("genuine", stamp.code, stamp=stamp, product=product, lot=stamp.lot or batch.lot, status=status)
    scans = list(db.session.connection().execute(_SCANS_OF_STAMP, {"stamp_id": stamp.id}).all())
    if record:
        scans.append((at, client.network, client.agent))
    result.scan_count = len(scans)
    result.first_scan_at = scans[0][0] if scans else None
    voided = stamp.voided()
    if voided is not None:
        result.verdict, (result.voided_at, result.void_reason) = "voided", voided
    elif not status.visible:
        result.verdict = "revoked" if status.status == "revoked" else "expired"
    elif is_suspicious(scans, policy, at):
        result.verdict = "suspicious"
    return _logged(result, client, at, record)


def log(result: Verdict) -> None:
    """Write the resolution's scan row (the caller commits).

    Kept apart from :func:`resolve`, which only reads, so that a web request can
    end its read snapshot first: SQLite cannot turn a read transaction that
    another writer has overtaken into a write, and scans arrive concurrently.
    """
    if result.scan is not None:
        db.session.execute(insert(Scan.__table__), [result.scan])


def _logged(result: Verdict, client: Client, at: dt.datetime, record: bool) -> Verdict:
    """Prepare the scan row (counted already in ``scan_count``) for :func:`log`."""
    if record:
        result.scan = {"stamp_id": result.stamp.id if result.stamp else None, "code": result.code[:40],
                       "verdict": result.verdict, "scanned_at": at, "network": client.network, "agent": client.agent}
    return result


def is_suspicious(scans: list, policy: SuspicionPolicy, at: dt.datetime) -> bool:
    """Distinct scans (a device re-scanning soon counts once) or networks seen recently, this one included."""
    distinct, last_seen = 0, {}
    for when, network, agent in scans:
        device = (network, agent)
        if device not in last_seen or when - last_seen[device] > policy.repeat:
            distinct += 1
        last_seen[device] = when
    recent_networks = {network for when, network, _ in scans if at - when <= policy.window and network}
    return distinct > policy.max_scans or len(recent_networks) > policy.max_networks
