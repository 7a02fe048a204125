"""Work off the request path, against real components: worker processes, SQLite and Redis queues, HTTP endpoints.

Each test here runs an app on a scratch database with the queue as in production
(not the suite's immediate mode) and ``flask --app catalog worker`` processes,
so a request only ever queues, and a worker does the work.
"""
from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select, update

from catalog import create_app
from catalog.kernel import clock
from catalog.kernel.db import db
from catalog.kernel.models.recognitions import Recognition
from catalog.partners.feed_models import FeedEvent
from catalog.partners.models import WebhookDelivery
from catalog.platform import jobs, transaction
from catalog.platform.job_models import JobFailure
from catalog.search.models import SearchOutboxEntry
from tests import factories
from tests.test_imports import csv_bytes, many_rows, upload
from tests.test_webhooks import Hook, hooked, verified

FLASK = str(Path(sys.executable).with_name("flask"))
REDIS_URL = "redis://127.0.0.1:6379/0"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def redis_answers() -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
        return True
    return False


needs_redis = pytest.mark.skipif(not redis_answers(), reason="no Redis on 127.0.0.1:6379 (.ci/run starts one)")


@dataclasses.dataclass
class Setup:
    """An app as deployed (a real queue), the settings its workers share, and the workers started."""

    app: object
    env: dict[str, str]
    log: Path
    workers: list[subprocess.Popen] = dataclasses.field(default_factory=list)

    def worker(self, **extra: str) -> subprocess.Popen:
        env = {**os.environ, **self.env, **extra}
        with open(self.log, "ab") as out:
            process = subprocess.Popen([FLASK, "--app", "catalog", "worker", "--threads", "2"], env=env,
                                       stdout=out, stderr=subprocess.STDOUT)
        self.workers.append(process)
        return process

    def stop(self) -> None:
        for process in self.workers:
            if process.poll() is None:
                process.terminate()
        for process in self.workers:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]


@pytest.fixture()
def deployed(scratch_database, tmp_path):
    """``deployed(backend, broker)``: an app on a fresh database with its queue on ``broker`` (sqlite|redis)."""
    made: list[Setup] = []

    def make(backend: str = "sqlite", broker: str = "sqlite", **config) -> Setup:
        url = scratch_database(backend)
        env = {"DATABASE_URL": url, "SECRET_KEY": "x", "CATALOG_JOBS_IMMEDIATE": "0",
               "CATALOG_JOBS_SWEEP_SECONDS": "1", "CATALOG_WEBHOOKS_ALLOW_PRIVATE": "1",
               "CATALOG_JOBS_QUEUE": f"test-{uuid.uuid4().hex[:8]}"}
        if broker == "redis":
            env["REDIS_URL"] = REDIS_URL
        else:
            env["CATALOG_JOBS_SQLITE"] = str(tmp_path / f"jobs-{uuid.uuid4().hex[:6]}.sqlite3")
        env.update({k: str(v) for k, v in config.items()})
        settings = {key: value for key, value in env.items() if key not in ("CATALOG_JOBS_IMMEDIATE",)}
        app = create_app({**settings, "CATALOG_JOBS_IMMEDIATE": False,
                          "CATALOG_JOBS_SWEEP_SECONDS": float(env["CATALOG_JOBS_SWEEP_SECONDS"]),
                          "CATALOG_WEBHOOKS_ALLOW_PRIVATE": True})
        with app.app_context():
            upgrade()
            db.session.remove()
        setup = Setup(app, env, tmp_path / f"worker-{len(made)}.log")
        made.append(setup)
        return setup

    yield make
    for setup in made:
        setup.stop()
        with setup.app.app_context():
            if setup.env.get("REDIS_URL"):
                jobs.queue().huey.flush()
            db.session.remove()
            db.engine.dispose()


def wait_until(condition, timeout: float, what: str, setup: Setup | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"{what}: not within {timeout} s" + (f"\nworker log:\n{setup.output()}" if setup else ""))


def outbox_rows(app) -> int:
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(SearchOutboxEntry))
        db.session.remove()
        return count or 0


def found_by_search(app, words: str) -> list[str]:
    from catalog import search
    with app.app_context():
        names = [card.name for card in search.search(search.SearchQuery(q=words)).hits]
        db.session.remove()
        return names


@pytest.mark.parametrize("broker", ["sqlite", pytest.param("redis", marks=needs_redis)])
def test_a_write_only_queues_and_a_worker_updates_the_index(deployed, broker):
    setup = deployed("sqlite", broker)
    with setup.app.app_context():
        item = factories.recognised_product()
        started = time.monotonic()
        transaction.commit()
        took = time.monotonic() - started
        name = item.name
        health = setup.app.test_client().get("/healthz").get_json()
        db.session.remove()
    assert took < 1.0
    assert outbox_rows(setup.app) > 0 and found_by_search(setup.app, "cam sanh") == []
    assert health["jobs"]["queued"] >= 1 and health["jobs"]["waiting"]["search_outbox"]["count"] >= 1
    setup.worker()
    wait_until(lambda: outbox_rows(setup.app) == 0, 20, "the worker drains the outbox", setup)
    assert found_by_search(setup.app, "cam sanh") == [name]


@needs_redis
def test_with_the_broker_down_writes_succeed_and_the_sweep_does_their_work_when_it_is_back(deployed):
    setup = deployed("sqlite", "redis")
    down = create_app({**{k: v for k, v in setup.env.items() if k != "CATALOG_JOBS_IMMEDIATE"},
                       "REDIS_URL": "redis://127.0.0.1:9/0", "CATALOG_JOBS_IMMEDIATE": False})
    with down.app_context():
        factories.recognised_product()
        started = time.monotonic()
        transaction.commit()                                  # queueing fails: logged, the commit stands
        took = time.monotonic() - started
        health = down.test_client().get("/healthz")
        db.session.remove()
        db.engine.dispose()
    assert took < 2.0
    assert health.status_code == 200 and health.get_json()["status"] == "degraded"
    assert health.get_json()["jobs"]["broker"] == "unreachable"
    with setup.app.app_context():
        assert jobs.queue().huey.pending_count() == 0          # the job never reached the queue
        db.session.remove()
    assert outbox_rows(setup.app) > 0
    setup.worker()                                            # the broker is back, with a worker: the sweep
    wait_until(lambda: outbox_rows(setup.app) == 0, 20, "the sweep drains what the lost job owed", setup)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_recognition_lapsing_with_nobody_reading_is_delisted_and_sent_within_the_sweep(deployed, backend):
    setup = deployed(backend, "sqlite")
    with Hook().running() as hook:
        with setup.app.app_context():
            partner = hooked("Sàn Tiki", hook.url)
            item = factories.recognised_product()
            transaction.commit()
            lapse = clock.now() + dt.timedelta(seconds=3)
            db.session.execute(update(Recognition).where(Recognition.product_id == item.id).values(ends_at=lapse))
            transaction.commit()
            secret, product_id = partner.webhook_secret, item.id
            db.session.remove()
        setup.worker()
        hook.wait_for(2, timeout=30)
    bodies = [json.loads(body) for _, _, body in hook.received]
    assert [(b["kind"], b["product_id"]) for b in bodies] == [("listed", product_id), ("delisted", product_id)]
    assert bodies[1]["reason"] == "expired"
    assert dt.datetime.fromisoformat(bodies[1]["occurred_at"]) == lapse
    arrived = hook.received[1][0]
    assert all(verified(secret, body, headers["X-OCOP-Signature"]) for _, headers, body in hook.received)
    ids = [headers["X-OCOP-Delivery"] for _, headers, _ in hook.received]
    assert len(set(ids)) == 2 and all(i.isdigit() for i in ids)
    assert arrived - time.monotonic() < 60
    with setup.app.app_context():
        assert db.session.scalar(select(FeedEvent.kind).order_by(FeedEvent.position.desc()).limit(1)) == "delisted"
        db.session.remove()


def test_a_worker_killed_mid_delivery_is_replaced_and_the_delivery_sent_again(deployed):
    setup = deployed("sqlite", "sqlite", CATALOG_JOBS_LEASE_SECONDS=2)
    with Hook(hang=lambda n: n == 1, longest=30).running() as hook:
        with setup.app.app_context():
            hooked("Sàn Sendo", hook.url)
            factories.recognised_product()
            transaction.commit()
            db.session.remove()
        first = setup.worker()
        hook.wait_for(1, timeout=20)                          # the first POST hangs: its worker is mid-job
        first.send_signal(signal.SIGKILL)
        first.wait()
        hook.release.set()
        setup.worker()
        hook.wait_for(2, timeout=30)
        ids = [headers["X-OCOP-Delivery"] for _, headers, _ in hook.received]
    assert ids[0] == ids[1], "the same delivery, sent again, with the same id for the receiver to drop"
    with setup.app.app_context():
        wait_until(lambda: db.session.scalar(select(WebhookDelivery.status)) == "delivered"
                   or db.session.rollback(), 10, "the second attempt is recorded")
        db.session.remove()


@needs_redis
def test_two_workers_on_redis_share_the_deliveries_and_send_each_once(deployed):
    setup = deployed("sqlite", "redis")
    with Hook().running() as hook:
        with setup.app.app_context():
            for name in ("Sàn A", "Sàn B"):
                hooked(name, hook.url)
            for _ in range(6):
                factories.recognised_product()
                transaction.commit()                          # each commit queues its own delivery job
            db.session.remove()
        setup.worker()
        setup.worker()
        hook.wait_for(12, timeout=30)
        time.sleep(1.5)                                       # a sweep or two: nothing is sent twice
        got = [(headers["X-OCOP-Delivery"]) for _, headers, _ in hook.received]
    assert len(got) == 12 and len(set(got)) == 12


def test_a_read_with_a_bad_key_answers_at_once_while_another_connection_writes(deployed, tmp_path):
    setup = deployed("sqlite", "sqlite")
    with setup.app.app_context():
        factories.recognised_product()
        transaction.commit()                                  # the feed head: nothing checked yet, a catch-up due
        url = str(db.engine.url.database)
        db.session.remove()
    import sqlite3
    writer = sqlite3.connect(url, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")                         # someone else holds SQLite's write lock
    try:
        client = setup.app.test_client()
        started = time.monotonic()
        answer = client.get("/api/v1/changes", headers={"Authorization": "Bearer ocop_not-a-key"})
        took = time.monotonic() - started
        missing = client.get("/api/v1/products")
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert answer.status_code == 401 and missing.status_code == 401
    assert took < 1.0, f"an invalid key waited {took:.1f} s for the write lock"


# -- failures, retried by hand ---------------------------------------------------------------------

RUNS: list[str] = []


@jobs.job("tests.flaky", "Test job", retries=2, retry_delay=0)
def flaky(outcome: str) -> str:
    RUNS.append(outcome)
    if outcome == "fail" and RUNS.count("fail") <= 3:
        raise RuntimeError("the partner's server said no")
    return outcome


def test_a_job_that_keeps_failing_stops_after_its_tries_and_is_listed_with_a_retry_button(deployed):
    RUNS.clear()
    setup = deployed("sqlite", "sqlite")
    consumer = jobs.consumer(setup.app, workers=1, periodic=False)
    consumer.start()
    try:
        with setup.app.app_context():
            assert jobs.enqueue("tests.flaky", "fail")
            wait_until(lambda: db.session.scalar(select(func.count()).select_from(JobFailure))
                       or db.session.rollback(), 20, "the failure is recorded")
            time.sleep(0.5)
            assert RUNS == ["fail"] * 3                         # one try and two retries, then it stops
            failure = db.session.scalars(select(JobFailure)).one()
            assert (failure.name, failure.args, failure.tries) == ("tests.flaky", ["fail"], 3)
            assert "the partner's server said no" in failure.error
            admin = factories.user("admin")
            email, failure_id = admin.email, failure.id
            transaction.commit()
            db.session.remove()
        client = setup.app.test_client()
        client.post("/admin/login", data={"email": email, "password": factories.PASSWORD,
                                          "csrf_token": factories.csrf_token(client)})
        page = client.get("/admin/jobs?lang=en").get_data(as_text=True)
        assert "Test job" in page and "the partner&#39;s server said no" in page and "Retry" in page
        token = factories.csrf_token(client, "/admin/jobs")
        retried = client.post(f"/admin/jobs/{failure_id}/retry", data={"csrf_token": token})
        assert retried.status_code == 303
        wait_until(lambda: len(RUNS) == 4, 20, "the retried job runs")
        assert RUNS[-1] == "fail"                               # its fourth run succeeds (the flaky rule)
        again = client.post(f"/admin/jobs/{failure_id}/retry", data={"csrf_token": token})
        assert again.status_code == 409
        with setup.app.app_context():
            assert db.session.get(JobFailure, failure_id).retried_by == email
            db.session.remove()
    finally:
        consumer.stop(graceful=True)


def test_healthz_says_degraded_when_work_waits_too_long(deployed):
    setup = deployed("sqlite", "sqlite", CATALOG_JOBS_STALE_SECONDS=1)
    with setup.app.app_context():
        factories.recognised_product()
        transaction.commit()
        db.session.remove()
    client = setup.app.test_client()
    assert client.get("/healthz").get_json()["status"] == "ok"
    time.sleep(1.2)
    body = client.get("/healthz").get_json()
    assert body["status"] == "degraded" and body["jobs"]["oldest_waiting_seconds"] > 1
    setup.worker()
    wait_until(lambda: client.get("/healthz").get_json()["status"] == "ok", 20, "the worker catches up", setup)


class Silent:
    """A TCP server that accepts connections and never answers: a hung search engine."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.server.getsockname()[1]}"
        self.held: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        with contextlib.suppress(OSError):
            while True:
                self.held.append(self.server.accept()[0])

    def close(self):
        self.server.close()
        for connection in self.held:
            connection.close()


def test_admin_saves_return_at_once_while_the_search_engine_and_a_webhook_endpoint_hang(deployed):
    engine = Silent()
    setup = deployed("sqlite", "sqlite", MEILI_URL=engine.url, MEILI_TIMEOUT=1)
    try:
        with Hook(hang=lambda n: True, longest=10).running() as hook:
            with setup.app.app_context():
                hooked("Sàn Treo", hook.url)
                item = factories.recognised_product()
                editor = factories.user("editor")
                transaction.commit()
                product_id, producer_id, email = item.id, item.producer_id, editor.email
                db.session.remove()
            setup.worker()
            hook.wait_for(1, timeout=20)                      # a worker is stuck on the endpoint
            client = setup.app.test_client()
            client.post("/admin/login", data={"email": email, "password": factories.PASSWORD,
                                              "csrf_token": factories.csrf_token(client)})
            took = []
            for packaging in ("hộp 3kg", "hộp 1kg", "hộp 2kg"):
                token = factories.csrf_token(client, f"/admin/products/{product_id}/edit")
                started = time.monotonic()
                saved = client.post(f"/admin/products/{product_id}/edit", data={
                    "name": "Cam sành Hà Giang", "producer_id": str(producer_id), "product_set": "1",
                    "packaging": packaging, "csrf_token": token})
                took.append(time.monotonic() - started)
                assert saved.status_code == 303, saved.get_data(as_text=True)[:300]
            assert max(took) < 2.0, f"admin saves took {took} s while the engine and the endpoint hung"

            def postponed():
                with setup.app.app_context():
                    rows = db.session.scalars(select(SearchOutboxEntry)).all()
                    db.session.remove()
                    return rows and all(r.attempts >= 1 and "meilisearch" in (r.last_error or "") for r in rows)
            wait_until(postponed, 30, "the worker tries the engine, and keeps the updates for later", setup)
            hook.release.set()
    finally:
        engine.close()


def test_a_large_import_is_checked_and_applied_by_a_worker_while_its_page_follows(deployed):
    setup = deployed("sqlite", "sqlite")
    with setup.app.app_context():
        email = factories.user("officer").email
        transaction.commit()
        db.session.remove()
    client = setup.app.test_client()
    client.post("/admin/login", data={"email": email, "password": factories.PASSWORD,
                                      "csrf_token": factories.csrf_token(client)})
    answer = upload(client, "/admin/imports/preview", "decisions", csv_bytes(many_rows(220)), "qd-lon.csv")
    assert answer.status_code == 303
    page = answer.headers["Location"] + "?lang=en"
    waiting = client.get(page).get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="2">' in waiting and "Waiting for a worker" in waiting
    setup.worker()
    preview = wait_until(lambda: (html := client.get(page).get_data(as_text=True)) and "Confirm import" in html
                         and html, 60, "the worker checks the file", setup)
    assert "220 rows" in preview and 'http-equiv="refresh"' not in preview
    token = re.search(r'name="token" value="([0-9a-f]{32})"', preview).group(1)
    confirmed = client.post("/admin/imports/confirm", data={"token": token,
                                                            "csrf_token": factories.csrf_token(client, page)})
    assert confirmed.status_code == 303
    wait_until(lambda: "Imported qd-lon.csv: 220 rows" in client.get(page).get_data(as_text=True), 60,
               "the worker imports the file", setup)
