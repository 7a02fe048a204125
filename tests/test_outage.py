"""The database goes away while the service runs: every answer is a 503 with Retry-After in the format the
client reads (the public layout, the admin layout, problem JSON), and the log gets one warning line, not a
traceback per request.

The outages are real ones: on SQLite the database's directory is removed (and the pool emptied, as a
restarted worker would find it); on PostgreSQL the service's database stops accepting connections and its
connections are terminated, or the service is pointed at a closed port.
"""
from __future__ import annotations

import logging
import shutil
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from flask import render_template_string
from flask_migrate import upgrade

from catalog import create_app
from catalog.kernel.db import db
from catalog.kernel.models import Commune
from catalog.platform import errors
from catalog.trace.models.stamps import Stamp
from tests import factories
from tests.api_helpers import auth, partner_key

PROBLEM = "application/problem+json"
SCENARIOS = ("sqlite-directory-removed", "postgresql-refusing-connections", "postgresql-closed-port")


def _app(url: str, tmp_path):
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "outage", "CATALOG_JOBS_IMMEDIATE": True,
                      "CATALOG_RETRY_AFTER_SECONDS": 20})
    app.instance_path = str(tmp_path / "instance")

    @app.get("/_test/template")
    def template_asking_the_database():
        return render_template_string("{{ count() }}", count=lambda: db.session.execute(
            sa.text("SELECT count(*) FROM provinces")).scalar())

    @app.get("/_test/write")
    def write_committed_after_the_view():
        db.session.add(Commune(code="99777", name="Xã Thử", kind="xa", province_code="08"))
        hook = app.config.get("TEST_BEFORE_COMMIT")
        if hook:
            hook()
        return "written"

    return app


def _break(scenario: str, app, url: str, request) -> None:
    """Take the database away from the running ``app``."""
    with app.app_context():
        engine = db.engines[None]
        if scenario == "sqlite-directory-removed":
            shutil.rmtree(sa.engine.make_url(url).database.rsplit("/", 1)[0])
            engine.dispose()
        elif scenario == "postgresql-refusing-connections":
            _refuse_connections(request.getfixturevalue("postgres_admin"), sa.engine.make_url(url).database)
        else:
            engine.dispose()
            db.engines[None] = sa.create_engine("postgresql+psycopg://postgres@127.0.0.1:1/catalog")


def _refuse_connections(admin, name: str) -> None:
    with admin.connect() as connection:
        connection.execute(sa.text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
        connection.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                   "WHERE datname = :name AND pid <> pg_backend_pid()"), {"name": name})


@pytest.fixture(params=SCENARIOS)
def running(request, scratch_database, tmp_path):
    """A seeded app with an anonymous and a signed-in admin client; ``running.down()`` takes the database away."""
    scenario = request.param
    if scenario.startswith("sqlite"):
        (tmp_path / "db").mkdir()
        url = f"sqlite:///{tmp_path / 'db' / 'catalog.sqlite3'}"
    else:
        url = scratch_database("postgresql")
    app = _app(url, tmp_path)
    with app.app_context():
        upgrade()
        products = factories.catalog_products()
        _, _, batch = factories.stamped_product()
        code = db.session.scalars(sa.select(Stamp.code).where(Stamp.batch_id == batch.id)).first()
        key = partner_key()
        admin = factories.user("admin")
        email, slug = admin.email, products["cam"].slug
        db.session.commit()
    anonymous, signed_in = app.test_client(), app.test_client()
    response = signed_in.post("/admin/login", data={"email": email, "password": factories.PASSWORD,
                                                   "csrf_token": factories.csrf_token(signed_in)})
    assert response.status_code == 303
    assert signed_in.get("/admin/").status_code == 200 and anonymous.get(f"/s/{code}").status_code == 200

    state = SimpleNamespace(app=app, url=url, anonymous=anonymous, signed_in=signed_in, code=code, key=key,
                            slug=slug, scenario=scenario, request=request,
                            down=lambda: _break(scenario, app, url, request))
    yield state
    with app.app_context():
        db.engines[None].dispose()


def _outage_records(caplog) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.levelno >= logging.WARNING]


def test_every_answer_is_a_503_with_retry_after_in_its_format_and_one_log_line(running, caplog):
    running.down()
    anonymous, signed_in = running.anonymous, running.signed_in
    asked = [
        ("public", anonymous, "/", {}),
        ("public", anonymous, "/search?q=tra", {}),
        ("public", anonymous, f"/products/{running.slug}", {}),
        ("public", anonymous, f"/s/{running.code}", {}),
        ("json", anonymous, f"/s/{running.code}", {"Accept": "application/json"}),
        ("json", anonymous, "/api/v1/products", auth(running.key)),
        ("json", anonymous, "/api/v1/changes", auth(running.key)),
        ("public", anonymous, "/_test/template", {}),
        ("public", signed_in, "/", {}),                     # a signed-in officer on the catalog: the user loader
        ("admin", signed_in, "/admin/", {}),
        ("admin", signed_in, "/admin/producers", {}),
        ("admin", signed_in, "/admin/no-such-page", {}),     # a 404 page whose layout would look the user up
        ("json", signed_in, "/admin/producers", {"Accept": "application/json"}),
    ]
    with caplog.at_level(logging.WARNING):
        for kind, client, path, headers in asked:
            response = client.get(path, headers=headers)
            where = f"{kind} {path}"
            assert response.status_code == 503, (where, response.get_data(as_text=True)[:300])
            assert response.headers["Retry-After"].isdigit() and int(response.headers["Retry-After"]) >= 20, where
            body = response.get_data(as_text=True)
            if kind == "json":
                assert response.mimetype == PROBLEM, where
                problem = response.get_json()
                assert problem["status"] == 503 and problem["type"].endswith("/unavailable"), where
            else:
                assert response.mimetype == "text/html", where
                assert "Hệ thống tạm thời không phản hồi" in body, where
                assert ('class="admin"' in body) == (kind == "admin"), where
                assert "Traceback" not in body and "OperationalError" not in body, where
    records = _outage_records(caplog)
    assert len(records) == 1, [record.getMessage()[:200] for record in records]
    assert records[0].levelno == logging.WARNING and records[0].exc_info is None
    assert "database unavailable: 1 request(s)" in records[0].getMessage()
    health = running.anonymous.get("/healthz")
    assert health.status_code == 503 and health.get_json() == {"status": "error", "database": "unreachable"}
    if running.scenario == "postgresql-refusing-connections":      # the database comes back: so does the service
        with running.request.getfixturevalue("postgres_admin").connect() as connection:
            name = sa.engine.make_url(running.url).database
            connection.execute(sa.text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        assert anonymous.get(f"/s/{running.code}").status_code == 200
        assert signed_in.get("/admin/producers").status_code == 200           # still signed in


def test_a_commit_that_fails_because_the_database_went_away_is_a_503(running, caplog):
    """The view succeeded; the one commit after it finds no database: 503, never the success page."""
    if running.scenario == "postgresql-closed-port":
        pytest.skip("the same outage as refusing connections, seen at the commit")

    def take_it_away():
        if running.scenario.startswith("sqlite"):
            # The write still pending, the file turns read-only for this connection (a disk remounted
            # read-only; an open connection outlives its file being removed, so that would not do).
            with db.session.no_autoflush:
                db.session.execute(sa.text("PRAGMA query_only = ON"))
        else:
            db.session.execute(sa.text("SELECT 1"))             # the request holds a connection ...
            running.down()                                      # ... which the server now terminates

    running.app.config["TEST_BEFORE_COMMIT"] = take_it_away
    with caplog.at_level(logging.WARNING):
        response = running.anonymous.get("/_test/write")
    assert response.status_code == 503 and response.headers["Retry-After"].isdigit()
    assert "written" not in response.get_data(as_text=True)
    records = _outage_records(caplog)
    assert len(records) == 1 and records[0].exc_info is None, [r.getMessage()[:200] for r in records]


def test_the_outage_log_counts_requests_between_lines(monkeypatch, caplog):
    now = [1000.0]
    monkeypatch.setattr(errors.time, "monotonic", lambda: now[0])
    outage = errors.OutageLog(60)
    failure = sa.exc.OperationalError("SELECT 1", {}, Exception("connection refused"))
    with caplog.at_level(logging.WARNING, logger="catalog.platform.errors"):
        outage.record(failure)                          # the first one is told at once
        for _ in range(40):
            now[0] += 1
            outage.record(failure)                      # the next 40 within the minute: counted, not told
        now[0] += 30
        outage.record(failure)                          # a minute after the first line: one line for 41
    lines = [record.getMessage() for record in caplog.records]
    assert len(lines) == 2
    assert lines[0].startswith("database unavailable: 1 request(s)") and "connection refused" in lines[0]
    assert lines[1].startswith("database unavailable: 41 request(s)")


def test_only_an_unreachable_database_is_an_outage():
    assert errors.is_outage(sa.exc.OperationalError("SELECT 1", {}, Exception("could not connect")))
    assert errors.is_outage(sa.exc.TimeoutError("QueuePool limit reached"))
    assert not errors.is_outage(sa.exc.IntegrityError("INSERT", {}, Exception("duplicate key")))
    assert not errors.is_outage(sa.exc.ProgrammingError("SELECT", {}, Exception("syntax error")))
    assert not errors.is_outage(RuntimeError("bug"))


def test_when_the_layout_itself_fails_the_plain_page_still_answers_503(tmp_path, caplog):
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite3'}", "SECRET_KEY": "p"})
    errors.page_template_for(app, "/broken", "no/such/layout.html")

    @app.get("/broken/page")
    def broken():
        raise sa.exc.OperationalError("SELECT 1", {}, Exception("unable to open database file"))

    with caplog.at_level(logging.WARNING):
        response = app.test_client().get("/broken/page")
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    assert "Hệ thống tạm thời không phản hồi" in response.get_data(as_text=True)
    assert [record.exc_info for record in caplog.records if record.levelno >= logging.WARNING] == [None]
