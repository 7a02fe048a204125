"""Work off the request path: how long queued work takes to be done, and what a save costs while things hang.

    .venv/bin/python bench/jobs.py [--rounds 40] [--saves 60]

1. Enqueue-to-done, with the queue in SQLite (the embedded default) and in Redis (127.0.0.1:6379):
   - a search index update: from the commit of a product's change to its outbox row being gone;
   - a webhook delivery: from the commit of a change to the POST arriving at an endpoint on 127.0.0.1.
   One `flask --app catalog worker` process (2 threads, sweep every 15 s so the sweep does not help).
   The bare baseline is the queue itself: a no-op job's enqueue-to-done on the same storage and worker kind.
2. An admin save (POST /admin/products/<id>/edit, in process), p50/p95 over --saves saves:
   normal (the database's own search); Meilisearch hanging (a server that accepts and never answers,
   MEILI_TIMEOUT=5); the broker down (REDIS_URL on a closed port). Target: both within 1.5x of normal.
"""
from __future__ import annotations

import argparse
import contextlib
import http.server
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from common import BIN, ROOT, percentile

sys.path.insert(0, str(ROOT))

from catalog import create_app  # noqa: E402
from catalog.kernel import catalogue, clock  # noqa: E402
from catalog.kernel.db import db  # noqa: E402
from catalog.platform import jobs, sqlite, transaction  # noqa: E402
from catalog.search.models import SearchOutboxEntry  # noqa: E402

NOOP = "bench.noop"
DONE: dict[str, float] = {}


@jobs.job(NOOP, "Benchmark: nothing")
def noop(key: str) -> None:
    Path(key).touch()                    # the worker is another process: it leaves a file behind


class Endpoint:
    def __init__(self, hang: bool = False):
        arrivals = self.arrivals = {}

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                self.rfile.read(int(self.headers["Content-Length"]))
                arrivals[int(self.headers["X-OCOP-Event-Position"])] = time.perf_counter()
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def silent_server() -> tuple[socket.socket, str]:
    server = socket.create_server(("127.0.0.1", 0))
    held = []
    threading.Thread(target=lambda: [held.append(server.accept()) for _ in iter(int, 1)], daemon=True).start()
    return server, f"http://127.0.0.1:{server.getsockname()[1]}"


def demo(env: dict[str, str]) -> None:
    for args in (["db", "upgrade"], ["demo-data", "--products", "50", "--seed", "1"]):
        subprocess.run([str(BIN / "flask"), "--app", "catalog", *args], env=env, cwd=ROOT, check=True,
                       capture_output=True)


def visible_product():
    from catalog.kernel import visibility
    from catalog.kernel.models.products import Product
    return db.session.scalars(db.select(Product).where(visibility.product_is_visible(clock.now()))
                              .order_by(Product.id).limit(1)).one()


def outbox_rows() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(SearchOutboxEntry)) or 0


def env_for(folder: Path, broker: str, queue: str) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder / 'catalog.sqlite3'}", "SECRET_KEY": "bench",
           "CATALOG_JOBS_SWEEP_SECONDS": "15", "CATALOG_JOBS_QUEUE": queue, "CATALOG_WEBHOOKS_ALLOW_PRIVATE": "1",
           "CATALOG_JOBS_IMMEDIATE": "0", "PYTHONPATH": f"{Path(__file__).parent}:{ROOT}"}
    env.pop("REDIS_URL", None)
    if broker == "redis":
        env["REDIS_URL"] = "redis://127.0.0.1:6379/0"
    else:
        env["CATALOG_JOBS_SQLITE"] = str(folder / "jobs.sqlite3")
    return env


def config_of(env: dict[str, str]) -> dict:
    keys = ("DATABASE_URL", "SECRET_KEY", "CATALOG_JOBS_QUEUE", "REDIS_URL", "CATALOG_JOBS_SQLITE")
    return {**{k: env[k] for k in keys if k in env}, "CATALOG_JOBS_IMMEDIATE": False,
            "CATALOG_WEBHOOKS_ALLOW_PRIVATE": True, "CATALOG_LOGIN_RATE_LIMIT": "100000 per minute"}


@contextlib.contextmanager
def worker(env: dict[str, str]):
    # The worker imports this script's no-op job through a tiny module on PYTHONPATH.
    log = open(Path(tempfile.gettempdir()) / "bench-jobs-worker.log", "ab")   # noqa: SIM115 - closed below
    process = subprocess.Popen([str(BIN / "python"), "-c", "import jobs_bench_worker"], env=env, cwd=ROOT,
                               stdout=log, stderr=subprocess.STDOUT)
    try:
        time.sleep(1.5)
        yield process
    finally:
        process.terminate()
        process.wait()
        log.close()


def wait(condition, timeout: float = 30.0) -> float:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if condition():
            return time.perf_counter()
        time.sleep(0.002)
    raise SystemExit("timed out waiting for a job")


def queue_latencies(broker: str, rounds: int, folder: Path) -> dict[str, list[float]]:
    env = env_for(folder, broker, f"bench-{uuid.uuid4().hex[:6]}")
    demo(env)
    app = create_app(config_of(env))
    hook = Endpoint()
    found: dict[str, list[float]] = {"noop": [], "search update": [], "webhook delivery": []}
    with app.app_context():
        from catalog.partners import feed
        from catalog.partners import operations as partners
        partners.create_partner(name="Bench", webhook_url=hook.url)
        product = visible_product()
        transaction.commit()
        with worker(env):
            wait(lambda: not outbox_rows() or db.session.rollback(), timeout=120)
            for i in range(rounds):
                marker = folder / f"noop-{i}"
                started = time.perf_counter()
                jobs.enqueue(NOOP, str(marker))
                found["noop"].append(wait(marker.exists) - started)

                db.session.rollback()
                sqlite.begin_immediately()       # as the admin's request would: no stale read to upgrade
                catalogue.update_product(product, packaging=f"hộp {i + 1} kg")
                started = time.perf_counter()
                transaction.commit()
                position = feed.head_position()
                found["search update"].append(wait(lambda: not outbox_rows() or db.session.rollback()) - started)
                wait(lambda position=position: position in hook.arrivals)
                found["webhook delivery"].append(hook.arrivals[position] - started)
                db.session.rollback()
        db.session.remove()
        if broker == "redis":
            jobs.queue().huey.flush()
    return found


def admin_saves(saves: int, folder: Path) -> dict[str, list[float]]:
    env = env_for(folder, "sqlite", f"bench-{uuid.uuid4().hex[:6]}")
    demo(env)
    silent, silent_url = silent_server()
    variants = {"normal": {}, "search engine hanging": {"MEILI_URL": silent_url, "MEILI_TIMEOUT": 5},
                "broker down": {"REDIS_URL": "redis://127.0.0.1:9/0", "CATALOG_JOBS_SQLITE": None}}
    base = create_app(config_of(env))
    with base.app_context():
        from werkzeug.security import generate_password_hash

        from catalog.accounts.models import User
        product = visible_product()
        db.session.add(User(email="editor@bench.vn", role="editor", password_hash=generate_password_hash("pw")))
        product_id, producer_id, name, product_set = product.id, product.producer_id, product.name, product.product_set
        transaction.commit()
        db.session.remove()
    login = base.test_client()
    page = login.get("/admin/login").get_data(as_text=True)
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    login.post("/admin/login", data={"email": "editor@bench.vn", "password": "pw", "csrf_token": token})
    cookie = login.get_cookie("session").value
    found: dict[str, list[float]] = {}
    for name, extra in variants.items():
        app = create_app({**config_of(env), **{k: v for k, v in extra.items() if v is not None}})
        if extra.get("CATALOG_JOBS_SQLITE", "") is None:
            app.config.pop("CATALOG_JOBS_SQLITE", None)
        client = app.test_client()
        client.set_cookie("session", cookie)
        times = []
        for i in range(saves):
            edit = client.get(f"/admin/products/{product_id}/edit").get_data(as_text=True)
            csrf = edit.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
            started = time.perf_counter()
            answer = client.post(f"/admin/products/{product_id}/edit", data={
                "name": name, "producer_id": str(producer_id), "product_set": str(product_set),
                "packaging": f"hộp {i} kg", "csrf_token": csrf})
            times.append(time.perf_counter() - started)
            if answer.status_code != 303:
                raise SystemExit(f"{name}: save answered {answer.status_code}")
        found[name] = times
        with app.app_context():
            db.engine.dispose()
    silent.close()
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--saves", type=int, default=60)
    args = parser.parse_args()
    (Path(__file__).parent / "jobs_bench_worker.py").write_text(
        "import jobs  # noqa: F401  (registers the no-op job)\n"
        "from catalog import create_app\nfrom catalog.platform import jobs as queue\n"
        "app = create_app()\nqueue.consumer(app, workers=2).run()\n")
    try:
        print("enqueue-to-done (ms), one worker process with 2 threads")
        print(f"{'storage':8} {'job':18} {'p50':>7} {'p95':>7}")
        for broker in ("sqlite", "redis"):
            with tempfile.TemporaryDirectory() as folder:
                for job, values in queue_latencies(broker, args.rounds, Path(folder)).items():
                    print(f"{broker:8} {job:18} {percentile(values, 50) * 1000:7.1f} "
                          f"{percentile(values, 95) * 1000:7.1f}")
        print("\nadmin save (ms), in process")
        with tempfile.TemporaryDirectory() as folder:
            found = admin_saves(args.saves, Path(folder))
        normal = percentile(found["normal"], 95)
        print(f"{'variant':24} {'p50':>7} {'p95':>7} {'p95/normal':>10}")
        for name, values in found.items():
            p95 = percentile(values, 95)
            print(f"{name:24} {percentile(values, 50) * 1000:7.1f} {p95 * 1000:7.1f} {p95 / normal:9.2f}x")
    finally:
        (Path(__file__).parent / "jobs_bench_worker.py").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
