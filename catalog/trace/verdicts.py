"""What a scan tells the consumer: the verdict on a stamp code or a Digital Link, and the scan log.

:func:`resolve` loads what was scanned (:func:`catalog.trace.scan_views.load`, one
loader for ``/s/<code>`` and the Digital Link forms) and :func:`decide` gives the
verdict, most serious first: nothing issued under that name (``unknown``), a
voided stamp or batch (``voided``), a product whose recognition was revoked or
has lapsed (``revoked``, ``expired``: the kernel's :attr:`PublicStatus.ending`),
a stamp scanned suspiciously often (``suspicious``), else ``genuine``.
Certification comes from the kernel's one visibility rule at the instant of the scan.

What a verdict says of the stamp's earlier scans (their count, the first, the suspicion
signals) is read from the tallies kept with the scan log (:mod:`catalog.trace.models.scans`),
never from the log itself: a scan costs the same for a stamp scanned a million times.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from sqlalchemy import bindparam, select

from catalog.kernel import clock, visibility
from catalog.kernel.db import db
from catalog.kernel.visibility import PublicStatus
from catalog.platform import metrics
from catalog.trace.digital_link import DigitalLink
from catalog.trace.models import scans as scan_log
from catalog.trace.models.scans import ScanClient, ScanTally
from catalog.trace.scan_views import Found, LotView, ProductView, RecognitionView, StampView, load


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


@dataclass(frozen=True)
class ScanSignals:
    """What a verdict reads of a stamp's scans, this one included when it is recorded."""

    scans: int = 0                  # every scan
    distinct: int = 0               # a device (network, agent) again within the policy's ``repeat`` counts once
    networks: int = 0               # client networks seen within the policy's window (0 when ``distinct`` decides)
    first_at: dt.datetime | None = None


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
    distinct_scans: int = 0         # scan_count without a phone's reloads (the same client within ``repeat``)
    networks: int | None = None     # networks that scanned it within the policy's window; None when not counted
    voided_at: dt.datetime | None = None
    void_reason: str | None = None
    scan: dict[str, Any] | None = None      # this resolution's log row, written by :func:`log`
    policy: SuspicionPolicy = field(default_factory=SuspicionPolicy, repr=False)   # counts the row when logged


def _of_stamp(column, *where):
    return select(column).where(column.table.c.stamp_id == bindparam("stamp_id"), *where).scalar_subquery()


#: a stamp's tallies and this client's row, by primary keys (each None before the stamp's first scan)
_TALLIES = select(_of_stamp(ScanTally.scans), _of_stamp(ScanTally.distinct_scans), _of_stamp(ScanTally.first_scan_at),
                  _of_stamp(ScanClient.repeat_until, ScanClient.network == bindparam("network"),
                            ScanClient.agent == bindparam("agent")))
#: the networks that scanned a stamp since an instant: the stamp's clients, fewer than the policy's
#: distinct scans when this is asked (every client has one), read through ix_scan_clients_stamp_seen
_NETWORKS = (select(ScanClient.network).distinct()
             .where(ScanClient.stamp_id == bindparam("stamp_id"), ScanClient.last_seen_at >= bindparam("since"),
                    ScanClient.network != ""))


def suspicion_policy() -> SuspicionPolicy:
    """The deployment's policy, from the app's settings (the scan page and the admin read the same)."""
    return SuspicionPolicy.from_config(current_app.config)


def resolve(scanned: str | DigitalLink, client: Client = Client(), *, policy: SuspicionPolicy = SuspicionPolicy(),
            record: bool = True, at: dt.datetime | None = None) -> Verdict:
    """The verdict on ``scanned`` (a code as typed or decoded, or a parsed Digital Link); with
    ``record``, its scan row is prepared (counted in ``scan_count``) for :func:`log` to write.

    Every resolution of a code is logged, a code never issued or failing its check character
    included (a forger's invention: officers see it in the log); a Digital Link only when it
    names a stamp by its serial (without one it is a look-up of a product or lot, not a scan).
    """
    at = at or clock.now()
    found = load(scanned)
    record = record and (not isinstance(scanned, DigitalLink) or scanned.serial is not None)
    status = visibility.explain(found.product, at) if found.product is not None else None
    signals = signals_of(found.stamp.id, client if record else None, policy, at) if found.stamp else ScanSignals()
    result = Verdict(decide(found, status, signals, policy), found.code, reason=found.missing, stamp=found.stamp,
                     product=found.product, lot=found.lot, status=status, scan_count=signals.scans,
                     first_scan_at=signals.first_at, distinct_scans=signals.distinct, policy=policy,
                     networks=signals.networks if found.stamp and signals.distinct <= policy.max_scans else None)
    if result.verdict == "voided" and found.stamp is not None:
        result.voided_at, result.void_reason = found.stamp.voided() or (None, None)
    if record:
        result.scan = {"stamp_id": found.stamp.id if found.stamp else None, "code": result.code[:40],
                       "verdict": result.verdict, "scanned_at": at, "network": client.network, "agent": client.agent}
    return result


def signals_of(stamp_id: int, client: Client | None, policy: SuspicionPolicy, at: dt.datetime) -> ScanSignals:
    """The stamp's scans as its tallies count them, with this ``client``'s scan at ``at`` when given.

    Two statements by index, whatever the stamp's history: the tallies and the client's row by
    primary key, then (only while distinct scans cannot decide) the networks within the window.
    """
    connection = db.session.connection()
    scans, distinct, first_at, repeat_until = connection.execute(_TALLIES, {
        "stamp_id": stamp_id, "network": (client.network or "") if client else "",
        "agent": (client.agent or "") if client else ""}).one()
    scans, distinct = scans or 0, distinct or 0
    if client is not None:
        scans += 1
        distinct += repeat_until is None or at > repeat_until
        first_at = first_at or at
    networks = set()
    if distinct <= policy.max_scans:
        networks = set(connection.execute(_NETWORKS, {"stamp_id": stamp_id, "since": at - policy.window}).scalars())
        if client is not None and client.network:
            networks.add(client.network)
    return ScanSignals(scans, distinct, len(networks), first_at)


def decide(found: Found, status: PublicStatus[RecognitionView] | None, signals: ScanSignals,
           policy: SuspicionPolicy) -> str:
    """THE verdict on what a scan found, most serious first (``status``: its product's at ``at``)."""
    if found.missing is not None or found.product is None or status is None:
        return "unknown"
    if found.stamp is not None and found.stamp.voided() is not None:
        return "voided"
    if not status.visible:
        return status.ending or "expired"
    if found.stamp is not None and is_suspicious(signals, policy):
        return "suspicious"
    return "genuine"


def log(result: Verdict) -> None:
    """Write the resolution's scan row and count it in the stamp's tallies (the caller commits).

    Kept apart from :func:`resolve`, which only reads, so that a web request can
    end its read snapshot first: SQLite cannot turn a read transaction that
    another writer has overtaken into a write, and scans arrive concurrently.
    """
    if result.scan is not None:
        scan_log.record(result.scan, result.policy.repeat)
        metrics.SCANS.labels(verdict=result.verdict).inc()


def is_suspicious(signals: ScanSignals, policy: SuspicionPolicy) -> bool:
    """Too many distinct scans (a device re-scanning soon counts once), or networks seen recently."""
    return signals.distinct > policy.max_scans or signals.networks > policy.max_networks
