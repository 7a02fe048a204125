"""Test harness: a real database built by the migrations, one rolled-back transaction per test.

By default the suite runs on a SQLite file. Set ``CATALOG_TEST_DATABASE_URL``
to a PostgreSQL URL (``.ci/run`` does, with a fresh database) to run the whole
suite there. Tests marked ``postgres`` also need a PostgreSQL server of their
own (scratch databases they create and drop); without one they are skipped and
the reason is printed in the summary.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import os
import uuid

import pytest
import sqlalchemy as sa
from flask import g, has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade

from catalog import create_app
from catalog.kernel import clock
from catalog.kernel.db import db

# Jobs run where they are queued, at once, in every app the tests make (tests of the real worker say otherwise).
os.environ.setdefault("CATALOG_JOBS_IMMEDIATE", "1")

DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
TEST_DATABASE_URL = os.environ.get("CATALOG_TEST_DATABASE_URL", "")


def pytest_report_header(config):
    where = TEST_DATABASE_URL or "SQLite (temporary file)"
    return [f"catalog test database: {where}"]


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    return TEST_DATABASE_URL or f"sqlite:///{tmp_path_factory.mktemp('db') / 'catalog.sqlite3'}"


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    """The app on the test database, its schema built by ``db upgrade`` (not create_all)."""
    application = create_app({
        "TESTING": True,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key",
        # The suite scans far more than a phone would; the scan limit has a test of its own.
        "CATALOG_SCAN_RATE_LIMIT": "100000 per minute",
        "CATALOG_LOGIN_RATE_LIMIT": "100000 per minute",   # likewise for signing in
        "CATALOG_JOBS_IMMEDIATE": True,                      # jobs run at once, after the commit that queued them
        "CATALOG_WEBHOOKS_ALLOW_PRIVATE": True,              # the tests' endpoints listen on 127.0.0.1
    })
    application.instance_path = str(tmp_path_factory.mktemp("instance"))
    application.test_client_class = RequestClient
    with application.app_context():
        upgrade()
        db.session.remove()
    return application


@pytest.fixture()
def app_context(app):
    with app.app_context():
        yield app


@pytest.fixture()
def session(app_context):
    """``db.session`` inside a transaction that is rolled back after the test.

    The engine is swapped for one connection in an open transaction; the
    session joins it with SAVEPOINTs, so code under test may commit freely.
    """
    engines = db.engines
    engine = engines[None]
    connection = engine.connect()
    outer = connection.begin()
    engines[None] = connection
    db.session.remove()
    db.session.configure(join_transaction_mode="create_savepoint")
    try:
        yield db.session
    finally:
        db.session.remove()
        db.session.configure(join_transaction_mode="conditional_savepoint")
        engines[None] = engine
        if outer.is_active:
            outer.rollback()
        connection.close()


class RequestClient(FlaskClient):
    """A test client whose every request starts with a fresh ``g``, as each does in production.

    Tests hold an app context open for the rolled-back database session, and
    Flask lets a request share an app context that is already pushed, with its
    ``g``; that would carry one request's cached user, CSRF token, language or
    commit choice into the next.
    """

    def open(self, *args, **kwargs):
        if not has_app_context():
            return super().open(*args, **kwargs)
        kept = dict(vars(g))
        vars(g).clear()
        try:
            return super().open(*args, **kwargs)
        finally:
            vars(g).clear()
            vars(g).update(kept)


@pytest.fixture()
def client(app, session):
    return app.test_client()


@pytest.fixture(autouse=True)
def _release_clock(app):
    yield
    with app.app_context():
        clock.set_now(None)


@pytest.fixture(autouse=True)
def webhooks_held(monkeypatch):
    """Webhook deliveries stay queued until the test sends them (``webhooks.deliver_due(send=fake)``):
    the suite runs jobs at once in-process, and its partners' URLs lead nowhere. The tests of the real
    worker (tests/test_jobs.py) send them from worker processes."""
    from catalog.partners import webhooks
    from catalog.platform import jobs
    held = dataclasses.replace(jobs.JOBS[webhooks.DELIVER_JOB], run=lambda: 0)
    monkeypatch.setitem(jobs.JOBS, webhooks.DELIVER_JOB, held)


@pytest.fixture()
def frozen_clock(app):
    """Pin the app's clock: ``frozen_clock(dt.datetime(...))`` moves it; released after the test."""
    def move(instant: dt.datetime) -> dt.datetime:
        with app.app_context():
            clock.set_now(instant)
            return clock.now()
    return move


# -- PostgreSQL scratch databases ---------------------------------------------------------

def _admin_postgres_url() -> str:
    if TEST_DATABASE_URL.startswith(("postgres://", "postgresql")):
        return sa.engine.make_url(TEST_DATABASE_URL.replace("postgres://", "postgresql://", 1)) \
            .set(database="postgres").render_as_string(hide_password=False)
    return os.environ.get("CATALOG_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)


@pytest.fixture(scope="session")
def postgres_admin():
    """An AUTOCOMMIT engine on the PostgreSQL server, or a skip saying why there is none."""
    url = _admin_postgres_url().replace("postgresql://", "postgresql+psycopg://", 1)
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        pytest.skip(f"PostgreSQL-only test skipped: no PostgreSQL at {url} ({reason})")
    yield engine
    engine.dispose()


@pytest.fixture()
def scratch_database(request, tmp_path):
    """Make an empty database: ``scratch_database("sqlite")`` or ``("postgresql")``; dropped after.

    Asking for a PostgreSQL one skips the test when no server answers.
    """
    made: list[str] = []
    postgres_admin = None

    def make(kind: str) -> str:
        nonlocal postgres_admin
        if kind == "sqlite":
            return f"sqlite:///{tmp_path / f'scratch-{uuid.uuid4().hex[:8]}.sqlite3'}"
        postgres_admin = request.getfixturevalue("postgres_admin")
        name = f"catalog_scratch_{uuid.uuid4().hex[:12]}"
        with postgres_admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        made.append(name)
        return postgres_admin.url.set(database=name).render_as_string(hide_password=False)

    yield make
    if postgres_admin is None:
        return
    with postgres_admin.connect() as connection:
        for name in made:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
