"""The one way work is committed: commit, then run the after-commit hooks.

Requests (:func:`catalog.platform.web.commit_session`) and CLI commands both end with
:func:`commit`. Hooks (the search outbox drain) run after the data is safe;
a failing hook is logged and never undoes or fails the committed work.
"""
from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Flask, current_app, g

from catalog.kernel.db import db
from catalog.platform import errors

log = logging.getLogger(__name__)
_KEY = "catalog.after_commit"


def keep_despite_error_status() -> None:
    """Commit this request's work even though it answers 4xx.

    For answers that are errors to HTTP but records to us: a scan of an unknown
    or mistyped code answers 404/400, and its scan must still be logged.
    """
    g.catalog_commit_on_error = True


def end_reads() -> None:
    """End the transaction's reads before a write that does not depend on them.

    SQLite in WAL mode cannot upgrade a read snapshot that another writer has
    overtaken (it fails at once with "database is locked"); a fresh transaction
    waits its turn instead. Only for requests that have written nothing yet.
    """
    db.session.rollback()


def should_commit(status_code: int) -> bool:
    return status_code < 400 or (status_code < 500 and bool(g.get("catalog_commit_on_error")))


def on_commit(app: Flask, hook: Callable[[], None]) -> None:
    app.extensions.setdefault(_KEY, []).append(hook)


def commit() -> None:
    db.session.commit()
    for hook in current_app.extensions.get(_KEY, ()):
        try:
            hook()
        except Exception as exc:  # noqa: BLE001 - the commit stands; the hook retries later
            if errors.is_outage(exc):       # the database went away just after the commit: no traceback each time
                log.warning("after-commit hook %s: database unavailable: %s", getattr(hook, "__name__", hook),
                            errors.cause(exc))
            else:
                log.exception("after-commit hook %s failed", getattr(hook, "__name__", hook))
            try:
                db.session.rollback()
            except Exception:  # noqa: BLE001 - a lost connection; the session is discarded at teardown
                pass
