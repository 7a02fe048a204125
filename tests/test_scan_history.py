"""A scan costs the same whatever the stamp's history: its counts and suspicion come from tallies kept
with the scan log, exact under concurrent scans, equal to what the log itself says, backfilled by the migration."""
import datetime as dt
import random
import re
import threading

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import event, insert, select
from sqlalchemy.engine import Engine

from catalog import create_app
from catalog.kernel import calendar
from catalog.kernel.db import db
from catalog.trace import verdicts
from catalog.trace.models import scans as scan_log
from catalog.trace.models.scans import Scan, ScanClient, ScanTally
from catalog.trace.models.stamps import Stamp
from tests import factories

NOW = calendar.start_of_day(dt.date(2026, 6, 1)) + dt.timedelta(hours=9)
PHONE = {"User-Agent": "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/130.0 Mobile Safari/537.36"}
REPEAT = verdicts.SuspicionPolicy().repeat


@pytest.fixture()
def two_stamps(session, frozen_clock):
    frozen_clock(NOW)
    _product, _lot, batch = factories.stamped_product()
    factories.index_now()
    return session.scalars(select(Stamp).where(Stamp.batch_id == batch.id).order_by(Stamp.serial).limit(2)).all()


def add_history(stamp: Stamp, n: int) -> None:
    """``n`` scans of ``stamp`` before NOW, written in bulk as an old log would hold them, then tallied."""
    rows = [{"stamp_id": stamp.id, "code": stamp.code, "verdict": "genuine", "network": "198.51.100.0/24",
             "agent": "Chrome/Android", "scanned_at": NOW - dt.timedelta(days=2, minutes=n - i)} for i in range(n)]
    db.session.execute(insert(Scan.__table__), rows)
    scan_log.recount()
    factories.index_now()


def reference(rows, at, policy, this=None):
    """What the log says, the way the scan page computed it from every row before the tallies:
    (scans, distinct scans, first scan, networks within the window), ``this`` scan appended."""
    rows = sorted(rows) + ([this] if this else [])
    distinct, last_seen = 0, {}
    for when, network, agent in rows:
        device = (network or "", agent or "")
        if device not in last_seen or when - last_seen[device] > policy.repeat:
            distinct += 1
        last_seen[device] = when
    networks = {network for when, network, _ in rows if at - when <= policy.window and network}
    return len(rows), distinct, rows[0][0] if rows else None, len(networks)


def log_rows(stamp_id):
    return [tuple(r) for r in db.session.execute(
        select(Scan.scanned_at, Scan.network, Scan.agent).where(Scan.stamp_id == stamp_id))]


def tallies(stamp_id):
    tally = db.session.get(ScanTally, stamp_id)
    db.session.refresh(tally)
    return tally


# -- the cost does not grow ----------------------------------------------------------------

def test_a_scan_reads_no_scan_rows_of_the_stamps_history(client, two_stamps):
    """Every statement a scan (page and API) sends touches the scan log only to add its own row."""
    fresh, old = two_stamps
    add_history(old, 300)
    statements: list[str] = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(Engine, "before_cursor_execute", seen)
    try:
        for path in (f"/s/{old.code}", f"/api/v1/stamps/{old.code}"):
            assert client.get(path, headers={**PHONE, "Accept": "application/json"}).get_json()["scans"]["count"] \
                == 301
    finally:
        event.remove(Engine, "before_cursor_execute", seen)
    reading_the_log = [s for s in statements if re.search(r"\b(FROM|JOIN)\s+scans\b", s)]
    assert reading_the_log == []
    assert any(s.startswith("INSERT INTO scans ") for s in statements)


def test_a_scan_does_the_same_work_with_thousands_of_earlier_scans(client, two_stamps, session):
    """SQLite's virtual machine steps for a scan (page and API) of a stamp with 5,000 earlier scans are those of
    a stamp never scanned, give or take a few: counted with SQLite's progress handler, deterministically."""
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("counts SQLite's virtual machine steps")
    fresh, old = two_stamps
    add_history(old, 5000)
    raw = session.connection().connection.driver_connection
    steps = [0]

    def step() -> int:
        steps[0] += 1
        return 0

    def work(code: str) -> int:
        client.get(f"/s/{code}", headers=PHONE)           # warm: statements compiled, pages cached
        steps[0] = 0
        raw.set_progress_handler(step, 10)
        try:
            assert client.get(f"/s/{code}", headers=PHONE).status_code == 200
            assert client.get(f"/api/v1/stamps/{code}").status_code == 200
        finally:
            raw.set_progress_handler(None, 10)
        return steps[0]

    without, with_history = work(fresh.code), work(old.code)
    assert with_history <= without * 1.1 + 50, (without, with_history)


# -- the same answers as the log -----------------------------------------------------------

def test_counts_first_scan_and_suspicion_are_those_the_log_gives(two_stamps, frozen_clock):
    """300 scans from a few phones at uneven times (some exactly ``repeat`` apart): each verdict's count, first
    scan and suspicion are those computed from every row of the log, and the tallies equal a recount."""
    stamp = two_stamps[0]
    policy = verdicts.SuspicionPolicy(max_scans=60, max_networks=3)
    rng = random.Random(7)
    devices = [(f"203.0.{n}.0/24", agent) for n in range(6) for agent in ("Zalo/Android", "Safari/iOS")]
    devices += [(None, None)]
    at = NOW
    for n in range(300):
        at += rng.choice([dt.timedelta(seconds=5), REPEAT, REPEAT + dt.timedelta(microseconds=1),
                          dt.timedelta(hours=2), dt.timedelta(minutes=rng.randint(1, 90))])
        network, agent = rng.choice(devices[:3] if n < 150 else devices)
        frozen_clock(at)
        record = n % 10 != 9                       # now and then a partner's check, not logged
        verdict = verdicts.resolve(stamp.code, verdicts.Client(network, agent), policy=policy, record=record)
        count, distinct, first, networks = reference(log_rows(stamp.id), at, policy,
                                                     (at, network, agent) if record else None)
        assert (verdict.scan_count, verdict.first_scan_at) == (count, first), n
        assert (verdict.verdict == "suspicious") == (distinct > policy.max_scans or networks > policy.max_networks), n
        verdicts.log(verdict)
    kept = tallies(stamp.id)
    counted = (kept.scans, kept.distinct_scans, kept.clients, kept.first_scan_at, kept.last_scan_at)
    rows = log_rows(stamp.id)
    assert kept.scans == len(rows) == 270
    assert kept.clients == len({(net or "", agent or "") for _, net, agent in rows})
    assert kept.distinct_scans == reference(rows, at, policy)[1]
    scan_log.recount()
    again = tallies(stamp.id)
    assert (again.scans, again.distinct_scans, again.clients, again.first_scan_at, again.last_scan_at) == counted


def test_suspicion_still_flags_many_networks_and_many_scans(client, two_stamps, frozen_clock):
    stamp = two_stamps[0]
    for n in range(21):                                  # 21 phones, an hour apart: more than 20 distinct scans
        frozen_clock(NOW + dt.timedelta(hours=n))
        data = client.get(f"/s/{stamp.code}", headers={**PHONE, "Accept": "application/json"},
                          environ_base={"REMOTE_ADDR": f"10.{n % 3}.0.1"}).get_json()
    assert data["verdict"] == "suspicious" and data["scans"]["count"] == 21


# -- exact under concurrency -----------------------------------------------------------------

@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_concurrent_scans_of_one_stamp_are_all_counted(scratch_database, backend):
    app = create_app({"DATABASE_URL": scratch_database(backend), "SECRET_KEY": "x",
                      "CATALOG_SCAN_RATE_LIMIT": "100000 per minute"})
    with app.app_context():
        upgrade()
        _product, _lot, batch = factories.stamped_product()
        db.session.commit()
        stamp_id, code = db.session.execute(select(Stamp.id, Stamp.code).where(Stamp.batch_id == batch.id)
                                            .order_by(Stamp.serial).limit(1)).one()
        db.session.remove()

    threads, each = 8, 15
    barrier = threading.Barrier(threads)
    statuses: list[int] = []

    def phone(n: int) -> None:
        client = app.test_client()
        barrier.wait()
        for _ in range(each):
            response = client.get(f"/s/{code}", headers=PHONE, environ_base={"REMOTE_ADDR": f"192.0.2.{n % 4}"})
            statuses.append(response.status_code)

    workers = [threading.Thread(target=phone, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    with app.app_context():
        assert statuses == [200] * threads * each
        tally = db.session.get(ScanTally, stamp_id)
        rows = log_rows(stamp_id)
        assert tally.scans == len(rows) == threads * each
        assert tally.clients == 1                          # one /24, one browser: one client
        assert tally.distinct_scans == 1                   # all within minutes: one phone's reloads
        assert tally.first_scan_at == min(r[0] for r in rows) and tally.last_scan_at == max(r[0] for r in rows)
        assert db.session.scalar(select(ScanClient.visits).where(ScanClient.stamp_id == stamp_id)) == 1
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_concurrent_scans_from_many_phones_count_each_once(scratch_database, backend):
    app = create_app({"DATABASE_URL": scratch_database(backend), "SECRET_KEY": "x",
                      "CATALOG_SCAN_RATE_LIMIT": "100000 per minute"})
    with app.app_context():
        upgrade()
        _product, _lot, batch = factories.stamped_product()
        db.session.commit()
        stamp_id, code = db.session.execute(select(Stamp.id, Stamp.code).where(Stamp.batch_id == batch.id)
                                            .order_by(Stamp.serial).limit(1)).one()
        db.session.remove()

    threads, each = 6, 20
    barrier = threading.Barrier(threads)

    def phones(n: int) -> None:
        with app.app_context():
            barrier.wait()
            for k in range(each):
                client = verdicts.Client(f"10.{n}.{k}.0/24", "Chrome/Android")
                verdict = verdicts.resolve(code, client)
                db.session.rollback()                  # the reads end before the write, as a scan request's do
                verdicts.log(verdict)
                db.session.commit()
            db.session.remove()

    workers = [threading.Thread(target=phones, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    with app.app_context():
        tally = db.session.get(ScanTally, stamp_id)
        assert (tally.scans, tally.distinct_scans, tally.clients) == (threads * each,) * 3
        assert len(log_rows(stamp_id)) == threads * each
        db.session.remove()
        db.engine.dispose()


# -- the migration -------------------------------------------------------------------------

@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_the_migration_tallies_the_scans_already_logged(scratch_database, backend):
    app = create_app({"DATABASE_URL": scratch_database(backend), "SECRET_KEY": "x"})
    policy = verdicts.SuspicionPolicy()
    with app.app_context():
        upgrade()
        _product, _lot, batch = factories.stamped_product()
        db.session.flush()
        stamps = db.session.scalars(select(Stamp).where(Stamp.batch_id == batch.id).order_by(Stamp.serial)).all()
        rng, at, rows = random.Random(3), NOW, []
        for n in range(400):
            at += rng.choice([dt.timedelta(seconds=30), REPEAT, REPEAT + dt.timedelta(seconds=1),
                              dt.timedelta(hours=3)])
            network, agent = rng.choice([("203.0.113.0/24", "Zalo/Android"), ("203.0.113.0/24", "Safari/iOS"),
                                         ("2001:db8::/48", "Chrome/Android"), (None, None)])
            rows.append({"stamp_id": stamps[n % 3].id, "code": stamps[n % 3].code, "scanned_at": at,
                         "verdict": "suspicious" if n == 398 else "genuine", "network": network, "agent": agent})
        rows.append({"stamp_id": None, "code": "NOTACODE", "scanned_at": at, "verdict": "unknown",
                     "network": None, "agent": None})
        db.session.execute(insert(Scan.__table__), rows)
        stamp_ids = [stamp.id for stamp in stamps[:4]]
        db.session.commit()
        db.session.remove()
        downgrade(revision="0008")
        upgrade()
        for n, stamp_id in enumerate(stamp_ids):
            logged = log_rows(stamp_id)
            tally = db.session.get(ScanTally, stamp_id)
            if not logged:
                assert tally is None
                continue
            count, distinct, first, _ = reference(logged, at, policy)
            assert (tally.scans, tally.distinct_scans, tally.first_scan_at) == (count, distinct, first)
            assert tally.clients == len({(net or "", agent or "") for _, net, agent in logged})
            assert tally.last_verdict == ("suspicious" if n == 398 % 3 else "genuine")
        db.session.remove()
        db.engine.dispose()
