"""Webhooks as a partner meets them: one signed POST per change-feed event, retried, never slowing a request.

The tests run in the rolled-back test session with deliveries sent by hand
(``deliver_due(send=fake)``), the last ones to a real HTTP endpoint on
127.0.0.1. Deliveries by worker processes, as in production, are tested in
tests/test_jobs.py.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import email.message
import hashlib
import hmac
import http.client
import http.server
import json
import threading
import time

import pytest
from sqlalchemy import func, select

from catalog.kernel import calendar, catalogue, recognitions
from catalog.partners import feed, webhooks
from catalog.partners import operations as partners
from catalog.partners.models import Partner, WebhookDelivery
from tests import factories
from tests.factories import REVOCATION

NOW = calendar.start_of_day(dt.date(2026, 6, 1)) + dt.timedelta(hours=9)
HOOK = "https://partner.example.vn/hooks/ocop"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture()
def by_hand(app, session, frozen_clock, webhooks_held):
    """The test session, at NOW, with deliveries sent only when the test calls ``deliver_due``."""
    frozen_clock(NOW)
    return session


class Endpoint:
    """A fake ``send``: records each call and answers ``status`` (or raises ``error``)."""

    def __init__(self, status: int = 204, error: BaseException | None = None):
        self.status, self.error, self.calls = status, error, []

    def __call__(self, url: str, body: bytes, headers: dict[str, str]) -> int:
        self.calls.append((url, body, headers))
        if self.error is not None:
            raise self.error
        return self.status


def verified(secret: str, body: bytes, header: str) -> bool:
    """What a partner does with each POST: recompute the HMAC over the raw body, compare in constant time."""
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header)


def hooked(name: str, url: str = HOOK) -> Partner:
    partner, _ = partners.create_partner(name=name, webhook_url=url)
    return partner


def deliveries(session, partner: Partner) -> list[WebhookDelivery]:
    return list(session.scalars(select(WebhookDelivery).where(WebhookDelivery.partner_id == partner.id)
                                .order_by(WebhookDelivery.position)))


def new_positions(start: int) -> list[int]:
    return [e.position for e in feed.events_after(start, 100)]


def test_each_committed_event_queues_one_delivery_per_partner_with_a_webhook(by_hand):
    first, second = hooked("Sàn Một"), hooked("Sàn Hai")
    without, _ = partners.create_partner(name="Không webhook")
    suspended = hooked("Tạm ngưng")
    suspended.active = False
    factories.index_now()
    feed.catch_up()
    start = feed.head_position()
    item = factories.recognised_product()
    factories.index_now()                                               # listed
    catalogue.update_product(item, packaging="hộp 3kg")
    factories.index_now()                                               # updated
    factories.product()
    factories.index_now()                                               # never recognised: no event
    positions = new_positions(start)
    assert len(positions) == 2
    for partner in (first, second):
        assert [(d.position, d.status, d.attempts) for d in deliveries(by_hand, partner)] == [
            (p, "pending", 0) for p in positions]
    assert deliveries(by_hand, without) == [] and deliveries(by_hand, suspended) == []


def test_a_delivery_says_what_the_change_feed_lists(by_hand, client):
    _, key = partners.create_partner(name="Sàn Hai", webhook_url=HOOK)
    factories.index_now()
    start = feed.head_position()
    item = factories.recognised_product()
    factories.index_now()
    recognitions.revoke(item.recognitions[0], actor="test", revoked_on="2026-06-01", **REVOCATION)
    factories.index_now()
    endpoint = Endpoint(200)
    assert webhooks.deliver_due(send=endpoint) == 2
    listed = client.get(f"/api/v1/changes?after={start}", headers={"Authorization": f"Bearer {key}"})
    assert [json.loads(body) for _, body, _ in endpoint.calls] == listed.get_json()["events"]
    assert [(e["kind"], e["reason"]) for e in listed.get_json()["events"]] == [
        ("listed", None), ("delisted", "revoked")]


def test_a_delivery_is_the_event_signed_with_the_partners_secret(by_hand):
    partner = hooked("Sàn Một")
    factories.index_now()
    start = feed.head_position()
    item = factories.recognised_product()
    factories.index_now()
    endpoint = Endpoint(200)
    assert webhooks.deliver_due(send=endpoint) == 1
    [(url, body, headers)] = endpoint.calls
    [event] = feed.events_after(start, 10)
    assert url == HOOK and headers["Content-Type"] == "application/json" and body == webhooks.body_of(event)
    assert headers["X-OCOP-Event-Position"] == str(event.position)
    assert verified(partner.webhook_secret, body, headers[webhooks.SIGNATURE_HEADER])
    assert not verified(partner.webhook_secret, body.replace(b'"listed"', b'"delisted"'),
                        headers[webhooks.SIGNATURE_HEADER])
    assert not verified("another partner's secret", body, headers[webhooks.SIGNATURE_HEADER])
    assert json.loads(body) == {"position": str(event.position), "kind": "listed", "reason": None,
                                "product_id": item.id, "occurred_at": event.occurred_at.isoformat(),
                                "recorded_at": NOW.isoformat()}
    [delivery] = deliveries(by_hand, partner)
    assert (delivery.status, delivery.attempts, delivery.last_status, delivery.last_error, delivery.delivered_at) == (
        "delivered", 1, 200, None, NOW)
    assert webhooks.deliver_due(send=endpoint) == 0 and len(endpoint.calls) == 1      # never sent twice


def test_a_failing_endpoint_is_retried_with_back_off_then_given_up(by_hand, frozen_clock):
    partner = hooked("Sàn Một")
    factories.index_now()
    factories.recognised_product()
    factories.index_now()
    [delivery] = deliveries(by_hand, partner)
    answers = [Endpoint(500), Endpoint(error=ConnectionRefusedError(111, "Connection refused")),
               Endpoint(error=TimeoutError("timed out"))]
    now, waits = NOW, []
    for attempt in range(1, webhooks.MAX_ATTEMPTS + 1):
        endpoint = answers[(attempt - 1) % len(answers)]
        assert webhooks.deliver_due(send=endpoint) == 1
        by_hand.refresh(delivery)
        assert delivery.attempts == attempt and delivery.delivered_at is None
        assert delivery.last_error == ("HTTP 500" if endpoint.status == 500 and endpoint.error is None
                                       else str(endpoint.error))
        assert delivery.last_status == (500 if endpoint.error is None else None)
        if attempt == webhooks.MAX_ATTEMPTS:
            break
        assert delivery.status == "pending"
        assert delivery.next_attempt_at == now + webhooks.backoff(attempt)
        waits.append(delivery.next_attempt_at - now)
        frozen_clock(delivery.next_attempt_at - dt.timedelta(microseconds=1))
        assert webhooks.deliver_due(send=Endpoint(200)) == 0                          # not due yet
        now = frozen_clock(delivery.next_attempt_at)
    assert delivery.status == "failed"
    assert waits[:3] == [dt.timedelta(seconds=30), dt.timedelta(seconds=60), dt.timedelta(seconds=120)]
    assert waits == sorted(waits) and max(waits) == dt.timedelta(hours=6)
    frozen_clock(now + dt.timedelta(days=30))
    assert webhooks.deliver_due(send=Endpoint(200)) == 0                              # given up for good


def test_an_endpoint_failing_in_any_way_does_not_lose_the_rest_of_the_batch(by_hand):
    """A malformed answer (http.client.BadStatusLine is no OSError) is a failed attempt like any other."""
    broken, fine = hooked("Sàn Hỏng", "https://broken.example.vn/hook"), hooked("Sàn Tốt")
    factories.index_now()
    factories.recognised_product()
    factories.index_now()

    def send(url, body, headers):
        if url.startswith("https://broken."):
            raise http.client.BadStatusLine("HELLO")
        return 200

    assert webhooks.deliver_due(send=send) == 2
    [failed], [delivered] = deliveries(by_hand, broken), deliveries(by_hand, fine)
    assert (failed.status, failed.attempts, failed.next_attempt_at) == ("pending", 1, NOW + webhooks.backoff(1))
    assert "HELLO" in failed.last_error
    assert (delivered.status, delivered.attempts) == ("delivered", 1)


def test_a_suspended_partner_or_one_without_a_webhook_now_is_sent_nothing(by_hand):
    suspended, unhooked = hooked("Tạm ngưng"), hooked("Bỏ webhook")
    factories.index_now()
    factories.recognised_product()
    factories.index_now()                                   # both owed the event
    suspended.active = False
    partners.update_partner(unhooked, webhook_url=None)
    factories.index_now()
    endpoint = Endpoint(200)
    assert webhooks.deliver_due(send=endpoint) == 0 and endpoint.calls == []
    assert [d.status for d in deliveries(by_hand, suspended) + deliveries(by_hand, unhooked)] == ["pending"] * 2
    suspended.active = True                                 # reactivated: what it is owed goes out
    factories.index_now()
    assert webhooks.deliver_due(send=endpoint) == 1 and [c[0] for c in endpoint.calls] == [HOOK]
    assert verified(suspended.webhook_secret, endpoint.calls[0][1], endpoint.calls[0][2][webhooks.SIGNATURE_HEADER])


def test_a_rolled_back_change_queues_nothing(by_hand):
    hooked("Sàn Một")
    factories.index_now()
    head, queued = feed.head_position(), by_hand.scalar(select(func.count()).select_from(WebhookDelivery))
    item = factories.recognised_product()
    assert feed.record([item.id]) == 1                      # appended and queued in this transaction...
    assert by_hand.scalar(select(func.count()).select_from(WebhookDelivery)) == queued + 1
    by_hand.rollback()                                      # ...and gone with it
    assert feed.head_position() == head
    assert by_hand.scalar(select(func.count()).select_from(WebhookDelivery)) == queued
    endpoint = Endpoint(200)
    assert webhooks.deliver_due(send=endpoint) == 0 and endpoint.calls == []


# -- a real endpoint ------------------------------------------------------------------------------------

class Hook:
    """An HTTP endpoint on 127.0.0.1 that records each POST; ``hang`` makes it answer only when released."""

    def __init__(self, answer: bytes | None = None, hang=lambda n: False, longest: float = 3.0):
        self.received: list[tuple[float, email.message.Message, bytes]] = []
        self.arrived = threading.Condition()
        self.release = threading.Event()
        hook = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the name http.server calls
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with hook.arrived:
                    hook.received.append((time.monotonic(), self.headers, body))     # names in any case
                    n = len(hook.received)
                    hook.arrived.notify_all()
                if hang(n):
                    hook.release.wait(longest)
                if answer is not None:
                    self.wfile.write(answer)
                    return
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def wait_for(self, count: int, timeout: float = 3.0) -> None:
        with self.arrived:
            assert self.arrived.wait_for(lambda: len(self.received) >= count, timeout), (
                f"{len(self.received)} of {count} deliveries arrived")

    @contextlib.contextmanager
    def running(self):
        thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self.release.set()
            self.server.shutdown()
            self.server.server_close()


def test_a_hung_endpoint_times_out_and_is_retried_later(by_hand, monkeypatch):
    monkeypatch.setattr(webhooks, "TIMEOUT_SECONDS", 0.3)
    with Hook(hang=lambda n: True).running() as hook:
        partner = hooked("Sàn Treo", hook.url)
        factories.index_now()
        factories.recognised_product()
        factories.index_now()
        started = time.monotonic()
        assert webhooks.deliver_due() == 1
        assert time.monotonic() - started < 2
    [delivery] = deliveries(by_hand, partner)
    assert (delivery.status, delivery.attempts, delivery.last_status) == ("pending", 1, None)
    assert "timed out" in delivery.last_error and delivery.next_attempt_at == NOW + webhooks.backoff(1)


def test_a_garbled_answer_is_a_failed_attempt(by_hand):
    with Hook(answer=b"HELLO\r\n\r\n").running() as hook:
        partner = hooked("Sàn Lỗi", hook.url)
        factories.index_now()
        factories.recognised_product()
        factories.index_now()
        assert webhooks.deliver_due() == 1
    [delivery] = deliveries(by_hand, partner)
    assert (delivery.status, delivery.attempts) == ("pending", 1) and "HELLO" in delivery.last_error
