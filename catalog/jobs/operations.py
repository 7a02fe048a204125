"""Failed jobs: recorded when a job fails its last try, listed for administrators, retried by them."""
from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select

from catalog.kernel import clock
from catalog.kernel.db import db
from catalog.kernel.errors import DomainError
from catalog.kernel.i18n import N_, Message
from catalog.platform import jobs
from catalog.platform.job_models import JobFailure


def record_failure(name: str, args: list[Any], error: str, tries: int) -> None:
    """Keep a job that failed its last try (called by the queue, in a transaction of its own)."""
    db.session.add(JobFailure(name=name, args=args, error=error, tries=tries, failed_at=clock.now()))
    db.session.commit()


def failures(open_only: bool = False) -> Select:
    """The failed jobs, newest first (``open_only``: those nobody has retried)."""
    query = select(JobFailure).order_by(JobFailure.failed_at.desc(), JobFailure.id.desc())
    return query.where(JobFailure.retried_at.is_(None)) if open_only else query


def retry(failure_id: int, actor: str) -> JobFailure:
    """Queue the failed job again, once this transaction commits; it gets a fresh set of tries."""
    failure = db.session.get(JobFailure, failure_id)
    if failure is None:
        raise DomainError(Message(N_("There is no failed job %(id)s."), id=failure_id), code="no_such_job")
    if failure.retried_at is not None:
        raise DomainError(Message(N_("This job was already retried.")), code="already_retried")
    if failure.name not in jobs.JOBS:
        raise DomainError(Message(N_("This kind of job no longer exists.")), code="unknown_job")
    failure.retried_at, failure.retried_by = clock.now(), actor
    db.session.flush()
    jobs.enqueue_after_commit(failure.name, *failure.args)
    return failure


def title(name: str) -> str:
    """What the job does (an English msgid, translated where it is shown)."""
    found = jobs.JOBS.get(name)
    return found.title if found else name
