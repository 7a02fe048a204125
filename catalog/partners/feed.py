"""The partner change feed: ``listed``, ``updated``, ``delisted`` events in one gap-free order.

Writes: every flush that touches a product marks it (:func:`changes.changed_products`);
just before the transaction commits, the feed compares "visible now" (the core's
one rule) with what it has told partners (:class:`FeedState`) and appends the
events that make them agree. Appending locks the single :class:`FeedHead` row
until commit, so positions are assigned and committed in order: a reader can
never see position n+1 while n is still to come.

Time: recognitions start and lapse with nobody writing. A periodic job
(:data:`CATCH_UP_JOB`, at every sweep of the job queue) calls :func:`catch_up`,
which reconciles every product whose recognition started, ended, was superseded
or revoked since the head's ``checked_until``: the delisting and its webhooks go
out within a sweep interval of the instant, with nobody reading. Readers of the
feed also catch up, once authenticated and only when something is due
(:func:`due`), so a reader whose clock has passed an expiry sees it at once.
"""
from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import bindparam, event, select, update
from sqlalchemy.orm import Session

from catalog.kernel import clock, signals
from catalog.kernel.changes import changed_products
from catalog.kernel.db import db
from catalog.kernel.i18n import N_
from catalog.kernel.models.products import Product
from catalog.kernel.models.recognitions import Recognition
from catalog.kernel.visibility import PublicStatus, explain, product_is_visible
from catalog.partners.feed_models import FeedEvent, FeedHead, FeedState
from catalog.platform import bulk, jobs, sqlite, transaction

PENDING = "feed_pending"
SAVED = "feed_pending_at_savepoints"
HEAD_ID = 1
CHUNK = 5000
CATCH_UP_JOB = "feed.catch_up"


def catch_up(at: dt.datetime | None = None) -> int:
    """Append the events that time has caused up to ``at``; returns how many.

    Cheap when nothing is due: one indexed query, no lock, no write. The head
    is locked (and ``checked_until`` moved) only when some recognition started,
    lapsed, was superseded or revoked since the last check.
    """
    at = at or clock.now()
    session = db.session()
    since = session.scalar(select(FeedHead.checked_until).where(FeedHead.id == HEAD_ID))
    if since is not None and (at <= since or not _due(session, since, at)):
        return 0
    head = _lock_head(session)
    since = head.checked_until
    if since is not None and at <= since:
        return 0
    added = _reconcile(session, head, None if since is None else _due(session, since, at), at, touched=set())
    head.checked_until = at
    session.flush()
    return added


def due(at: dt.datetime) -> bool:
    """Whether time has caused changes the feed does not have yet (reads only: a few indexed queries)."""
    session = db.session()
    since = session.scalar(select(FeedHead.checked_until).where(FeedHead.id == HEAD_ID))
    return since is None or (at > since and bool(_due(session, since, at)))


@jobs.job(CATCH_UP_JOB, N_("Change feed: recognitions starting or lapsing"), periodic=True)
def catch_up_job() -> int:
    """The sweep's part: append what time has caused, and commit (its webhooks are queued after)."""
    now = clock.now()
    if not due(now):
        return 0
    transaction.end_reads()
    sqlite.begin_immediately()          # reads then writes: take SQLite's write lock first
    added = catch_up(now)
    transaction.commit()
    return added


def _due(session: Session, since: dt.datetime, at: dt.datetime) -> list[int]:
    """Products whose visibility may have changed with time in (since, at]."""
    boundaries = (Recognition.starts_at, Recognition.ends_at, Recognition.superseded_at, Recognition.revoked_at)
    found: set[int] = set()
    for column in boundaries:
        found.update(session.scalars(select(Recognition.product_id).where(column > since, column <= at)))
    return sorted(found)


def event_json(feed_event: FeedEvent) -> dict[str, Any]:
    """One event as partners read it, in ``GET /api/v1/changes`` and as a webhook's body."""
    return {"position": str(feed_event.position), "kind": feed_event.kind, "reason": feed_event.reason,
            "product_id": feed_event.product_id, "occurred_at": feed_event.occurred_at.isoformat(),
            "recorded_at": feed_event.recorded_at.isoformat()}


def events_after(position: int, limit: int) -> list[FeedEvent]:
    return list(db.session.scalars(select(FeedEvent).where(FeedEvent.position > position)
                                   .order_by(FeedEvent.position).limit(limit)))


def head_position() -> int:
    return db.session.scalar(select(FeedHead.position).where(FeedHead.id == HEAD_ID)) or 0


def listed_ids() -> set[int]:
    """The products a partner holds after replaying the whole feed."""
    return set(db.session.scalars(select(FeedState.product_id).where(FeedState.listed)))


def record(product_ids: Iterable[int], at: dt.datetime | None = None) -> int:
    """Reconcile these changed products now (the commit hook does this for every write)."""
    session = db.session()
    ids = sorted(set(product_ids))
    return _reconcile(session, _lock_head(session), ids, at or clock.now(), touched=set(ids)) if ids else 0


def _lock_head(session: Session) -> FeedHead:
    head = session.scalars(select(FeedHead).where(FeedHead.id == HEAD_ID).with_for_update()).one_or_none()
    if head is None:                                    # the migration creates it; a bare create_all may not
        head = FeedHead(id=HEAD_ID, position=0)
        session.add(head)
        session.flush()
    return head


def _reconcile(session: Session, head: FeedHead, product_ids: Sequence[int] | None, at: dt.datetime,
               touched: set[int]) -> int:
    chunks: list[Sequence[int] | None]
    if product_ids is None:
        chunks = [None]
    else:
        chunks = [product_ids[i:i + CHUNK] for i in range(0, len(product_ids), CHUNK)]
    added = 0
    for chunk in chunks:
        added += _append(session, head, _changes(session, chunk, at, touched), at)
    return added


def _changes(session: Session, chunk: Sequence[int] | None, at: dt.datetime,
             touched: set[int]) -> list[tuple[int, str, str | None, dt.datetime]]:
    """(product id, kind, reason, occurred at) for each product whose feed state is behind."""
    def scoped(statement, column):
        return statement if chunk is None else statement.where(column.in_(chunk))

    everyone = sorted(session.scalars(scoped(select(Product.id), Product.id)))
    visible = set(session.scalars(scoped(select(Product.id).where(product_is_visible(at)), Product.id)))
    listed = dict(session.execute(scoped(select(FeedState.product_id, FeedState.listed), FeedState.product_id)).all())
    changes: list[tuple[int, str, str | None, dt.datetime]] = []
    for product_id in everyone:
        was_listed, is_visible = listed.get(product_id, False), product_id in visible
        if is_visible and not was_listed:
            changes.append((product_id, "listed", None, _effective(session, product_id, at, True)))
        elif was_listed and not is_visible:
            status = explain(session.get_one(Product, product_id), at)
            changes.append((product_id, "delisted", status.ending, _effective(session, product_id, at, False, status)))
        elif is_visible and product_id in touched:
            changes.append((product_id, "updated", None, at))
    return changes


def _effective(session: Session, product_id: int, at: dt.datetime, listed: bool,
               status: PublicStatus[Recognition] | None = None) -> dt.datetime:
    """When the change took effect: the recognition's start, its end, or its revocation."""
    recognition = (status or explain(session.get_one(Product, product_id), at)).recognition
    if recognition is None:
        return at
    if listed:
        return min(max(recognition.starts_at, recognition.superseded_at or recognition.starts_at), at)
    candidates = [t for t in (recognition.revoked_at, recognition.superseded_at, recognition.ends_at) if t and t <= at]
    return min(candidates, default=at)


def _append(session: Session, head: FeedHead, changes: list, at: dt.datetime) -> int:
    if not changes:
        return 0
    first = head.position + 1
    rows = [{"position": first + i, "product_id": pid, "kind": kind, "reason": reason, "occurred_at": when,
             "recorded_at": at} for i, (pid, kind, reason, when) in enumerate(changes)]
    bulk.insert_rows(FeedEvent.__table__, rows)
    known = set(session.scalars(select(FeedState.product_id).where(
        FeedState.product_id.in_([r["product_id"] for r in rows]))))
    fresh = [{"product_id": r["product_id"], "listed": r["kind"] != "delisted", "position": r["position"]}
             for r in rows if r["product_id"] not in known]
    bulk.insert_rows(FeedState.__table__, fresh)
    stale = [{"pid": r["product_id"], "listed": r["kind"] != "delisted", "pos": r["position"]}
             for r in rows if r["product_id"] in known]
    if stale:
        session.execute(update(FeedState.__table__).where(FeedState.__table__.c.product_id == bindparam("pid"))
                        .values(listed=bindparam("listed"), position=bindparam("pos")), stale)
    head.position = first + len(rows) - 1
    session.flush()
    signals.feed_appended.send("feed", positions=range(first, head.position + 1))
    return len(rows)


# --- following writes -------------------------------------------------------------------------

def _after_flush(session: Session, flush_context) -> None:
    if session.info.get("feed_writing"):
        return
    products = changed_products(session, flush_context)
    if products:
        session.info.setdefault(PENDING, set()).update(products)


def _bulk_changed(sender, product_ids: Sequence[int]) -> None:
    db.session.info.setdefault(PENDING, set()).update(product_ids)


def _before_commit(session: Session) -> None:
    session.flush()
    for _ in range(3):                  # our own writes touch no product; one round is the rule
        pending = session.info.pop(PENDING, None)
        if not pending:
            return
        session.info["feed_writing"] = True
        try:
            ids = sorted(pending)
            _reconcile(session, _lock_head(session), ids, clock.now(), touched=set(ids))
        finally:
            session.info.pop("feed_writing", None)


def _after_savepoint(session: Session, transaction) -> None:
    """Remember what was pending when a savepoint began: rolling it back forgets only what came after."""
    if transaction.nested:
        saved = session.info.setdefault(SAVED, weakref.WeakKeyDictionary())
        saved[transaction] = set(session.info.get(PENDING, ()))


def _after_rollback(session: Session, previous) -> None:
    boundary = previous                 # a failed flush rolls back its own subtransaction up to the savepoint
    while not boundary.nested and boundary.parent is not None:
        boundary = boundary.parent
    if boundary.nested:                 # only a savepoint: what was flushed before it will still commit
        session.info[PENDING] = set(session.info.get(SAVED, {}).get(boundary, ()))
        return
    session.info.pop(PENDING, None)
    session.info.pop(SAVED, None)


_SESSION_LISTENERS: tuple[tuple[str, Callable[..., None]], ...] = (
    ("after_flush", _after_flush), ("before_commit", _before_commit),
    ("after_transaction_create", _after_savepoint), ("after_soft_rollback", _after_rollback))


def listen() -> None:
    """Follow every session's writes (idempotent: a listener registered already is left alone)."""
    for name, listener in _SESSION_LISTENERS:
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
    signals.products_changed.connect(_bulk_changed)     # blinker keeps one connection per receiver
