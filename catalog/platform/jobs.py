"""The job queue: the work that follows a write runs in a worker, never inside the request.

Built on Huey. Storage is a SQLite file in the instance folder by default (no
server: ``./dev serve`` starts one worker beside the web process) and Redis when
``REDIS_URL`` is set, so workers on several machines share one queue; a message
is taken by exactly one worker. ``CATALOG_JOBS_IMMEDIATE`` runs each job at once,
inside the call that queues it (the tests' default: no worker needed).

The durable state is in the database, never only in the queue. A feature writes
what is owed (an outbox row, a webhook delivery, an import run) in the same
transaction as the change, queues a job after the commit (:func:`enqueue`, which
never raises and never waits long for the broker), and registers a *periodic*
job that finds what is owed and not done: work whose message was lost (the
broker down at commit, a worker killed mid-job) is picked up by the next sweep,
every ``CATALOG_JOBS_SWEEP_SECONDS``. Every job is therefore idempotent.

A job that raises is retried ``retries`` times with an exponential back-off;
after the last try the failure handlers registered with :func:`on_failure` are
called (the ``jobs`` feature records it for the admin area's failed-jobs list).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey
from huey import signals as huey_signals
from huey.constants import EmptyData as _EMPTY
from huey.consumer import Consumer, Scheduler
from sqlalchemy import event, insert, or_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from catalog.kernel import clock
from catalog.kernel.db import db
from catalog.platform import metrics, transaction
from catalog.platform.job_models import JobLease

log = logging.getLogger(__name__)
_KEY = "catalog.jobs"
#: after the broker failed, queueing is skipped (the sweep catches up) for this long
BROKER_PAUSE_SECONDS = 10.0


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[..., Any]
    title: str                     # what it does, for the admin area (an English msgid marked N_)
    retries: int = 5
    retry_delay: int = 10          # seconds before the first retry; doubled at each further one
    periodic: bool = False         # also run at every sweep


#: every job kind, by name (registered at import by the features, the same for every app)
JOBS: dict[str, Job] = {}


def job(name: str, title: str, *, retries: int = 5, retry_delay: int = 10, periodic: bool = False):
    """Register ``run`` as the job ``name``. Its arguments must be JSON values (ids, strings)."""
    def register(run: Callable[..., Any]) -> Callable[..., Any]:
        JOBS[name] = Job(name, run, title, retries, retry_delay, periodic)
        return run
    return register


@dataclass(frozen=True)
class Backlog:
    """What a feature owes and has not done: how many, and since when the oldest has waited."""

    count: int
    oldest: dt.datetime | None


@dataclass
class Queue:
    huey: Huey
    tasks: dict[str, Any] = field(default_factory=dict)
    failure_handlers: list[Callable[[str, list[Any], str, int], None]] = field(default_factory=list)
    backlogs: dict[str, Callable[[], Backlog]] = field(default_factory=dict)
    paused_until: float = 0.0


def init_app(app: Flask) -> None:
    queue = Queue(_huey(app))
    app.extensions[_KEY] = queue
    metrics.register_gauge(app, "catalog_job_queue_depth", "Jobs waiting in the queue for a worker.",
                           lambda: float(queue.huey.pending_count()))
    metrics.register_gauge(app, "catalog_job_oldest_waiting_seconds",
                           "How long the oldest owed work (outbox row, delivery, import) has waited for a worker.",
                           lambda: float(health(clock.now())["oldest_waiting_seconds"]))
    queue.huey.signal(huey_signals.SIGNAL_ERROR)(_failed_handler(app))
    transaction.on_commit(app, _enqueue_after_commit)
    if not event.contains(Session, "after_soft_rollback", _forget_after_rollback):
        event.listen(Session, "after_soft_rollback", _forget_after_rollback)


_AFTER_COMMIT = "jobs_after_commit"


def enqueue_after_commit(name: str, *args: Any) -> None:
    """Queue job ``name`` once this transaction has committed (not at all if it rolls back)."""
    db.session.info.setdefault(_AFTER_COMMIT, []).append((name, args))


def _enqueue_after_commit() -> None:
    for name, args in db.session.info.pop(_AFTER_COMMIT, ()):
        enqueue(name, *args)


def _forget_after_rollback(session: Session, previous) -> None:
    if not previous.nested:
        session.info.pop(_AFTER_COMMIT, None)


#: Seconds a web process waits for Redis to connect or answer when it queues a job or reads the queue's depth.
REQUEST_TIMEOUT = 0.5
#: The worker's reply timeout: above its blocking read's 1 s poll.
WORKER_TIMEOUT = 5


def _huey(app: Flask) -> Huey:
    name = app.config["CATALOG_JOBS_QUEUE"]
    if app.config["CATALOG_JOBS_IMMEDIATE"]:
        return MemoryHuey(name, immediate=True, results=False, utc=True)
    if app.config.get("REDIS_URL"):
        from redis import ConnectionPool
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        # A request queueing a job never waits long on a dead or silent Redis (no client retries); the worker's
        # blocking reads (its 1 s poll) get a longer reply timeout in consumer().
        pool = ConnectionPool.from_url(app.config["REDIS_URL"], socket_connect_timeout=REQUEST_TIMEOUT,
                                       socket_timeout=REQUEST_TIMEOUT, retry=Retry(NoBackoff(), 0))
        return RedisHuey(name, connection_pool=pool, results=False, utc=True)
    path = app.config.get("CATALOG_JOBS_SQLITE") or str(Path(app.instance_path) / "jobs.sqlite3")
    return SqliteHuey(name, filename=path, results=False, utc=True, timeout=2)


def queue() -> Queue:
    return current_app.extensions[_KEY]


def _task(name: str):
    """This app's Huey task for ``name``, made on first use (features register jobs at import)."""
    q = queue()
    task = q.tasks.get(name)
    if task is None:
        definition = JOBS[name]
        app = current_app._get_current_object()  # type: ignore[attr-defined]  # the app, for the worker's threads
        runner = _runner(app, definition)
        if definition.periodic:
            q.huey.periodic_task(_always, name=f"periodic:{name}")(runner)
        task = q.huey.task(retries=definition.retries, retry_delay=definition.retry_delay, retry_backoff=2,
                           name=name)(runner)
        q.tasks[name] = task
    return task


def _always(timestamp) -> bool:
    return True                     # the scheduler asks every sweep interval (see :class:`_Sweeps`)


def _runner(app: Flask, definition: Job) -> Callable[..., Any]:
    def run(*args: Any) -> Any:
        with app.app_context():
            started = time.perf_counter()
            try:
                result = JOBS[definition.name].run(*args)     # looked up at run time (tests replace jobs)
            except Exception:
                metrics.JOB_RUNS.labels(definition.name, "error").inc()
                log.warning("job %s%r failed after %.3f s", definition.name, args, time.perf_counter() - started)
                raise
            metrics.JOB_RUNS.labels(definition.name, "ok").inc()
            log.debug("job %s%r done in %.3f s", definition.name, args, time.perf_counter() - started)
            return result
    run.__name__ = definition.name.replace(".", "_")
    return run


def register_all(app: Flask) -> None:
    """Make this app's tasks for every registered job (the worker needs them before its first message)."""
    with app.app_context():
        for name in JOBS:
            _task(name)


def enqueue(name: str, *args: Any, delay: float | None = None) -> bool:
    """Queue job ``name``; False (logged) if the broker could not take it. Never raises, never waits long:
    after a broker failure queueing is skipped for :data:`BROKER_PAUSE_SECONDS`, and the job's sweep
    does the work once the broker is back."""
    q = queue()
    if q.paused_until > time.monotonic():
        return False
    task = _task(name)
    try:
        if delay:
            task.schedule(args, delay=delay)
        else:
            task(*args)
    except Exception as exc:  # noqa: BLE001 - redis.ConnectionError, sqlite3.OperationalError, ...
        q.paused_until = time.monotonic() + BROKER_PAUSE_SECONDS
        log.warning("job queue unavailable, %s left to the sweep: %s", name, exc)
        return False
    return True


def lease_seconds() -> float:
    """How long a worker holds claimed work before another may take it over (it may have died)."""
    return float(current_app.config["CATALOG_JOBS_LEASE_SECONDS"])


def set_progress(key: str, value: Any) -> None:
    """Publish how far a job has come (in the queue's storage, outside the job's own transaction)."""
    try:
        queue().huey.storage.put_data(f"progress:{key}", json.dumps(value).encode())
    except Exception as exc:  # noqa: BLE001 - progress is a courtesy; the job goes on
        log.info("could not publish the progress of %s: %s", key, exc)


def progress(key: str) -> Any:
    """What :func:`set_progress` last published for ``key``, or None."""
    try:
        raw = queue().huey.storage.peek_data(f"progress:{key}")
    except Exception:  # noqa: BLE001 - the broker is down: no figure to show
        return None
    return None if raw is None or raw is _EMPTY else json.loads(raw)


# --- failures -----------------------------------------------------------------------------------

def on_failure(app: Flask, handler: Callable[[str, list[Any], str, int], None]) -> None:
    """Call ``handler(name, args, error, tries)`` in an app context when a job has failed its last try."""
    app.extensions[_KEY].failure_handlers.append(handler)


def give_up(name: str, args: list[Any], error: str, tries: int) -> None:
    """A job decided by itself that it failed for good (a webhook past its last attempt): report it."""
    for handler in queue().failure_handlers:
        handler(name, args, error, tries)


def _failed_handler(app: Flask):
    def failed(signal, task, exc=None) -> None:
        if task.retries:                        # it will be tried again
            return
        definition = JOBS.get(task.name)
        if definition is None:
            return
        with app.app_context():
            try:
                give_up(task.name, list(task.args or ()), f"{type(exc).__name__}: {exc}"[:2000],
                        definition.retries + 1)
            except Exception:  # noqa: BLE001 - the database may be what failed: the log keeps it
                log.exception("could not record the failure of job %s%r", task.name, task.args)
    return failed


# --- what is waiting ----------------------------------------------------------------------------

def backlog(app: Flask, name: str, source: Callable[[], Backlog]) -> None:
    """Register what a feature owes and has not done yet (for ``/healthz`` and ``/metrics``)."""
    app.extensions[_KEY].backlogs[name] = source


def health(now: dt.datetime) -> dict[str, Any]:
    """The queue's depth and, per feature, what waits and how long the oldest has waited."""
    q = queue()
    report: dict[str, Any] = {}
    try:
        report["queued"] = q.huey.pending_count()
        report["scheduled"] = q.huey.scheduled_count()
        report["broker"] = "ok"
    except Exception as exc:  # noqa: BLE001 - the broker is down: say so, the writes go on
        log.warning("job queue unreachable: %s", exc)
        report["broker"] = "unreachable"
    oldest = 0.0
    waiting: dict[str, Any] = {}
    for name, source in q.backlogs.items():
        found = source()
        age = max((now - found.oldest).total_seconds(), 0.0) if found.oldest else 0.0
        waiting[name] = {"count": found.count, "oldest_seconds": round(age, 1)}
        oldest = max(oldest, age)
    report["waiting"] = waiting
    report["oldest_waiting_seconds"] = round(oldest, 1)
    return report


# --- the worker ---------------------------------------------------------------------------------

def consumer(app: Flask, *, workers: int, periodic: bool = True) -> Consumer:
    """A Huey consumer for this app: ``workers`` threads, and the sweep every ``CATALOG_JOBS_SWEEP_SECONDS``."""
    register_all(app)
    huey = queue_of(app).huey
    if isinstance(huey, RedisHuey):
        pool = huey.storage.conn.connection_pool       # connections are made with these on first use
        pool.connection_kwargs["socket_timeout"] = WORKER_TIMEOUT
        pool.disconnect()

    class _Sweeps(Scheduler):
        periodic_task_seconds = max(int(app.config["CATALOG_JOBS_SWEEP_SECONDS"]), 1)

    class _Consumer(Consumer):
        scheduler_class = _Sweeps

    return _Consumer(huey, workers=workers, worker_type="thread", periodic=periodic,
                     initial_delay=0.05, max_delay=1.0, backoff=1.15, check_worker_health=True)


def queue_of(app: Flask) -> Queue:
    return app.extensions[_KEY]


# --- leases: one runner at a time, across workers and machines -----------------------------------

@contextlib.contextmanager
def lease(name: str, seconds: float) -> Iterator[bool]:
    """Hold the database lease ``name`` for at most ``seconds`` while the block runs; yields whether it
    was taken (False: another worker holds it). A worker killed while holding it loses it when it runs out.
    Commits (short transactions of its own, before and after the block)."""
    holder, now = uuid.uuid4().hex, clock.now()
    table = JobLease.__table__
    db.session.rollback()
    result = db.session.execute(
        update(table).where(table.c.name == name, or_(table.c.expires_at.is_(None), table.c.expires_at < now))
        .values(holder=holder, expires_at=now + dt.timedelta(seconds=seconds)))
    taken = getattr(result, "rowcount", 0) == 1            # an UPDATE's CursorResult
    if not taken and db.session.get(JobLease, name) is None:
        try:
            db.session.execute(insert(table).values(name=name, holder=holder,
                                                    expires_at=now + dt.timedelta(seconds=seconds)))
            taken = True
        except IntegrityError:
            db.session.rollback()
    db.session.commit()
    try:
        yield taken
    finally:
        if taken:
            db.session.rollback()
            db.session.execute(update(table).where(table.c.name == name, table.c.holder == holder)
                               .values(holder=None, expires_at=None))
            db.session.commit()


def storage_name(app: Flask) -> str:
    """Where the queue is kept, for people (no password)."""
    huey = queue_of(app).huey
    if isinstance(huey, SqliteHuey):
        return str(huey.storage.filename)
    if isinstance(huey, RedisHuey):
        kwargs = huey.storage.conn.connection_pool.connection_kwargs
        return f"redis://{kwargs.get('host')}:{kwargs.get('port')}/{kwargs.get('db', 0)}"
    return "memory (immediate)"
