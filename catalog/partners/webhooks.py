"""Webhooks: each change-feed event POSTed to partners who asked, signed, retried, never blocking a request.

Deliveries are queued in the transaction that appends the events (an outbox:
no event without its deliveries, none for a rolled-back change). After commit
a job is queued that sends what is due (:data:`DELIVER_JOB`, run by a worker;
the same job runs at every sweep, so a lost message or a worker killed mid-send
only delays a delivery); ``flask --app catalog webhooks deliver`` does it by hand.
A failed attempt is retried with an exponential back-off; after
``MAX_ATTEMPTS`` it stays in the log as failed and is listed with the failed
jobs, where it can be retried.

Delivery is at least once: a worker that dies after a POST but before recording
it sends it again. Every POST carries ``X-OCOP-Delivery``, the delivery's id,
the same at every attempt, so a receiver drops what it has already seen.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging

from flask import Flask, current_app
from sqlalchemy import func, insert, select, update

from catalog.kernel import clock, signals
from catalog.kernel.db import db
from catalog.kernel.i18n import N_
from catalog.partners import feed, webhook_transport
from catalog.partners.feed_models import FeedEvent
from catalog.partners.models import Partner, WebhookDelivery
from catalog.platform import jobs, metrics, transaction

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 12
TIMEOUT_SECONDS = 5
SIGNATURE_HEADER = "X-OCOP-Signature"
DELIVERY_HEADER = "X-OCOP-Delivery"
DELIVER_JOB = "webhooks.deliver"
RETRY_JOB = "webhooks.retry"
_QUEUED = "webhooks_queued"
#: deliveries one job claims at a time: BATCH x TIMEOUT_SECONDS stays well inside the lease
#: (``CATALOG_JOBS_LEASE_SECONDS``), after which a claimed delivery is due again (its worker died)
BATCH = 10
_deliveries = WebhookDelivery.__table__


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def body_of(event: FeedEvent) -> bytes:
    """The POSTed body: the event as ``GET /api/v1/changes`` lists it (:func:`feed.event_json`), compact."""
    return json.dumps(feed.event_json(event), separators=(",", ":")).encode()


def _queue(sender, positions: range) -> None:
    partners = db.session.execute(select(Partner.id).where(Partner.active, Partner.webhook_url.is_not(None))).all()
    if not partners:
        return
    now = clock.now()
    db.session.execute(insert(WebhookDelivery.__table__), [
        {"partner_id": p.id, "position": position, "status": "pending", "attempts": 0, "next_attempt_at": now,
         "created_at": now} for position in positions for p in partners])
    db.session.info[_QUEUED] = True


def deliver_due(limit: int = BATCH, send=None) -> int:
    """Send due deliveries (oldest first); returns how many were attempted. Commits.

    No transaction is open while a partner's endpoint answers (it may take
    :data:`TIMEOUT_SECONDS` or hang): the due deliveries are claimed in one short
    transaction (the attempt counted, leased for ``CATALOG_JOBS_LEASE_SECONDS`` so no other sender
    takes them), sent with no lock held, and each outcome is recorded in a short
    transaction of its own. On SQLite a delivery holding the database's one
    write lock through a slow POST would stall every request that writes.
    Only active partners with a webhook URL are sent to: a suspended partner's
    deliveries wait, pending, until it is reactivated.
    """
    send = send or _post
    claimed = _claim(limit)
    for delivery_id, attempts, url, secret, position, body in claimed:
        status, error = _attempt(send, url, body, {
            "Content-Type": "application/json", SIGNATURE_HEADER: sign(secret or "", body),
            DELIVERY_HEADER: str(delivery_id), "X-OCOP-Event-Position": str(position),
            "User-Agent": "ocop-catalog-webhooks/1"})
        now = clock.now()
        outcome: dict[str, object] = {"last_status": status, "last_error": error}
        if error is None:
            outcome.update(status="delivered", delivered_at=now)
        elif attempts >= MAX_ATTEMPTS:
            outcome.update(status="failed")
        else:
            outcome.update(next_attempt_at=now + backoff(attempts))
        metrics.WEBHOOK_DELIVERIES.labels(
            "delivered" if error is None else "failed" if attempts >= MAX_ATTEMPTS else "retry").inc()
        db.session.execute(update(_deliveries).where(_deliveries.c.id == delivery_id).values(**outcome))
        db.session.commit()
        if error is not None and attempts >= MAX_ATTEMPTS:
            jobs.give_up(RETRY_JOB, [delivery_id], f"{url}: {error}", attempts)
            db.session.commit()
    return len(claimed)


def _claim(limit: int) -> list[tuple[int, int, str, str | None, int, bytes]]:
    """Take up to ``limit`` due deliveries (attempt counted, leased) and commit; what to send for each.

    One UPDATE does it, so on SQLite the transaction starts as a writer (no stale
    read to upgrade) and on PostgreSQL SKIP LOCKED leaves other senders' rows alone.
    """
    now = clock.now()
    due = (select(_deliveries.c.id).join(Partner.__table__, Partner.id == _deliveries.c.partner_id)
           .where(_deliveries.c.status == "pending", _deliveries.c.next_attempt_at <= now,
                  Partner.active, Partner.webhook_url.is_not(None))
           .order_by(_deliveries.c.position, _deliveries.c.id).limit(limit)
           .with_for_update(of=_deliveries, skip_locked=True))
    claimed = list(db.session.scalars(
        update(_deliveries).where(_deliveries.c.id.in_(due))
        .values(attempts=_deliveries.c.attempts + 1, next_attempt_at=now + dt.timedelta(seconds=jobs.lease_seconds()))
        .returning(_deliveries.c.id)))
    owed = []
    if claimed:
        rows = db.session.execute(
            select(_deliveries.c.id, _deliveries.c.attempts, Partner.webhook_url, Partner.webhook_secret, FeedEvent)
            .join(Partner.__table__, Partner.id == _deliveries.c.partner_id)
            .join(FeedEvent, FeedEvent.position == _deliveries.c.position)
            .where(_deliveries.c.id.in_(claimed)).order_by(_deliveries.c.position, _deliveries.c.id)).all()
        owed = [(d_id, attempts, url, secret, event.position, body_of(event))
                for d_id, attempts, url, secret, event in rows]
    db.session.commit()
    return owed


def _attempt(send, url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str | None]:
    """(HTTP status, error) of one POST; any failure to get a 2xx is an error to retry, never an exception."""
    try:
        status = send(url, body, headers)
    except Exception as exc:  # noqa: BLE001 - OSError, http.client.HTTPException (a garbled answer), ...
        log.info("webhook POST to %s failed: %r", url, exc)
        return None, (str(exc).strip() or type(exc).__name__)[:500]
    return status, None if 200 <= status < 300 else f"HTTP {status}"


def backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(30 * 2 ** (attempts - 1), 6 * 3600))


def _post(url: str, body: bytes, headers: dict[str, str]) -> int:
    return webhook_transport.post(url, body, headers, timeout=TIMEOUT_SECONDS,
                                  allow_private=current_app.config["CATALOG_WEBHOOKS_ALLOW_PRIVATE"])


def _after_commit() -> None:
    if db.session.info.pop(_QUEUED, False):
        jobs.enqueue(DELIVER_JOB)


def mark_queued() -> None:
    """Deliveries were made due in this transaction: queue the job after its commit."""
    db.session.info[_QUEUED] = True


@jobs.job(DELIVER_JOB, N_("Webhook deliveries"), periodic=True)
def deliver_all_due() -> int:
    """The job, and the sweep: send every due delivery, a batch at a time; how many were attempted."""
    sent = 0
    while (batch := deliver_due()) == BATCH:
        sent += batch
    return sent + batch


@jobs.job(RETRY_JOB, N_("Webhook delivery given up"))
def retry_failed(delivery_id: int) -> int:
    """Give a delivery that failed its last attempt a fresh set of attempts, and send what is due."""
    db.session.execute(update(_deliveries).where(_deliveries.c.id == delivery_id, _deliveries.c.status == "failed")
                       .values(status="pending", attempts=0, next_attempt_at=clock.now()))
    db.session.commit()
    return deliver_all_due()


def backlog() -> jobs.Backlog:
    """Deliveries not attempted yet (those backing off after a partner's failure do not wait on a worker)."""
    count, oldest = db.session.execute(
        select(func.count(), func.min(_deliveries.c.created_at))
        .where(_deliveries.c.status == "pending", _deliveries.c.attempts == 0)).one()
    return jobs.Backlog(count or 0, oldest)


def init_app(app: Flask) -> None:
    from catalog.partners.cli import partners_cli, webhooks_cli

    signals.feed_appended.connect(_queue)
    transaction.on_commit(app, _after_commit)
    jobs.backlog(app, "webhook_deliveries", backlog)
    app.cli.add_command(partners_cli)
    app.cli.add_command(webhooks_cli)
