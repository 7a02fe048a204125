"""Signing in under attack: parallel guessing, telling accounts apart, locking an officer out, replayed sessions."""
from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from catalog import create_app
from catalog.accounts import operations as accounts
from catalog.accounts.models import User
from catalog.kernel import clock
from catalog.kernel.db import db
from tests import factories

ATTACKER, OFFICE = "203.0.113.7", "198.51.100.20"
LOCAL = "127.0.0.1"         # the test client's own address: a session is tied to it ("strong" protection)


def post_login(client, email: str, password: str, address: str = ATTACKER, **kwargs):
    return client.post("/admin/login?lang=en", data={"email": email, "password": password,
                                                     "csrf_token": factories.csrf_token(client)},
                       environ_base={"REMOTE_ADDR": address}, **kwargs)


@pytest.fixture()
def hash_checks(monkeypatch):
    """Every password check the sign-in makes, as "real" (an account's hash) or "dummy"."""
    checks: list[str] = []

    def counted(pwhash: str, password: str) -> bool:
        checks.append("dummy" if pwhash == accounts._DUMMY_HASH else "real")
        return check_password_hash(pwhash, password)

    monkeypatch.setattr(accounts, "check_password_hash", counted)
    return checks


# -- 6. parallel guessing ------------------------------------------------------------------------

def _parallel_guessing(url: str, monkeypatch) -> None:
    options = {"pool_pre_ping": True}
    if url.startswith("postgresql"):
        options["connect_args"] = {"options": "-c lock_timeout=10000 -c statement_timeout=20000"}
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "x", "WTF_CSRF_ENABLED": False,
                      "SQLALCHEMY_ENGINE_OPTIONS": options, "CATALOG_LOGIN_RATE_LIMIT": "100000 per minute"})
    with app.app_context():
        upgrade()
        email = factories.user("officer").email
        db.session.commit()
        db.session.remove()

    real_checks: list[str] = []

    def slow(pwhash: str, password: str) -> bool:
        # A slow hash: every attempt has started (and been counted, or not) before any check ends.
        if pwhash != accounts._DUMMY_HASH:
            real_checks.append(password)
            time.sleep(0.4)
        return check_password_hash(pwhash, password)

    monkeypatch.setattr(accounts, "check_password_hash", slow)
    barrier = threading.Barrier(19)
    answers: dict[str, list[tuple[int, str]]] = {"wrong": [], "right": []}
    failures: list[str] = []

    def attempt(password: str, kind: str, wait: bool) -> None:
        try:
            if wait:
                barrier.wait(timeout=20)
            else:
                time.sleep(0.2)                 # the right password comes while the wrong ones are being checked
            response = app.test_client().post("/admin/login?lang=en", data={"email": email, "password": password})
            answers[kind].append((response.status_code, response.get_data(as_text=True)))
        except Exception as exc:  # noqa: BLE001 - reported below
            failures.append(repr(exc))

    threads = [threading.Thread(target=attempt, args=(f"wrong guess {n}", "wrong", True)) for n in range(19)]
    threads.append(threading.Thread(target=attempt, args=(factories.PASSWORD, "right", False)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    try:
        assert not failures, failures
        assert len(real_checks) == accounts.LOCK_AFTER, f"{len(real_checks)} passwords checked"
        assert factories.PASSWORD not in real_checks
        [(status, text)] = answers["right"]
        assert status == 401 and "locked until" in text
        assert sorted(status for status, _ in answers["wrong"]) == [401] * 19
        assert sum("locked until" in text for _, text in answers["wrong"]) == 19 - accounts.LOCK_AFTER
        from catalog.accounts.models import SignInEvent, SignInThrottle
        with app.app_context():
            account = db.session.scalar(select(User).where(User.email == email))
            assert account.last_login_at is None
            throttle = db.session.scalar(select(SignInThrottle))
            assert throttle.locks == 1 and throttle.locked_until is not None
            kinds = db.session.execute(select(SignInEvent.kind, func.count()).group_by(SignInEvent.kind)).all()
            assert dict(kinds) == {"failed": 20, "locked": 1}
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_parallel_guesses_get_no_more_password_checks_than_the_lock_allows_on_sqlite(scratch_database, monkeypatch):
    _parallel_guessing(scratch_database("sqlite"), monkeypatch)


@pytest.mark.postgres
def test_parallel_guesses_get_no_more_password_checks_than_the_lock_allows_on_postgresql(scratch_database,
                                                                                          monkeypatch):
    _parallel_guessing(scratch_database("postgresql"), monkeypatch)


# -- 7. no account probing, no locking an officer out ---------------------------------------------

def test_a_locked_account_and_an_unknown_address_answer_alike(client, session, hash_checks, frozen_clock):
    frozen_clock(dt.datetime(2026, 6, 1, 2, 0, tzinfo=dt.UTC))
    known = factories.user("officer").email
    unknown = "nobody-here@ocop.example.vn"
    for email in (known, unknown):
        for _ in range(accounts.LOCK_AFTER):
            assert post_login(client, email, "wrong").status_code == 401
    started = time.perf_counter()
    check_password_hash(accounts._DUMMY_HASH, "x")
    one_hash = time.perf_counter() - started

    answers = {}
    for email in (known, unknown):
        del hash_checks[:]
        started = time.perf_counter()
        response = post_login(client, email, factories.PASSWORD)
        elapsed = time.perf_counter() - started
        text = response.get_data(as_text=True)
        error = text[text.index('class="form-error"'):].split("</p>")[0]
        answers[email] = (response.status_code, error)
        assert hash_checks == ["dummy"], email              # one password hash, locked or unknown
        assert elapsed > one_hash * 0.5, (email, elapsed, one_hash)
    assert answers[known] == answers[unknown]
    assert answers[known][0] == 401 and "locked until 09:15" in answers[known][1]


def test_wrong_passwords_cost_one_hash_for_known_and_unknown_addresses(client, session, hash_checks):
    known = factories.user("officer").email
    post_login(client, known, "wrong")
    post_login(client, "nobody-here@ocop.example.vn", "wrong")
    assert hash_checks == ["real", "dummy"]


def test_an_attacker_elsewhere_does_not_lock_the_officer_out_and_the_officer_is_told(client, session, frozen_clock):
    frozen_clock(dt.datetime(2026, 6, 1, 2, 0, tzinfo=dt.UTC))
    officer = factories.user("officer")
    for _ in range(accounts.LOCK_AFTER + 2):
        post_login(client, officer.email, "guess")
    assert "locked until" in post_login(client, officer.email, factories.PASSWORD).get_data(as_text=True)
    # the same IPv6 /64 is one network: its addresses share one count
    for n in range(accounts.LOCK_AFTER):
        post_login(client, officer.email, "guess", address=f"2001:db8:1:2::{n + 1}")
    assert "locked until" in post_login(client, officer.email, factories.PASSWORD,
                                        address="2001:db8:1:2::99").get_data(as_text=True)

    frozen_clock(dt.datetime(2026, 6, 1, 2, 20, tzinfo=dt.UTC))
    signed_in = post_login(client, officer.email, factories.PASSWORD, address=OFFICE)
    assert signed_in.status_code == 303
    page = client.get("/admin/?lang=en", environ_base={"REMOTE_ADDR": OFFICE}).get_data(as_text=True)
    assert "8 failed sign-ins to your account from 203.0.113.7, between 1 Jun 2026 09:00 and 1 Jun 2026 09:00" \
        in page
    assert "6 failed sign-ins to your account from 2001:db8:1:2::/64" in page
    assert page.count("Signing in from there was locked 1 time.") == 2
    # shown once: the next sign-in has nothing to tell
    post_login(client.application.test_client(), officer.email, factories.PASSWORD, address=OFFICE)
    again = client.application.test_client()
    assert post_login(again, officer.email, factories.PASSWORD, address=OFFICE).status_code == 303
    page = again.get("/admin/?lang=en", environ_base={"REMOTE_ADDR": OFFICE}).get_data(as_text=True)
    assert "Since your last sign-in" not in page and 'class="flash"' not in page


def test_each_further_lock_lasts_twice_as_long(client, session, frozen_clock):
    frozen_clock(dt.datetime(2026, 6, 1, 2, 0, tzinfo=dt.UTC))
    email = factories.user("officer").email
    for until in ("09:15", "09:46", "10:47"):     # 15, then 30, then 60 minutes from each lock
        for _ in range(accounts.LOCK_AFTER):
            post_login(client, email, "guess")
        assert f"locked until {until}" in post_login(client, email, "guess").get_data(as_text=True)
        frozen_clock(clock.now() + dt.timedelta(minutes={"09:15": 16, "09:46": 31, "10:47": 61}[until]))
    assert post_login(client, email, factories.PASSWORD).status_code == 303


# -- 8. sessions end on the server ------------------------------------------------------------------

def _copy_session(source, target) -> None:
    target.set_cookie("session", source.get_cookie("session").value)


def test_a_session_cookie_replayed_after_signing_out_is_refused(app, client, session):
    factories.sign_in(client, "editor")
    stolen = app.test_client()
    _copy_session(client, stolen)
    assert stolen.get("/admin/").status_code == 200
    client.post("/admin/logout", data={"csrf_token": factories.csrf_token(client, "/admin/")})
    replay = stolen.get("/admin/")
    assert replay.status_code == 302 and "/admin/login" in replay.headers["Location"]


def test_a_new_password_ends_the_accounts_other_sessions_but_not_the_one_that_set_it(app, client, session):
    admin = factories.user("admin")
    other = app.test_client()
    for each in (client, other):
        assert post_login(each, admin.email, factories.PASSWORD, address=LOCAL).status_code == 303
    changed = other.post(f"/admin/users/{admin.id}", data={
        "role": "admin", "active": "1", "password": "a brand new long password",
        "csrf_token": factories.csrf_token(other, f"/admin/users/{admin.id}")})
    assert changed.status_code in (302, 303)
    assert other.get("/admin/").status_code == 200
    first = client.get("/admin/")
    assert first.status_code == 302 and "/admin/login" in first.headers["Location"]


def test_deactivating_or_resetting_an_account_ends_its_sessions(app, client, session):
    factories.sign_in(client, "admin")
    for change in ({"active": "1", "password": "reset by the administrator"}, {"active": ""}):
        officer = factories.user("officer")
        theirs = app.test_client()
        assert post_login(theirs, officer.email, factories.PASSWORD, address=LOCAL).status_code == 303
        assert theirs.get("/admin/").status_code == 200
        response = client.post(f"/admin/users/{officer.id}", data={
            "role": "officer", **change, "csrf_token": factories.csrf_token(client, f"/admin/users/{officer.id}")})
        assert response.status_code in (302, 303)
        assert theirs.get("/admin/").status_code == 302, change


def test_old_counts_of_failed_sign_ins_are_forgotten_but_running_locks_are_kept(client, session, frozen_clock):
    from catalog.accounts.models import SignInThrottle
    frozen_clock(dt.datetime(2026, 6, 1, 2, 0, tzinfo=dt.UTC))
    post_login(client, "someone@ocop.example.vn", "guess")
    for _ in range(accounts.LOCK_AFTER):
        post_login(client, "other@ocop.example.vn", "guess")
    frozen_clock(clock.now() + accounts.FORGET_AFTER + dt.timedelta(minutes=1))
    assert accounts.forget_stale_throttles() == 2
    assert session.scalar(select(func.count()).select_from(SignInThrottle)) == 0
