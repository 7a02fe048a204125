"""Rate limits: who shares a budget (IPv6 /64, one scan budget, partner keys) and what happens when the
store in Redis goes away (the limits fail open, nothing hangs, /healthz says so)."""
from __future__ import annotations

import logging
import secrets
import shutil
import socket
import subprocess
import threading
import time

import pytest
from flask_migrate import upgrade

from catalog import create_app
from catalog.kernel.db import db
from catalog.partners import operations as partners
from catalog.platform.limits import client_network, limiter
from catalog.trace.client import network as scan_network
from tests import factories
from tests.api_helpers import auth, partner_key

GTIN_PATH = "/01/08934563138165"


@pytest.fixture()
def fresh_limits(app):
    """Counters start from zero (the limiter is one object shared by every app of the process)."""
    limiter.reset()
    yield
    limiter.reset()


def statuses(client, requests, address: str, headers=None) -> list[int]:
    return [client.get(path, headers=headers, environ_base={"REMOTE_ADDR": address}).status_code
            for path in requests]


def invented_key() -> dict[str, str]:
    return auth(partners.KEY_PREFIX + secrets.token_urlsafe(32))


# -- the client's key: IPv4 address, IPv6 /64 ---------------------------------------------------------

def test_client_network_is_an_ipv4_address_or_an_ipv6_64():
    assert client_network("198.51.100.7") == "198.51.100.7"
    assert client_network("2001:db8:a:1:aaaa:bbbb:cccc:dddd") == "2001:db8:a:1::/64"
    assert client_network("2001:DB8:A:1::1") == client_network("2001:0db8:000a:0001:ffff::2")
    assert client_network("::ffff:198.51.100.7") == "198.51.100.7"
    assert client_network("fe80::1%eth0") == "fe80::/64"


SAME_64 = ("2001:db8:a:1::1", "2001:db8:a:1:ffff:ffff:ffff:fffe")
OTHER_64 = "2001:db8:a:2::1"


def _scan(client, address):
    return client.get("/s/00000000000000000", environ_base={"REMOTE_ADDR": address}).status_code


def _stamp_check(client, address):
    return client.get("/api/v1/stamps/NOT-A-CODE", headers=invented_key(),
                      environ_base={"REMOTE_ADDR": address}).status_code


def _partner_call(client, address):
    return client.get("/api/v1/changes", headers=invented_key(), environ_base={"REMOTE_ADDR": address}).status_code


def _sign_in(client, address):
    token = factories.csrf_token(client)
    return client.post("/admin/login", data={"email": "nobody@example.vn", "password": "x", "csrf_token": token},
                       environ_base={"REMOTE_ADDR": address}).status_code


def _report(client, address):
    token = factories.csrf_token(client, "/s/00000000000000000/report")
    return client.post("/s/00000000000000000/report", data={"csrf_token": token, "message": ""},
                       environ_base={"REMOTE_ADDR": address}).status_code


@pytest.mark.parametrize(("send", "setting"), [
    (_scan, "CATALOG_SCAN_RATE_LIMIT"),
    (_stamp_check, "CATALOG_SCAN_RATE_LIMIT"),
    (_partner_call, "CATALOG_API_RATE_LIMIT"),
    (_sign_in, "CATALOG_LOGIN_RATE_LIMIT"),
    (_report, "CATALOG_REPORT_RATE_LIMIT"),
], ids=["scan", "stamp-api", "partner-api", "sign-in", "report"])
def test_two_addresses_of_one_ipv6_64_share_a_budget_and_two_64s_do_not(app, client, session, monkeypatch,
                                                                        fresh_limits, send, setting):
    monkeypatch.setitem(app.config, setting, "2 per minute")
    first, second = SAME_64
    assert send(client, first) != 429 and send(client, first) != 429
    assert send(client, second) == 429                   # same /64: the same subscriber, the same budget
    assert send(client, OTHER_64) != 429                 # another /64: another budget


def test_the_scan_log_keeps_a_coarse_network_and_reads_addresses_as_the_limits_do():
    assert scan_network("198.51.100.23") == "198.51.100.0/24"
    assert scan_network("2001:db8:a:1::1") == "2001:db8:a::/48"
    assert scan_network("::ffff:198.51.100.23") == "198.51.100.0/24"     # not every mapped client in "::/48"
    assert scan_network("fe80::1%eth0") == "fe80::/48"
    assert scan_network("not an address") is None


# -- invalid keys, one scan budget -----------------------------------------------------------------------

def test_invented_bearer_keys_count_against_the_network_on_the_stamp_api(app, client, session, monkeypatch,
                                                                         fresh_limits):
    monkeypatch.setitem(app.config, "CATALOG_SCAN_RATE_LIMIT", "5 per minute")
    answers = [client.get("/api/v1/stamps/NOT-A-CODE", headers=invented_key(),
                          environ_base={"REMOTE_ADDR": "203.0.113.40"}).status_code for _ in range(8)]
    assert answers == [200] * 5 + [429] * 3


def test_invalid_keys_on_partner_endpoints_are_limited_per_network_and_a_valid_key_keeps_its_own_budget(
        app, client, session, monkeypatch, fresh_limits):
    monkeypatch.setitem(app.config, "CATALOG_API_RATE_LIMIT", "3 per minute")
    key = partner_key("Đối tác có khoá thật")
    revoked_partner, revoked = partners.create_partner(name="Đối tác khoá đã thu hồi")
    partners.revoke_key(revoked_partner.keys[0])
    session.flush()
    address = "203.0.113.41"
    tries = [client.get(path, headers=headers, environ_base={"REMOTE_ADDR": address}).status_code
             for path, headers in [("/api/v1/changes", invented_key()), ("/api/v1/products", invented_key()),
                                   ("/api/v1/changes", auth(revoked)), ("/api/v1/changes", invented_key()),
                                   ("/api/v1/export.ndjson", {})]]
    assert tries == [401, 401, 401, 429, 429]
    # The partner's key, from the same network, has its own budget: the invented keys did not spend it.
    assert statuses(client, ["/api/v1/changes"] * 4, address, auth(key)) == [200, 200, 200, 429]


def test_the_scan_budget_is_one_across_short_links_digital_links_and_the_stamp_api(app, client, session,
                                                                                   monkeypatch, fresh_limits):
    monkeypatch.setitem(app.config, "CATALOG_SCAN_RATE_LIMIT", "3 per minute")
    address = "203.0.113.42"
    answered = statuses(client, ["/s/00000000000000000", GTIN_PATH, "/api/v1/stamps/NOT-A-CODE"], address)
    assert 429 not in answered
    assert statuses(client, ["/s/00000000000000000", GTIN_PATH, "/api/v1/stamps/X"], address) == [429, 429, 429]
    assert statuses(client, ["/S/00000000000000000"], "203.0.113.43") != [429]


def test_a_valid_key_checks_stamps_on_its_own_budget_not_the_networks_scan_budget(app, client, session,
                                                                                  monkeypatch, fresh_limits):
    monkeypatch.setitem(app.config, "CATALOG_SCAN_RATE_LIMIT", "1 per minute")
    monkeypatch.setitem(app.config, "CATALOG_API_RATE_LIMIT", "3 per minute")
    key = partner_key("Ứng dụng kiểm tra tem")
    address = "203.0.113.44"
    assert statuses(client, ["/api/v1/stamps/NOT-A-CODE"] * 2, address, auth(key)) == [200, 200]
    assert statuses(client, ["/s/00000000000000000"], address) == [404]          # the scan budget is untouched
    assert statuses(client, ["/api/v1/changes", "/api/v1/stamps/X"], address, auth(key)) == [200, 429]  # one budget


# -- the store in Redis is down, gone, or black-holed ----------------------------------------------------

@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> str:
    """A migrated SQLite file, copied for each app below."""
    path = tmp_path_factory.mktemp("limits") / "template.sqlite3"
    template = create_app({"DATABASE_URL": f"sqlite:///{path}", "SECRET_KEY": "x", "CATALOG_JOBS_IMMEDIATE": True})
    with template.app_context():
        upgrade()
        db.session.remove()
        db.engine.dispose()
    return str(path)


@pytest.fixture()
def app_with(app, migrated, tmp_path):
    """``app_with(redis_url, **config)``: an app of its own on a copy of the migrated database, with a
    partner key, an admin and a producer; the limiter is given back to the suite's app after the test."""
    made = []

    def make(redis_url: str, **config):
        path = tmp_path / f"db{len(made)}.sqlite3"
        shutil.copy(migrated, path)
        own = create_app({"DATABASE_URL": f"sqlite:///{path}", "SECRET_KEY": "x", "REDIS_URL": redis_url,
                          "CATALOG_JOBS_IMMEDIATE": False, "CATALOG_SCAN_RATE_LIMIT": "3 per minute",
                          **config})
        own.instance_path = str(tmp_path / f"instance{len(made)}")
        with own.app_context():
            _, key = partners.create_partner(name="Đối tác khi Redis ngừng")
            account = factories.user("editor")
            producer = factories.producer()
            db.session.commit()
            own.config["test.setup"] = {"key": key, "email": account.email, "producer_id": producer.id}
            db.session.remove()
        made.append(own)
        return own

    yield make
    for own in made:
        with own.app_context():
            db.session.remove()
            db.engine.dispose()
    limiter.init_app(app)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _timed(client, method: str, path: str, **kwargs):
    started = time.monotonic()
    response = client.open(path, method=method, **kwargs)
    return response, time.monotonic() - started


def _whole_request_path_answers(own) -> dict:
    """Scans, the stamp API, the partner API, signing in and a write that queues a job after its commit:
    each answers as it would with the store up, none waits long. Returns /healthz's body."""
    setup = own.config["test.setup"]
    client = own.test_client()
    client.environ_base["REMOTE_ADDR"] = "198.51.100.60"      # one client throughout (sign-in is bound to it)
    slowest = 0.0
    for path, expected in [("/s/00000000000000000", 404), (GTIN_PATH, 404), ("/api/v1/stamps/X", 200)]:
        response, took = _timed(client, "GET", path)
        assert response.status_code == expected, (path, response.status_code)
        slowest = max(slowest, took)
    response, took = _timed(client, "GET", "/api/v1/products", headers=auth(setup["key"]))
    assert response.status_code == 200
    slowest = max(slowest, took)
    # Still limited, in memory: the fourth scan of this client in the minute is refused.
    assert _timed(client, "GET", "/s/00000000000000000")[0].status_code == 429
    token = factories.csrf_token(client)
    response, took = _timed(client, "POST", "/admin/login", data={
        "email": setup["email"], "password": factories.PASSWORD, "csrf_token": token})
    assert response.status_code == 303
    slowest = max(slowest, took)
    token = factories.csrf_token(client, "/admin/products/new")
    response, took = _timed(client, "POST", "/admin/products/new", data={
        "name": "Trà shan tuyết (gói 100 g)", "product_set": "11", "packaging": "gói 100 g",
        "producer_id": str(setup["producer_id"]), "csrf_token": token})
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    slowest = max(slowest, took)
    assert slowest < 1.5, f"a request waited {slowest:.2f} s on the dead store"
    health, took = _timed(client, "GET", "/healthz")
    assert health.status_code == 200
    return health.get_json()


def test_with_nothing_listening_at_redis_url_everything_answers_and_healthz_says_degraded(app_with, caplog):
    own = app_with(f"redis://127.0.0.1:{_free_port()}/14")
    with caplog.at_level(logging.INFO):
        body = _whole_request_path_answers(own)
        own.test_client().get("/healthz")
    assert body["status"] == "degraded" and body["rate_limits"] == "unreachable" and body["database"] == "ok"
    assert "job queue unavailable, search.update left to the sweep" in caplog.text   # the after-commit queueing
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING and "rate" in r.getMessage().lower()]
    # The limiter's switch to memory once, /healthz's warning once for its two calls: not one per request.
    assert sorted(r.getMessage() for r in warnings) == [
        "Rate limit storage unreachable - falling back to in-memory storage",
        "rate-limit storage unreachable: limits are counted in memory, per process"]


@pytest.fixture()
def black_hole():
    """A port that accepts connections and never answers (a Redis hung or behind a dropping firewall)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue
    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    server.close()


def test_a_black_holed_redis_never_holds_a_request_long(app_with, black_hole):
    # The job queue has timeouts of its own (platform.jobs); here it runs in process, to time the limits alone.
    own = app_with(f"redis://127.0.0.1:{black_hole}/14", CATALOG_JOBS_IMMEDIATE=True)
    client = own.test_client()
    took = [_timed(client, "GET", path)[1] for path in ["/s/00000000000000000", GTIN_PATH, "/api/v1/stamps/X"]]
    assert max(took) < 1.5 and sum(took) < 2.5
    health, took = _timed(client, "GET", "/healthz")
    assert health.get_json()["rate_limits"] == "unreachable" and took < 1.5


def test_a_black_holed_redis_holds_no_request_long_the_job_queue_included(app_with, black_hole):
    own = app_with(f"redis://127.0.0.1:{black_hole}/14")        # the job queue on the same silent Redis
    _whole_request_path_answers(own)                              # a product save queues its index job
    health, took = _timed(own.test_client(), "GET", "/healthz")
    body = health.get_json()
    assert (body["status"], body["rate_limits"], body["jobs"]["broker"]) == ("degraded", "unreachable", "unreachable")
    assert took < 2.5


@pytest.fixture()
def own_redis():
    """A Redis server of this test's own, on a free port, that the test may stop (``stop()``) and start again."""
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    port = _free_port()
    servers: list[subprocess.Popen] = []

    def start() -> None:
        servers.append(subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                                         "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL))
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop() -> None:
        servers[-1].terminate()
        servers[-1].wait(10)

    start()
    yield f"redis://127.0.0.1:{port}/14", start, stop
    if servers[-1].poll() is None:
        stop()


def test_when_a_real_redis_goes_away_the_limits_fall_back_and_healthz_follows_it(app_with, own_redis):
    import redis
    url, start, stop = own_redis
    own = app_with(url)
    client = own.test_client()
    assert client.get("/s/00000000000000000").status_code == 404
    assert redis.Redis.from_url(url).dbsize() > 0                       # counted in Redis while it runs
    assert client.get("/healthz").get_json()["rate_limits"] == "ok"
    stop()
    body = _whole_request_path_answers(own)
    assert body["status"] == "degraded" and body["rate_limits"] == "unreachable"
    start()
    assert client.get("/healthz").get_json()["rate_limits"] == "ok"
