"""The change feed under concurrent writers and readers, each thread with its own app context and connection.

Writers recognise, revoke and edit products and commit while time runs (a
ticker moves the shared clock an hour every few milliseconds, so
recognitions start and lapse mid-run) and readers follow the feed: one with
``events_after`` in short transactions, one through ``GET /api/v1/changes``
(which catches up with time first), one calling ``catch_up`` and committing.
Every batch a reader gets must continue exactly where it stopped: a gap
that later fills would make a partner skip an event for good.

Last, a transaction shape the feed must survive: a savepoint rolled back
after a product changed.
"""
from __future__ import annotations

import datetime as dt
import itertools
import threading
import time
from collections.abc import Callable

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, OperationalError

from catalog import create_app
from catalog.kernel import calendar, catalogue, clock, recognitions
from catalog.kernel.db import db
from catalog.kernel.models.producers import Producer
from catalog.kernel.models.products import Product
from catalog.kernel.models.recognitions import Recognition
from catalog.kernel.models.units import Commune
from catalog.kernel.visibility import visible_products
from catalog.partners import feed
from catalog.partners import operations as partners
from catalog.partners.feed_models import FeedEvent
from catalog.partners.models import Partner, WebhookDelivery
from catalog.platform import transaction
from tests import factories
from tests.factories import DECISION, REVOCATION

BASE = calendar.start_of_day(dt.date(2025, 3, 1)) + dt.timedelta(hours=9)
TICK = dt.timedelta(hours=1)
WRITERS = 3
JOIN_SECONDS = 30          # a thread still running then is stuck: the test fails instead of hanging CI


def make_app(url: str):
    options = {"pool_pre_ping": True}
    if url.startswith("postgresql"):        # a lock wait longer than this is a hang: an error, not a stuck CI job
        options["connect_args"] = {"options": "-c lock_timeout=10000 -c statement_timeout=20000"}
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "x", "SQLALCHEMY_ENGINE_OPTIONS": options,
                      "CATALOG_API_RATE_LIMIT": "1000000 per minute"})
    with app.app_context():
        upgrade()
        db.session.remove()
    return app


class Race:
    """Threads that record their failures (an assert in a thread would only print) and a bounded join."""

    def __init__(self):
        self.failures: list[str] = []
        self.threads: list[threading.Thread] = []
        self.writers_done = threading.Event()

    def spawn(self, target: Callable[[], None], name: str) -> None:
        def run():
            try:
                target()
            except Exception as exc:  # noqa: BLE001 - reported by run()
                self.failures.append(f"{name}: {exc!r}")
        self.threads.append(threading.Thread(target=run, name=name, daemon=True))

    def fail(self, message: str) -> None:
        self.failures.append(message)

    def run(self) -> float:
        started = time.monotonic()
        for thread in self.threads:
            thread.start()
        deadline = started + JOIN_SECONDS
        for thread in self.threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        stuck = [t.name for t in self.threads if t.is_alive()]
        assert not stuck, f"threads still running after {JOIN_SECONDS} s (deadlock?): {stuck}"
        assert not self.failures, "\n".join(self.failures[:10])
        return time.monotonic() - started


class Follower:
    """A partner replaying the feed: positions must follow on, and each event must make sense where it lands."""

    def __init__(self, race: Race, name: str):
        self.race, self.name = race, name
        self.last, self.held, self.batches = 0, set(), 0
        self.seen: list[tuple[int, str, int]] = []

    def take(self, positions_and_events: list[tuple[int, str, int]]) -> None:
        positions = [p for p, _, _ in positions_and_events]
        expected = list(range(self.last + 1, self.last + 1 + len(positions)))
        if positions != expected:
            self.race.fail(f"{self.name} read positions {positions[:5]}... after {self.last}, "
                           f"expected {expected[:5]}...")
            raise AssertionError("feed out of order")
        for position, kind, product_id in positions_and_events:
            if (kind == "listed") == (product_id in self.held) or (kind == "updated" and product_id not in self.held):
                self.race.fail(f"{self.name}: event {position} {kind} product {product_id} "
                               f"while it is {'held' if product_id in self.held else 'not held'}")
            (self.held.discard if kind == "delisted" else self.held.add)(product_id)
        self.seen += positions_and_events
        if positions:
            self.last = positions[-1]
            self.batches += 1


def retrying(work: Callable[[], None], sqlite: bool) -> None:
    """Run ``work`` in its own transaction and commit as a request does; on SQLite, retry "database is locked"
    (a read snapshot overtaken by another writer cannot become a write: the client retries)."""
    for attempt in itertools.count():
        try:
            work()
            transaction.commit()
            return
        except OperationalError as exc:
            db.session.rollback()
            if not sqlite or "locked" not in str(exc) or attempt > 200:
                raise
            time.sleep(0.002)


def build_catalog(app) -> dict[str, list[int]]:
    """Products for each writer, and products that only time changes."""
    made: dict[str, list[int]] = {"expiring": [], "starting": []}
    with app.app_context():
        clock.set_now(BASE)
        numbers = itertools.count(1)

        def recognised(decision_date: dt.date, producer_id: int) -> int:
            item = factories.product(producer_id=producer_id)
            recognitions.recognise(item, actor="setup", **{**DECISION, "decision_date": decision_date,
                                                            "decision_number": f"{next(numbers)}/QĐ-UBND"})
            return item.id

        shared = factories.producer()
        for day in range(4):    # lapse at the end of 1..4 March 2025 and start 2..5 March 2025, mid-run
            made["expiring"] += [recognised(dt.date(2022, 3, 1) + dt.timedelta(days=day), shared.id) for _ in range(2)]
            made["starting"] += [recognised(dt.date(2025, 3, 2) + dt.timedelta(days=day), shared.id)
                                 for _ in range(2)]
        for writer in range(WRITERS):
            own = factories.producer()
            made[f"fresh{writer}"] = [factories.product(producer_id=own.id).id for _ in range(2)]
            made[f"held{writer}"] = [recognised(DECISION["decision_date"], own.id) for _ in range(3)]   # one kept
            made[f"lapsing{writer}"] = [recognised(dt.date(2022, 3, 1) + dt.timedelta(days=d), own.id)
                                        for d in range(3)]
            made[f"producer{writer}"] = [own.id]
        partners.create_partner(name="Sàn theo dõi", webhook_url="https://partner.example.vn/hook")
        transaction.commit()
        feed.catch_up()
        transaction.commit()
        db.session.remove()
    return made


def writer(app, made: dict[str, list[int]], n: int, sqlite: bool) -> Callable[[], None]:
    def work():
        with app.app_context():
            numbers = itertools.count(1000 * (n + 1))

            def recognise(product_id):
                recognitions.recognise(product_id, actor=f"officer{n}", **{
                    **DECISION, "decision_date": calendar.local_date(clock.now()),
                    "decision_number": f"{next(numbers)}/QĐ-UBND"})

            def revoke(product_id):
                recognition = db.session.scalar(select(Recognition).where(Recognition.product_id == product_id))
                recognitions.revoke(recognition, actor=f"officer{n}",
                                    **{**REVOCATION, "revoked_on": calendar.local_date(clock.now())})

            def edit(product_id, packaging):
                catalogue.update_product(catalogue.get_product(product_id), packaging=packaging)

            def rename_producer(producer_id, name):
                catalogue.update_producer(db.session.get(Producer, producer_id), name=name)

            fresh, held, lapsing, producer = (made[f"{k}{n}"] for k in ("fresh", "held", "lapsing", "producer"))
            steps: list[Callable[[], None]] = [
                lambda: recognise(fresh[0]), lambda: edit(held[0], "hộp 3kg"), lambda: edit(lapsing[0], "túi 1kg"),
                lambda: rename_producer(producer[0], f"HTX số {n}"), lambda: recognise(fresh[1]),
                lambda: edit(lapsing[1], "túi 2kg"), lambda: edit(held[1], "hộp 2kg"), lambda: revoke(held[0]),
                lambda: edit(fresh[0], "hộp mới"), lambda: edit(lapsing[2], "túi 3kg"), lambda: revoke(held[1]),
                lambda: rename_producer(producer[0], f"Hợp tác xã số {n}")]
            for step in steps:
                retrying(step, sqlite)
            db.session.remove()
    return work


def strict_reader(race: Race, app, follower: Follower) -> Callable[[], None]:
    def work():
        with app.app_context():
            while True:
                done = race.writers_done.is_set()
                batch = [(e.position, e.kind, e.product_id) for e in feed.events_after(follower.last, 100)]
                db.session.rollback()                       # a short transaction per batch
                follower.take(batch)
                if done and not batch:
                    break
                time.sleep(0.001)                           # let the writers have the GIL now and then
            db.session.remove()
    return work


def api_reader(race: Race, app, key: str, follower: Follower, sqlite: bool) -> Callable[[], None]:
    def work():
        client = app.test_client()
        while True:
            done = race.writers_done.is_set()
            response = client.get(f"/api/v1/changes?after={follower.last}&limit=100",
                                  headers={"Authorization": f"Bearer {key}"})
            # No retry: on SQLite the request takes the write lock first (BEGIN IMMEDIATE), so its
            # catch-up can never be refused for reading a snapshot another writer has overtaken.
            assert response.status_code == 200, response.get_data(as_text=True)[:300]
            page = response.get_json()
            batch = [(int(e["position"]), e["kind"], e["product_id"]) for e in page["events"]]
            follower.take(batch)
            assert page["next_cursor"] == str(follower.last)
            if done and not batch:
                break
            time.sleep(0.001)
    return work


def catching_up(race: Race, app, sqlite: bool) -> Callable[[], None]:
    def work():
        with app.app_context():
            while not race.writers_done.is_set():
                retrying(feed.catch_up, sqlite)
                time.sleep(0.001)
            db.session.remove()
    return work


def freeze(app, instant: dt.datetime) -> None:
    """Pin ``app``'s clock (each app has its own)."""
    with app.app_context():
        clock.set_now(instant)


def ticker(race: Race, app) -> None:
    with app.app_context():                    # the clock is the app's: every thread's context sees it move
        while not race.writers_done.is_set():
            clock.set_now(clock.now() + TICK)
            time.sleep(0.003)


def run_race(app, sqlite: bool) -> None:
    made = build_catalog(app)
    with app.app_context():
        key = partners.issue_key(db.session.scalar(select(Partner)))
        transaction.commit()
        db.session.remove()
    race = Race()
    strict, through_api = Follower(race, "events_after reader"), Follower(race, "API reader")
    for n in range(WRITERS):
        race.spawn(writer(app, made, n, sqlite), f"writer{n}")
    writers = list(race.threads)
    race.spawn(strict_reader(race, app, strict), "strict reader")
    race.spawn(api_reader(race, app, key, through_api, sqlite), "API reader")
    race.spawn(catching_up(race, app, sqlite), "catch-up reader")
    race.spawn(lambda: ticker(race, app), "ticker")

    def when_writers_finish():
        for thread in writers:
            thread.join(JOIN_SECONDS)
        with app.app_context():
            while clock.now() < BASE + dt.timedelta(days=6):       # past every lapse and start, however fast
                time.sleep(0.01)
        race.writers_done.set()
    race.spawn(when_writers_finish, "referee")
    race.run()

    with app.app_context():
        end, before_final = clock.now(), feed.head_position()
        feed.catch_up(end)
        transaction.commit()
        positions = list(db.session.scalars(select(FeedEvent.position).order_by(FeedEvent.position)))
        assert positions == list(range(1, len(positions) + 1)) and feed.head_position() == len(positions)
        replay = Follower(race, "replay")
        replay.take([(e.position, e.kind, e.product_id) for e in feed.events_after(0, 100_000)])
        assert not race.failures, race.failures
        visible = set(db.session.scalars(visible_products(end).with_only_columns(Product.id)))
        assert replay.held == visible == feed.listed_ids()
        # the readers saw the same feed, in the same order, as it was being written (all but what
        # catch-up readers and the final catch_up appended after they stopped)
        for follower in (strict, through_api):
            assert follower.seen == replay.seen[:len(follower.seen)] and len(follower.seen) > len(positions) // 2
        kinds = db.session.execute(select(FeedEvent.kind, FeedEvent.reason, func.count()).group_by(
            FeedEvent.kind, FeedEvent.reason)).all()
        counted = {(kind, reason): n for kind, reason, n in kinds}
        assert {("listed", None), ("updated", None), ("delisted", "revoked"), ("delisted", "expired")} <= set(counted)
        assert strict.batches > 1 and through_api.batches > 1, "the readers followed while it was written"
        # no writer touches these: only catching up (readers, the API) could list or delist them mid-run
        only_time = made["expiring"] + made["starting"]
        timed = set(db.session.scalars(select(FeedEvent.kind).where(
            FeedEvent.position <= before_final, FeedEvent.product_id.in_(only_time))))
        assert {"listed", "delisted"} <= timed, "catch_up appended events while writers wrote"
        # one webhook delivery per event, queued in the event's transaction
        assert sorted(db.session.scalars(select(WebhookDelivery.position))) == positions
        db.session.remove()
        db.engine.dispose()


@pytest.fixture()
def fast_time(monkeypatch):
    """The ticker runs the clock about a million times faster than real time: keep the API key's
    "last used" touch (at most every 5 minutes) from turning every partner read into a write."""
    monkeypatch.setattr(partners, "TOUCH_EVERY", dt.timedelta(days=3650))


@pytest.mark.postgres
def test_concurrent_writers_and_readers_on_postgresql(scratch_database, fast_time):
    run_race(make_app(scratch_database("postgresql")), sqlite=False)


def test_concurrent_writers_and_readers_on_sqlite(scratch_database, fast_time):
    run_race(make_app(scratch_database("sqlite")), sqlite=True)


@pytest.mark.postgres
def test_catch_up_racing_writers_over_the_same_lapse_appends_each_event_once(scratch_database):
    """Readers catching up and writers touching the very products that just lapsed, released together."""
    app = make_app(scratch_database("postgresql"))
    with app.app_context():
        freeze(app, BASE)
        producer = factories.producer()
        lapsing = []
        for i in range(12):
            item = factories.product(producer_id=producer.id)
            recognitions.recognise(item, actor="setup", **{**DECISION, "decision_date": dt.date(2022, 3, 1 + i % 3),
                                                           "decision_number": f"{i + 1}/QĐ-UBND"})
            lapsing.append(item.id)
        transaction.commit()
        feed.catch_up()
        transaction.commit()
        start = feed.head_position()
        db.session.remove()

    for day in range(3):                                    # each round: the clock passes one day's lapses
        freeze(app, calendar.end_of_day(dt.date(2025, 3, 1 + day)) + dt.timedelta(seconds=1))
        race = Race()
        gate = threading.Barrier(6)

        def reader(gate=gate):
            with app.app_context():
                gate.wait()
                feed.catch_up()
                transaction.commit()
                db.session.remove()

        def toucher(ids, gate=gate, packaging=f"hộp {day}"):
            def work():
                with app.app_context():
                    gate.wait()
                    for product_id in ids:
                        catalogue.update_product(catalogue.get_product(product_id), packaging=packaging)
                    transaction.commit()
                    db.session.remove()
            return work

        for i in range(3):
            race.spawn(reader, f"reader{i}")
            race.spawn(toucher(lapsing[i::3]), f"writer{i}")
        assert race.run() < 5

    with app.app_context():
        events = [(e.product_id, e.kind, e.reason) for e in feed.events_after(start, 1000)]
        delisted = [p for p, kind, reason in events if kind == "delisted"]
        assert sorted(delisted) == sorted(lapsing), "each lapsed product delisted exactly once"
        assert all(reason == "expired" for _, kind, reason in events if kind == "delisted")
        assert [p for p, kind, _ in events if kind == "listed"] == []
        positions = [e.position for e in feed.events_after(0, 1000)]
        assert positions == list(range(1, len(positions) + 1))
        assert feed.listed_ids() == set(db.session.scalars(visible_products().with_only_columns(Product.id))) == set()
        db.session.remove()
        db.engine.dispose()


# -- a transaction inside the transaction -------------------------------------------------------------

def test_a_savepoint_rolled_back_after_a_change_keeps_the_change_in_the_feed(session, frozen_clock):
    """Work that tries an insert in a savepoint and carries on if it fails (as stamp issuing does on a
    code collision) must not make the feed forget the product changed earlier in the transaction."""
    frozen_clock(BASE)
    feed.catch_up()
    start = feed.head_position()
    taken = factories.commune().code
    item = factories.recognised_product()                   # flushed: the feed must list it at commit
    with pytest.raises(IntegrityError):
        with db.session.begin_nested():
            db.session.add(Commune(code=taken, name="Trùng mã", kind="xa", province_code="08"))
            db.session.flush()
    factories.index_now()
    assert [(e.product_id, e.kind) for e in feed.events_after(start, 10)] == [(item.id, "listed")]
    assert item.id in feed.listed_ids()
