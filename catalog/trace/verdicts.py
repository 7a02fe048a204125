"""What a scan tells the consumer: the verdict on a stamp code or a Digital Link, and the scan log.

:func:`resolve` loads what was scanned (:func:`catalog.trace.scan_views.load`, one
loader for ``/s/<code>`` and the Digital Link forms) and :func:`decide` gives the
verdict, most serious first: nothing issued under that name (``unknown``), a
voided stamp or batch (``voided``), a product whose recognition was revoked or
has lapsed (``revoked``, ``expired``: the kernel's :attr:`PublicStatus.ending`),
a stamp scanned suspiciously often (``suspicious``), else ``genuine``.
Certification comes from the kernel's one visibility rule at the instant of the scan.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import bindparam, insert, select

from catalog.kernel import clock, visibility
from catalog.kernel.db import db
from catalog.kernel.visibility import PublicStatus
from catalog.platform import metrics
from catalog.trace.digital_link import DigitalLink
from catalog.trace.models.scans import Scan
from catalog.trace.scan_views import Found, LotView, ProductView, RecognitionView, StampView, load

#: (scanned at, network, agent) of one scan of a stamp
ScanRow = tuple[dt.datetime, str | None, str | None]


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
    """The verdict with what it was decided from: what the scan page, its JSON and the link set show."""

    verdict: str                    # genuine | expired | revoked | voided | unknown | suspicious
    code: str                       # canonical code, or what was scanned when it is not one
    reason: str | None = None       # unknown: "format" | "check" (mistyped) | "not_issued" | "unknown_gtin" | ...
    stamp: StampView | None = None
    product: ProductView | None = None
    lot: LotView | None = None
    status: PublicStatus[RecognitionView] | None = None
    scan_count: int = 0
    first_scan_at: dt.datetime | None = None
    voided_at: dt.datetime | None = None
    void_reason: str | None = None
    scan: dict[str, Any] | None = None      # this resolution's log row, written by :func:`log`


_SCANS_OF_STAMP = (select(Scan.scanned_at, Scan.network, Scan.agent)
                   .where(Scan.stamp_id == bindparam("stamp_id")).order_by(Scan.scanned_at))


def suspicion_policy() -> SuspicionPolicy:
    """The deployment's policy, from the app's settings (the scan page and the admin read the same)."""
    return SuspicionPolicy.from_config(current_app.config)


def resolve(scanned: str | DigitalLink, client: Client = Client(), *, policy: SuspicionPolicy = SuspicionPolicy(),
            record: bool = True, at: dt.datetime | None = None) -> Verdict:
    """The verdict on ``scanned`` (a code as typed or decoded, or a parsed Digital Link); with
    ``record``, its scan row is prepared (counted in ``scan_count``) for :func:`log` to write.

    Every resolution of a code is logged; a Digital Link only when it names an issued stamp
    (else it is a look-up of a product or lot, not a scan of a stamp).
    """
    at = at or clock.now()
    found = load(scanned)
    record = record and (found.stamp is not None or not isinstance(scanned, DigitalLink))
    status = visibility.explain(found.product, at) if found.product is not None else None
    scans: list[ScanRow] = []
    if found.stamp is not None:
        scans = list(db.session.connection().execute(_SCANS_OF_STAMP, {"stamp_id": found.stamp.id}).all())
        if record:
            scans.append((at, client.network, client.agent))
    result = Verdict(decide(found, status, scans, policy, at), found.code, reason=found.missing, stamp=found.stamp,
                     product=found.product, lot=found.lot, status=status, scan_count=len(scans),
                     first_scan_at=scans[0][0] if scans else None)
    if result.verdict == "voided" and found.stamp is not None:
        result.voided_at, result.void_reason = found.stamp.voided() or (None, None)
    if record:
        result.scan = {"stamp_id": found.stamp.id if found.stamp else None, "code": result.code[:40],
                       "verdict": result.verdict, "scanned_at": at, "network": client.network, "agent": client.agent}
    return result


def decide(found: Found, status: PublicStatus[RecognitionView] | None, scans: Sequence[ScanRow],
           policy: SuspicionPolicy, at: dt.datetime) -> str:
    """THE verdict on what a scan found, most serious first (``status``: its product's at ``at``)."""
    if found.missing is not None or found.product is None or status is None:
        return "unknown"
    if found.stamp is not None and found.stamp.voided() is not None:
        return "voided"
    if not status.visible:
        return status.ending or "expired"
    if found.stamp is not None and is_suspicious(scans, policy, at):
        return "suspicious"
    return "genuine"


def log(result: Verdict) -> None:
    """Write the resolution's scan row (the caller commits).

    Kept apart from :func:`resolve`, which only reads, so that a web request can
    end its read snapshot first: SQLite cannot turn a read transaction that
    another writer has overtaken into a write, and scans arrive concurrently.
    """
    if result.scan is not None:
        db.session.execute(insert(Scan.__table__), [result.scan])
        metrics.SCANS.labels(verdict=result.verdict).inc()


def is_suspicious(scans: Sequence[ScanRow], policy: SuspicionPolicy, at: dt.datetime) -> bool:
    """Distinct scans (a device re-scanning soon counts once) or networks seen recently, this one included."""
    distinct, last_seen = 0, dict[tuple[str | None, str | None], dt.datetime]()
    for when, network, agent in scans:
        device = (network, agent)
        if device not in last_seen or when - last_seen[device] > policy.repeat:
            distinct += 1
        last_seen[device] = when
    recent_networks = {network for when, network, _ in scans if at - when <= policy.window and network}
    return distinct > policy.max_scans or len(recent_networks) > policy.max_networks
