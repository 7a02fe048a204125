"""Seeing the service run: what an operator reads on /metrics and in the JSON logs."""
import json
import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select

from catalog import create_app
from catalog.kernel.db import db
from catalog.platform import metrics
from catalog.trace import Stamp, codes
from tests import factories
from tests.test_trace import NOW, scan

ROOT = Path(__file__).resolve().parents[1]


def scrape(client, **kwargs) -> dict[tuple[str, frozenset], float]:
    """The samples of /metrics: (name, labels) -> value."""
    response = client.get("/metrics", **kwargs)
    assert response.status_code == 200, response.status_code
    assert response.content_type.startswith("text/plain; version=0.0.4")
    return {(sample.name, frozenset(sample.labels.items())): sample.value
            for family in text_string_to_metric_families(response.get_data(as_text=True))
            for sample in family.samples}


def value(samples, name: str, **labels) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def total(samples, name: str, **labels) -> float:
    """The sum over the samples of ``name`` having ``labels`` (and any others)."""
    wanted = set(labels.items())
    return sum(v for (n, found), v in samples.items() if n == name and wanted <= found)


@pytest.fixture()
def other_app(scratch_database):
    """A further app in this process (logging restored after: JSON lines configure the root logger)."""
    root, flask_logger = logging.getLogger(), logging.getLogger("catalog")
    kept = root.handlers[:], root.level, flask_logger.handlers[:]
    made = []

    def make(**config):
        made.append(create_app({"DATABASE_URL": scratch_database("sqlite"), "SECRET_KEY": "x", **config}))
        return made[-1]

    yield make
    for app in made:
        with app.app_context():
            db.engine.dispose()
    root.handlers[:], flask_logger.handlers[:] = kept[0], kept[2]
    root.setLevel(kept[1])


# -- /metrics ----------------------------------------------------------------------------------------

def test_requests_are_counted_and_timed_by_endpoint(client):
    before = scrape(client)
    for _ in range(3):
        assert client.get("/ping").status_code == 200
    client.get("/no/such/page/1")
    client.get("/no/such/page/2")
    after = scrape(client)
    counted = "catalog_http_requests_total"
    assert value(after, counted, endpoint="ping", method="GET", status="200") \
        - value(before, counted, endpoint="ping", method="GET", status="200") == 3
    timed = "catalog_http_request_duration_seconds"
    assert value(after, timed + "_count", endpoint="ping", method="GET") \
        - value(before, timed + "_count", endpoint="ping", method="GET") == 3
    assert value(after, timed + "_bucket", endpoint="ping", method="GET", le="+Inf") \
        == value(after, timed + "_count", endpoint="ping", method="GET")
    assert value(after, timed + "_sum", endpoint="ping", method="GET") > 0
    # unknown paths share one label, whatever the path
    assert value(after, counted, endpoint=metrics.UNMATCHED, method="GET", status="404") \
        - value(before, counted, endpoint=metrics.UNMATCHED, method="GET", status="404") == 2
    assert not any("no/such" in str(labels) for _, labels in after)
    # so do methods no one uses
    client.open("/ping", method="BREW")
    assert total(scrape(client), counted, method="other") >= 1


def test_a_logged_scan_counts_under_its_verdict(client, session, frozen_clock):
    frozen_clock(NOW)
    _, _, batch = factories.stamped_product()
    factories.index_now()
    stamp = session.scalars(select(Stamp).where(Stamp.batch_id == batch.id).order_by(Stamp.serial)).first()
    before = scrape(client)
    assert ("catalog_scans_total", frozenset({("verdict", "voided")})) in before     # every verdict, from 0
    assert scan(client, stamp.code, json=True).get_json()["verdict"] == "genuine"
    assert scan(client, codes.new_code()).status_code == 404
    after = scrape(client)
    assert value(after, "catalog_scans_total", verdict="genuine") - value(before, "catalog_scans_total",
                                                                          verdict="genuine") == 1
    assert value(after, "catalog_scans_total", verdict="unknown") - value(before, "catalog_scans_total",
                                                                          verdict="unknown") == 1


def test_a_search_is_timed_under_its_backend(client, session):
    factories.catalog_products()
    backend = {"postgresql": "postgresql-fts"}.get(session.get_bind().dialect.name, "sqlite-fts5")
    before = scrape(client)
    assert client.get("/search?q=cam+sanh").status_code == 200
    after = scrape(client)
    name = "catalog_search_duration_seconds_count"
    assert value(after, name, backend=backend) - value(before, name, backend=backend) >= 1


def test_the_search_outbox_depth_is_read_at_scrape_time(client, session):
    factories.catalog_products()                      # indexed: the outbox drained
    assert value(scrape(client), "catalog_search_outbox_depth") == 0
    factories.product(name="Miến dong Bình Liêu")     # flushed, not committed: waiting in the outbox
    assert value(scrape(client), "catalog_search_outbox_depth") == 1


def test_only_loopback_clients_and_token_holders_read_metrics(client, monkeypatch):
    outside = {"environ_base": {"REMOTE_ADDR": "203.0.113.9"}}
    assert client.get("/metrics", **outside).status_code == 404
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "::1"}).status_code == 200
    # relayed by a proxy on this host whose headers are not trusted: not a local client
    assert client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 404
    monkeypatch.setitem(client.application.config, "CATALOG_METRICS_TOKEN", "s3cret-token")
    assert client.get("/metrics", **outside).status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}, **outside).status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Basic s3cret-token"}, **outside).status_code == 404
    samples = scrape(client, headers={"Authorization": "Bearer s3cret-token"}, **outside)
    assert total(samples, "catalog_http_requests_total", endpoint="metrics", status="404") >= 4


def test_behind_a_trusted_proxy_the_forwarded_address_decides(other_app):
    app = other_app(CATALOG_PROXIES=1)
    client = app.test_client()
    assert client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 404
    assert client.get("/metrics", headers={"X-Forwarded-For": "127.0.0.1"}).status_code == 200


def test_a_failing_gauge_source_is_left_out_and_the_scrape_still_answers(other_app, caplog):
    app = other_app()           # a second app in the process: the metrics are not registered twice

    def broken() -> float:
        raise RuntimeError("queue unreachable")

    metrics.register_gauge(app, "catalog_test_broken", "Always fails.", broken)
    metrics.register_gauge(app, "catalog_test_answer", "Always 42.", lambda: 42)
    with pytest.raises(ValueError):
        metrics.register_gauge(app, "catalog_test_answer", "Twice.", lambda: 0)
    with caplog.at_level(logging.ERROR, logger="catalog.platform.metrics"):
        samples = scrape(app.test_client())
    assert value(samples, "catalog_test_answer") == 42
    assert not any(name == "catalog_test_broken" for name, _ in samples)
    assert any(name == "catalog_http_requests_total" for name, _ in samples)
    assert any("catalog_test_broken" in record.getMessage() for record in caplog.records)


def test_in_multiprocess_mode_metrics_show_what_every_process_counted(other_app, tmp_path, monkeypatch):
    """With PROMETHEUS_MULTIPROC_DIR, each process writes its counts there and /metrics adds them up."""
    directory = tmp_path / "prometheus"
    directory.mkdir()
    worker = textwrap.dedent("""
        from catalog import create_app
        client = create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "x"}).test_client()
        for _ in range(3):
            client.get("/ping")
    """)
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(directory), "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", worker], env=env, check=True, cwd=ROOT)
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(directory))
    samples = scrape(other_app().test_client())      # answered by this process: it counted no /ping of its own
    assert value(samples, "catalog_http_requests_total", endpoint="ping", method="GET", status="200") == 3
    assert value(samples, "catalog_http_request_duration_seconds_count", endpoint="ping", method="GET") == 3


def test_a_missing_multiprocess_directory_is_refused(other_app, tmp_path, monkeypatch):
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path / "nowhere"))
    with pytest.raises(RuntimeError, match="PROMETHEUS_MULTIPROC_DIR"):
        other_app()


# -- logs ----------------------------------------------------------------------------------------------

def test_the_request_id_is_echoed_or_made(client):
    assert client.get("/ping", headers={"X-Request-ID": "edge-42.a:b"}).headers["X-Request-ID"] == "edge-42.a:b"
    for insane in ("x" * 129, "two words", "<script>", "a\u00e9"):
        made = client.get("/ping", headers={"X-Request-ID": insane}).headers["X-Request-ID"]
        assert made != insane and len(made) == 32 and made.isalnum()
    first, second = (client.get("/ping").headers["X-Request-ID"] for _ in range(2))
    assert first != second


def test_json_lines_carry_the_request_id_endpoint_status_and_duration(other_app, capsys):
    app = other_app(CATALOG_LOG_FORMAT="json")

    @app.get("/t/chatty")
    def chatty():
        logging.getLogger("catalog.somewhere").warning("checking the stamp %s", "ABC")
        return "ok"

    client = app.test_client()
    capsys.readouterr()
    response = client.get("/t/chatty", headers={"X-Request-ID": "req-7f3a"})
    client.get("/no/such/page")
    assert response.headers["X-Request-ID"] == "req-7f3a"
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.strip()]
    warning = next(line for line in lines if line["logger"] == "catalog.somewhere")
    assert warning["message"] == "checking the stamp ABC" and warning["level"] == "WARNING"
    assert warning["request_id"] == "req-7f3a" and "timestamp" in warning
    done = [line for line in lines if line["logger"] == "catalog.requests"]
    assert done[0]["request_id"] == "req-7f3a" and done[0]["endpoint"] == "chatty"
    assert done[0]["status"] == 200 and done[0]["method"] == "GET" and done[0]["path"] == "/t/chatty"
    assert isinstance(done[0]["duration_ms"], float) and done[0]["duration_ms"] >= 0
    assert done[1]["status"] == 404 and done[1]["endpoint"] == metrics.UNMATCHED and len(done[1]["request_id"]) == 32
    # records outside a request have no request id, and are JSON too
    logging.getLogger("catalog.somewhere").warning("between requests")
    outside = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert outside["message"] == "between requests" and "request_id" not in outside
    # a second JSON app replaces the handler rather than adding one: one line per record
    other_app(CATALOG_LOG_FORMAT="json")
    logging.getLogger("catalog.somewhere").warning("once")
    assert capsys.readouterr().err.count('"once"') == 1


def test_without_the_variable_logging_is_left_alone(other_app):
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    app = other_app()
    assert root.handlers == handlers and root.level == level
    assert app.config["CATALOG_LOG_FORMAT"] == "text"


def test_an_unknown_log_format_is_refused(monkeypatch):
    monkeypatch.setenv("CATALOG_LOG_FORMAT", "xml")
    with pytest.raises(RuntimeError, match="CATALOG_LOG_FORMAT"):
        create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "x"})
