"""Webhooks: each change-feed event POSTed to partners who asked, signed, retried, never blocking a request.

Deliveries are queued in the transaction that appends the events (an outbox:
no event without its deliveries, none for a rolled-back change). After commit
a background thread sends what is due; ``flask --app catalog webhooks deliver``
does the same from a timer or by hand. A failed attempt is retried with an
exponential back-off; after ``MAX_ATTEMPTS`` it stays in the log as failed.
Delivery is at least once (a sender that dies after a POST but before
recording it sends it again): partners recognise a repeat by its position.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import threading

from flask import Flask, current_app
from sqlalchemy import insert, select, update

from catalog.kernel import clock, signals
from catalog.kernel.db import db
from catalog.partners import feed, webhook_transport
from catalog.partners.feed_models import FeedEvent
from catalog.partners.models import Partner, WebhookDelivery
from catalog.platform import transaction

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 12
TIMEOUT_SECONDS = 5
SIGNATURE_HEADER = "X-OCOP-Signature"
_QUEUED = "webhooks_queued"
#: a claimed delivery is not due again for this long: if its sender dies mid-batch, it is retried after it
LEASE = dt.timedelta(minutes=15)
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


def deliver_due(limit: int = 100, send=None) -> int:
    """Send due deliveries (oldest first); returns how many were attempted. Commits.

    No transaction is open while a partner's endpoint answers (it may take
    :data:`TIMEOUT_SECONDS` or hang): the due deliveries are claimed in one short
    transaction (the attempt counted, leased for :data:`LEASE` so no other sender
    takes them), sent with no lock held, and each outcome is recorded in a short
    transaction of its own. On SQLite a delivery holding the database's one
    write lock through a slow POST would stall every request that writes.
    Only active partners with a webhook URL are sent to: a suspended partner's
    deliveries wait, pending, until it is reactivated.
    """
    send = send or _post
    jobs = _claim(limit)
    for delivery_id, attempts, url, secret, position, body in jobs:
        status, error = _attempt(send, url, body, {
            "Content-Type": "application/json", SIGNATURE_HEADER: sign(secret or "", body),
            "X-OCOP-Event-Position": str(position), "User-Agent": "ocop-catalog-webhooks/1"})
        now = clock.now()
        outcome: dict[str, object] = {"last_status": status, "last_error": error}
        if error is None:
            outcome.update(status="delivered", delivered_at=now)
        elif attempts >= MAX_ATTEMPTS:
            outcome.update(status="failed")
        else:
            outcome.update(next_attempt_at=now + backoff(attempts))
        db.session.execute(update(_deliveries).where(_deliveries.c.id == delivery_id).values(**outcome))
        db.session.commit()
    return len(jobs)


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
        .values(attempts=_deliveries.c.attempts + 1, next_attempt_at=now + LEASE)
        .returning(_deliveries.c.id)))
    jobs = []
    if claimed:
        rows = db.session.execute(
            select(_deliveries.c.id, _deliveries.c.attempts, Partner.webhook_url, Partner.webhook_secret, FeedEvent)
            .join(Partner.__table__, Partner.id == _deliveries.c.partner_id)
            .join(FeedEvent, FeedEvent.position == _deliveries.c.position)
            .where(_deliveries.c.id.in_(claimed)).order_by(_deliveries.c.position, _deliveries.c.id)).all()
        jobs = [(d_id, attempts, url, secret, event.position, body_of(event))
                for d_id, attempts, url, secret, event in rows]
    db.session.commit()
    return jobs


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
    if not db.session.info.pop(_QUEUED, False) or not current_app.config.get("CATALOG_WEBHOOKS_ASYNC", True):
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # the app itself, for the thread
    threading.Thread(target=_deliver_in_background, args=(app,), daemon=True, name="webhooks").start()


def _deliver_in_background(app: Flask) -> None:
    with app.app_context():
        try:
            while deliver_due() == 100:
                pass
        except Exception:  # noqa: BLE001 - retried by the next commit or the CLI
            log.exception("webhook delivery failed")
        finally:
            db.session.remove()


def init_app(app: Flask) -> None:
    from catalog.partners.cli import partners_cli, webhooks_cli

    signals.feed_appended.connect(_queue)
    transaction.on_commit(app, _after_commit)
    app.cli.add_command(partners_cli)
    app.cli.add_command(webhooks_cli)
