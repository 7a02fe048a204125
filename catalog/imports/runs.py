"""Imports in the admin area, from upload to result: checked (the preview), then applied, as jobs.

An upload becomes an :class:`ImportRun` holding the file. A small file is
checked and applied inside the officer's request, as before; a larger one is
checked by a job and, once the officer confirms the preview, applied by
another, all or nothing as always, while the run's page shows how far it has
come (it refreshes itself, no JavaScript). A worker holds a run by its lease;
the sweep queues again a run whose job was lost (the broker down) or whose
worker died (its lease ran out), never one whose job failed with an error:
that one is in the failed jobs list, to be retried by hand.
"""
from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import delete, func, or_, select, update

from catalog.imports import operations as imports
from catalog.imports.models import RUNNING, ImportRun
from catalog.imports.report import ImportReport
from catalog.kernel import clock
from catalog.kernel.db import db
from catalog.kernel.errors import DomainError
from catalog.kernel.i18n import N_, Message
from catalog.platform import jobs, sqlite, transaction

#: files up to this size are checked and applied inside the request (a few hundred rows, a few seconds)
SMALL_BYTES = 24 * 1024
CHECK_JOB, APPLY_JOB, SWEEP_JOB = "imports.check", "imports.apply", "imports.sweep"
#: a run queued this long ago with no worker on it lost its message: the sweep queues it again
LOST_AFTER = dt.timedelta(seconds=60)
#: runs not confirmed, or finished, are removed after this long
KEEP = dt.timedelta(days=1)
ALREADY_CONFIRMED, NOT_AVAILABLE = "import_already_confirmed", "import_not_available"
_READ = {"decisions": imports.read_decisions, "revocations": imports.read_revocations}
_APPLY = {"decisions": imports.import_decisions, "revocations": imports.import_revocations}


def start(kind: str, filename: str, data: bytes, actor: str) -> ImportRun:
    """A new run for an upload already found readable (extension, size, encoding)."""
    now = clock.now()
    run = ImportRun(token=secrets.token_hex(16), kind=kind, filename=filename[:255], data=data, actor=actor,
                    status="checking", created_at=now, updated_at=now)
    db.session.add(run)
    db.session.flush()
    return run


def is_small(run: ImportRun) -> bool:
    return len(run.data or b"") <= SMALL_BYTES


def find(token: str) -> ImportRun | None:
    return db.session.scalar(select(ImportRun).where(ImportRun.token == token))


def report_of(run: ImportRun) -> ImportReport | None:
    return ImportReport.from_dict(run.report) if run.report else None


def check(run: ImportRun) -> ImportReport:
    """Read and check every row, as the import would, writing nothing: the preview."""
    report = _report(run, dry_run=True)
    _record(run, report, dry_run=True)
    return report


def confirm(run: ImportRun) -> None:
    """The officer confirmed the preview: apply the file (inside the request for a small one, else a job).

    Once only: the run moves from ``checked`` to ``applying`` in one conditional UPDATE, so of two
    confirmations of one run (a double click, two tabs) exactly one goes on; the other waits for the first
    to commit (the row's lock; SQLite's write lock, see :func:`take_write_lock`) and is refused with
    :data:`ALREADY_CONFIRMED`, or :data:`NOT_AVAILABLE` when the run was never ready to confirm."""
    changed = db.session.execute(
        update(ImportRun).where(ImportRun.id == run.id, ImportRun.status == "checked", ImportRun.data.is_not(None))
        .values(status="applying", rows_done=0, updated_at=clock.now(), error=None)
        .execution_options(synchronize_session=False))
    db.session.refresh(run)
    if getattr(changed, "rowcount", 0) != 1:
        if run.status in ("applying", "done") or (run.status == "problems" and not (run.report or {}).get("dry_run")):
            raise DomainError(Message(N_("This import was already confirmed: it is applied once, whatever the "
                                         "number of clicks.")), code=ALREADY_CONFIRMED)
        raise DomainError(Message(N_("This upload is no longer available (already imported, or older than a day): "
                                     "upload the file again.")), code=NOT_AVAILABLE)


def take_write_lock() -> None:
    """Before :func:`confirm` in a request that has only read: on SQLite a read transaction overtaken by
    another writer can never write ("database is locked" at once), so start a fresh one that waits for
    SQLite's write lock. No effect on PostgreSQL, where the UPDATE waits for the row's lock."""
    transaction.end_reads()
    sqlite.begin_immediately()


def apply(run: ImportRun) -> ImportReport:
    """Import the confirmed file, all or nothing; the file is dropped once imported."""
    report = _report(run, dry_run=False)
    _record(run, report, dry_run=False)
    return report


def _report(run: ImportRun, *, dry_run: bool) -> ImportReport:
    """Run the import of the run's file (only reads when ``dry_run``), publishing its progress."""
    table = _READ[run.kind](run.data or b"", run.filename)
    total = len(table.rows)
    counted = {"checking": 0, "writing": 0}

    def advancing(phase: str):
        def advance(n: int) -> None:
            counted[phase] += n
            if counted[phase] % 200 == 0 or counted[phase] == total:
                jobs.set_progress(run.token, [counted[phase], total, phase])
        return advance

    return _APPLY[run.kind](table, actor=run.actor, dry_run=dry_run, progress=advancing("writing"),
                            check_progress=advancing("checking"))


def _record(run: ImportRun, report: ImportReport, *, dry_run: bool) -> None:
    run.rows_total = run.rows_done = report.counts["rows"]
    run.report, run.updated_at = report.to_dict(), clock.now()
    if dry_run:
        run.status = "checked" if report.ok else "problems"
    else:
        run.status = "done" if report.ok else "problems"
        if report.ok:
            run.data = None
    db.session.flush()


def progress(run: ImportRun) -> tuple[int, int, str]:
    """(rows done, rows in the file, phase: checking | writing) of a running job, as it last published them."""
    published = jobs.progress(run.token)
    if not published:
        return run.rows_done, run.rows_total, "checking"
    return int(published[0]), int(published[1]), str(published[2])


# --- as jobs --------------------------------------------------------------------------------------

def queue(run: ImportRun) -> None:
    """After this transaction commits, a worker checks or applies the run."""
    jobs.enqueue_after_commit(CHECK_JOB if run.status == "checking" else APPLY_JOB, run.id)


@jobs.job(CHECK_JOB, N_("Import: checking a file"), retries=2)
def check_job(run_id: int) -> None:
    _as_job(run_id, "checking")


@jobs.job(APPLY_JOB, N_("Import: applying a file"), retries=2)
def apply_job(run_id: int) -> None:
    _as_job(run_id, "applying")


def _as_job(run_id: int, status: str) -> None:
    """Check or apply a run in a worker. On SQLite a transaction that has read cannot write once another
    writer has committed (the sweep, a scan), so: the check reads, then writes its run row in a fresh
    transaction that takes the write lock first; the import takes it from the start (it writes whole)."""
    if _take(run_id, status) is None:
        return                              # done already, or another worker holds it
    dry_run = status == "checking"
    try:
        if not dry_run:
            sqlite.begin_immediately()
        report = _report(db.session.get_one(ImportRun, run_id), dry_run=dry_run)
        if dry_run:
            transaction.end_reads()
            sqlite.begin_immediately()
        run = db.session.get_one(ImportRun, run_id)
        _record(run, report, dry_run=dry_run)
        run.lease_until = None
        transaction.commit()
    except Exception as exc:
        db.session.rollback()
        db.session.execute(update(ImportRun).where(ImportRun.id == run_id)
                           .values(lease_until=None, error=f"{type(exc).__name__}: {exc}"[:2000]))
        db.session.commit()
        raise


def _take(run_id: int, status: str) -> ImportRun | None:
    """Lease the run for this worker if it is in ``status`` and nobody holds it; commits."""
    now = clock.now()
    db.session.rollback()
    sqlite.begin_immediately()                      # a read, then the lease written: the write lock first
    lease = dt.timedelta(seconds=float(jobs.lease_seconds()))
    size = db.session.scalar(select(ImportRun.rows_total).where(ImportRun.id == run_id)) or 0
    result = db.session.execute(
        update(ImportRun).where(ImportRun.id == run_id, ImportRun.status == status,
                                or_(ImportRun.lease_until.is_(None), ImportRun.lease_until < now))
        .values(lease_until=now + lease + dt.timedelta(seconds=0.05 * max(size, 1000)), error=None))
    db.session.commit()
    return db.session.get(ImportRun, run_id) if getattr(result, "rowcount", 0) else None


@jobs.job(SWEEP_JOB, N_("Imports: runs whose job was lost"), periodic=True)
def sweep() -> int:
    """Queue again the runs no worker is on (lost message, or a worker that died); remove old runs."""
    now = clock.now()
    owed = (select(ImportRun.id, ImportRun.status).where(
        ImportRun.status.in_(RUNNING), ImportRun.error.is_(None),
        or_(ImportRun.lease_until < now, ImportRun.lease_until.is_(None) & (ImportRun.updated_at < now - LOST_AFTER))))
    stale = ImportRun.updated_at < now - KEEP, ImportRun.status.not_in(RUNNING)
    if not db.session.execute(owed.limit(1)).first() and not db.session.scalar(select(ImportRun.id).where(*stale)
                                                                                .limit(1)):
        return 0                                    # the usual sweep: two reads, no write
    transaction.end_reads()
    sqlite.begin_immediately()                      # reads, then writes: SQLite's write lock first
    stranded = db.session.execute(owed).all()
    old = getattr(db.session.execute(delete(ImportRun).where(*stale)), "rowcount", 0)
    for run_id, status in stranded:
        db.session.execute(update(ImportRun).where(ImportRun.id == run_id).values(updated_at=now))
        jobs.enqueue_after_commit(CHECK_JOB if status == "checking" else APPLY_JOB, run_id)
    transaction.commit()
    return len(stranded) + (old or 0)


def backlog() -> jobs.Backlog:
    count, oldest = db.session.execute(
        select(func.count(), func.min(ImportRun.updated_at))
        .where(ImportRun.status.in_(RUNNING), ImportRun.lease_until.is_(None), ImportRun.error.is_(None))).one()
    return jobs.Backlog(count or 0, oldest)
