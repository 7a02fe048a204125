"""The scan log: every resolution of a stamp code, and the tallies a scan reads instead of its history.

A scan's verdict and what it shows (the count, the first scan, the suspicion signals) must not
cost more for a stamp scanned a million times than for a new one. So beside the log two small
tables are kept in the writing transaction, with atomic upserts that stay exact when scans of
one stamp arrive at once (PostgreSQL locks the row an upsert changes; SQLite has one writer):

* :class:`ScanTally`, one row a scanned stamp: scans, distinct scans (the same phone again
  within the policy's ``repeat`` counts once), distinct clients, first and last scan;
* :class:`ScanClient`, one row a stamp and client (network, browser family): when it was last
  seen, for the repeat rule and for the networks seen within the policy's window (an
  index-backed query that stops at the policy's limit).

:func:`record` writes a scan; :func:`recount` rebuilds both from the log (after a bulk load;
the migration that added them backfills with the same SQL).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, case, insert, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from catalog.kernel import clock
from catalog.kernel.db import Model, db
from catalog.kernel.models.types import UTCDateTime

VERDICTS = ("genuine", "expired", "revoked", "voided", "unknown", "suspicious")


class Scan(Model):
    """One resolution of a code: no full IP address is kept, only its network (/24, /48)."""

    __tablename__ = "scans"
    __table_args__ = (Index("ix_scans_stamp_time", "stamp_id", "scanned_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    stamp_id: Mapped[int | None] = mapped_column(ForeignKey("stamps.id"))
    code: Mapped[str] = mapped_column(String(40))         # as scanned, for unknown codes
    verdict: Mapped[str] = mapped_column(String(12), index=True)
    scanned_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=clock.now, index=True)
    network: Mapped[str | None] = mapped_column(String(50))
    agent: Mapped[str | None] = mapped_column(String(40))    # browser family, e.g. "Zalo/Android"


class ScanTally(Model):
    """A scanned stamp's scans, counted as they are logged (:func:`record`)."""

    __tablename__ = "scan_tallies"

    stamp_id: Mapped[int] = mapped_column(ForeignKey("stamps.id"), primary_key=True)
    scans: Mapped[int] = mapped_column(Integer)             # every scan logged
    distinct_scans: Mapped[int] = mapped_column(Integer)    # a client again within ``repeat`` counts once
    clients: Mapped[int] = mapped_column(Integer)           # distinct (network, browser family)
    first_scan_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    last_scan_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    last_verdict: Mapped[str] = mapped_column(String(12))


class ScanClient(Model):
    """A client that scanned a stamp: its network and browser family ('' when unknown)."""

    __tablename__ = "scan_clients"
    __table_args__ = (Index("ix_scan_clients_stamp_seen", "stamp_id", "last_seen_at"),)

    stamp_id: Mapped[int] = mapped_column(ForeignKey("stamps.id"), primary_key=True)
    network: Mapped[str] = mapped_column(String(50), primary_key=True)
    agent: Mapped[str] = mapped_column(String(40), primary_key=True)
    first_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    repeat_until: Mapped[dt.datetime] = mapped_column(UTCDateTime)  # a scan after this begins a visit
    visits: Mapped[int] = mapped_column(Integer)            # its distinct scans
    counted: Mapped[bool] = mapped_column(Boolean)          # its latest scan began a visit (read by record)


@dataclass(frozen=True)
class Counted:
    """What :func:`record` counted of one scan."""

    scans: int
    distinct_scans: int
    first_scan_at: dt.datetime


def record(row: dict[str, Any], repeat: dt.timedelta) -> Counted | None:
    """Log one scan (a row of :class:`Scan`) and, for a stamp, count it in its tallies (the caller commits).

    The log row is written first (on SQLite the transaction's first statement takes the write
    lock), then the client's row, then the stamp's: always in this order, so that concurrent
    scans of one stamp queue on its rows and never deadlock.
    """
    db.session.execute(insert(Scan.__table__), [row])
    if row["stamp_id"] is None:
        return None
    at, upsert = row["scanned_at"], _upsert()
    client = upsert(ScanClient.__table__).values(
        stamp_id=row["stamp_id"], network=row["network"] or "", agent=row["agent"] or "",
        first_seen_at=at, last_seen_at=at, repeat_until=at + repeat, visits=1, counted=True)
    old, new = ScanClient.__table__.c, client.excluded
    began = new.last_seen_at > old.repeat_until     # as the policy says: later than ``repeat`` after the last
    later = new.last_seen_at > old.last_seen_at
    client = client.on_conflict_do_update(
        index_elements=[old.stamp_id, old.network, old.agent],
        set_={"visits": old.visits + case((began, 1), else_=0), "counted": began,
              "last_seen_at": case((later, new.last_seen_at), else_=old.last_seen_at),
              "repeat_until": case((later, new.repeat_until), else_=old.repeat_until)},
    ).returning(old.counted, old.visits)
    counted, visits = db.session.execute(client).one()
    new_client = bool(counted) and visits == 1
    tally = upsert(ScanTally.__table__).values(
        stamp_id=row["stamp_id"], scans=1, distinct_scans=int(bool(counted)), clients=int(new_client),
        first_scan_at=at, last_scan_at=at, last_verdict=row["verdict"])
    t = ScanTally.__table__.c
    later = tally.excluded.last_scan_at >= t.last_scan_at
    tally = tally.on_conflict_do_update(
        index_elements=[t.stamp_id],
        set_={"scans": t.scans + 1, "distinct_scans": t.distinct_scans + int(bool(counted)),
              "clients": t.clients + int(new_client),
              "first_scan_at": case((tally.excluded.first_scan_at < t.first_scan_at, tally.excluded.first_scan_at),
                                    else_=t.first_scan_at),
              "last_scan_at": case((later, tally.excluded.last_scan_at), else_=t.last_scan_at),
              "last_verdict": case((later, tally.excluded.last_verdict), else_=t.last_verdict)},
    ).returning(t.scans, t.distinct_scans, t.first_scan_at)
    scans, distinct_scans, first = db.session.execute(tally).one()
    return Counted(scans, distinct_scans, first)


def recount(repeat: dt.timedelta = dt.timedelta(minutes=30)) -> None:
    """Rebuild the tallies of every stamp from the scan log (after a bulk load; the caller commits)."""
    for statement in recount_sql(_dialect(), repeat):
        db.session.execute(text(statement))


def recount_sql(dialect: str, repeat: dt.timedelta) -> list[str]:
    """The statements that rebuild :class:`ScanClient` and :class:`ScanTally` from ``scans``
    (the migration that added them runs the same; ``repeat`` in whole seconds)."""
    seconds = repeat.total_seconds()
    if seconds != int(seconds):
        raise ValueError(f"repeat must be whole seconds, not {repeat}")
    if dialect == "postgresql":
        def plus_repeat(column: str) -> str:
            return f"({column} + make_interval(secs => {seconds!r}))"
    else:
        def plus_repeat(column: str) -> str:
            # whole seconds added to the text, its microseconds kept: exact, as the live comparison
            return f"(strftime('%Y-%m-%d %H:%M:%S', {column}, '+{int(seconds)} seconds') || substr({column}, 20))"
    device = "stamp_id, coalesce(network, ''), coalesce(agent, '')"
    visits = ("SELECT stamp_id, network, agent, scanned_at, "
              f"CASE WHEN previous IS NULL OR scanned_at > {plus_repeat('previous')} THEN 1 ELSE 0 END AS began "
              "FROM (SELECT stamp_id, coalesce(network, '') AS network, coalesce(agent, '') AS agent, scanned_at, "
              f"max(scanned_at) OVER (PARTITION BY {device} ORDER BY scanned_at, id "
              "ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS previous "
              "FROM scans WHERE stamp_id IS NOT NULL) AS ordered")
    return [
        "DELETE FROM scan_tallies",
        "DELETE FROM scan_clients",
        "INSERT INTO scan_clients (stamp_id, network, agent, first_seen_at, last_seen_at, repeat_until, visits, "
        "counted) "
        f"SELECT stamp_id, network, agent, min(scanned_at), max(scanned_at), {plus_repeat('max(scanned_at)')}, "
        f"sum(began), false FROM ({visits}) AS v GROUP BY stamp_id, network, agent",
        "INSERT INTO scan_tallies (stamp_id, scans, distinct_scans, clients, first_scan_at, last_scan_at, "
        "last_verdict) "
        "SELECT t.stamp_id, t.scans, c.visits, c.clients, t.first_at, t.last_at, "
        "(SELECT s.verdict FROM scans s WHERE s.stamp_id = t.stamp_id ORDER BY s.scanned_at DESC, s.id DESC LIMIT 1) "
        "FROM (SELECT stamp_id, count(*) AS scans, min(scanned_at) AS first_at, max(scanned_at) AS last_at "
        "FROM scans WHERE stamp_id IS NOT NULL GROUP BY stamp_id) AS t "
        "JOIN (SELECT stamp_id, sum(visits) AS visits, count(*) AS clients FROM scan_clients GROUP BY stamp_id) AS c "
        "ON c.stamp_id = t.stamp_id",
    ]


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _upsert():
    return postgresql.insert if _dialect() == "postgresql" else sqlite.insert
