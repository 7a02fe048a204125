"""Files written beside database rows follow the transaction of those rows.

A file written for a row that is then rolled back (a form error later in the
request, a failed commit) is deleted when the outermost transaction ends
without a commit; a file whose row is deleted goes only once that deletion is
committed. So no row points at a missing file, and no file is left that no
row points at.
"""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from catalog.kernel.db import db

_WRITTEN = "catalog.stored_files.written"     # files written in this transaction
_DOOMED = "catalog.stored_files.doomed"       # files of rows deleted in this transaction


def write(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` (its folder made if needed), deleted again unless the transaction commits."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _pending(_WRITTEN).append(path)
    path.write_bytes(content)


def delete_on_commit(*paths: Path) -> None:
    """Delete ``paths`` once the transaction that removed their rows has committed."""
    _pending(_DOOMED).extend(paths)


def _pending(key: str) -> list[Path]:
    return db.session().info.setdefault(key, [])


@event.listens_for(Session, "after_commit")
def _delete_removed_files(session: Session) -> None:
    session.info.pop(_WRITTEN, None)
    for path in session.info.pop(_DOOMED, ()):
        path.unlink(missing_ok=True)


@event.listens_for(Session, "after_transaction_end")
def _delete_files_written_for_nothing(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is not None:
        return
    for path in session.info.pop(_WRITTEN, ()):       # still here: the transaction was not committed
        path.unlink(missing_ok=True)
    session.info.pop(_DOOMED, None)
