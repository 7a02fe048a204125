"""Files written beside database rows follow the transaction of those rows.

A file written for a row that is then rolled back (a form error later in the
request, a failed commit) is deleted when the outermost transaction ends
without a commit; a file whose row is deleted goes only once that deletion is
committed. So no row points at a missing file, and no file is left that no
row points at.

The storage failing does not break that. A file that cannot be written fails the request with a
503 (:class:`StorageUnavailable`), and its row is rolled back with it. A file that cannot be deleted
once its row's deletion is committed (a read-only or unmounted folder) does not fail the committed
request: the failure is logged and the job ``files.delete`` tries again later (with a back-off, then
listed among the failed jobs with a retry button).
"""
from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction
from werkzeug.exceptions import ServiceUnavailable

from catalog.kernel.db import db
from catalog.kernel.i18n import N_
from catalog.platform import jobs

log = logging.getLogger(__name__)
DELETE_JOB = "files.delete"

_WRITTEN = "catalog.stored_files.written"     # files written in this transaction
_DOOMED = "catalog.stored_files.doomed"       # files of rows deleted in this transaction


class StorageUnavailable(ServiceUnavailable):
    """A file could not be stored: the request fails with 503 and its rows are rolled back."""


def write(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` (its folder made if needed), deleted again unless the transaction commits.

    Raises :class:`StorageUnavailable` (503) when the file cannot be written."""
    _pending(_WRITTEN).append(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    except OSError as exc:
        log.error("could not store %s: %s", path, exc)
        raise StorageUnavailable() from exc


def link(source: Path, path: Path) -> None:
    """Make ``path`` the same file as ``source`` (a hard link; a copy where links are not allowed), deleted
    again unless the transaction commits. Deleting either name later leaves the other whole.

    Raises :class:`StorageUnavailable` (503) when it cannot be made."""
    _pending(_WRITTEN).append(path)
    try:
        try:
            os.link(source, path)
        except OSError:
            shutil.copyfile(source, path)
    except OSError as exc:
        log.error("could not store %s: %s", path, exc)
        raise StorageUnavailable() from exc


def delete_on_commit(*paths: Path) -> None:
    """Delete ``paths`` once the transaction that removed their rows has committed."""
    _pending(_DOOMED).extend(paths)


def _pending(key: str) -> list[Path]:
    return db.session().info.setdefault(key, [])


def _unlink_all(paths) -> list[str]:
    """Delete each of ``paths`` (already gone is fine); the ones that could not be deleted, logged."""
    failed = []
    for path in paths:
        try:
            Path(path).unlink(missing_ok=True)
        except OSError as exc:
            log.warning("could not delete %s: %s", path, exc)
            failed.append(str(path))
    return failed


@jobs.job(DELETE_JOB, N_("Files: deleting the files of removed records"), retries=8, retry_delay=60)
def delete_files(paths: list[str]) -> None:
    """Retry deleting files whose rows are gone; raises (so the queue tries again) while some remain."""
    failed = _unlink_all(paths)
    if failed:
        raise OSError(f"could not delete {len(failed)} file(s): {', '.join(failed)}")


@event.listens_for(Session, "after_commit")
def _delete_removed_files(session: Session) -> None:
    # The data is committed: nothing here may raise (the request succeeded). A file that will not go is
    # left to the job, queued once the commit's hooks run (never from inside this event: the session is
    # between transactions here, and a job run at once would find it unusable).
    session.info.pop(_WRITTEN, None)
    failed = _unlink_all(session.info.pop(_DOOMED, ()))
    if failed:
        log.warning("%d file(s) of removed rows left for the %s job", len(failed), DELETE_JOB)
        jobs.enqueue_after_commit(DELETE_JOB, failed)


@event.listens_for(Session, "after_transaction_end")
def _delete_files_written_for_nothing(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is not None:
        return
    _unlink_all(session.info.pop(_WRITTEN, ()))       # still here: the transaction was not committed
    session.info.pop(_DOOMED, None)
