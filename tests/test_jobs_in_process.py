"""The jobs' own logic, run in the test session: sweeps, give-ups, leases, and the queue's health when it fails.

The queue with real worker processes is tested in tests/test_jobs.py; here each job is called as a worker
would call it, in the rolled-back test session, so what it leaves behind can be read back.
"""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from catalog.imports import runs
from catalog.imports.models import ImportRun
from catalog.kernel import calendar, clock
from catalog.kernel.models.recognitions import Recognition
from catalog.partners import feed, webhooks
from catalog.partners.feed_models import FeedEvent
from catalog.partners.models import WebhookDelivery
from catalog.platform import jobs, transaction
from catalog.platform.job_models import JobFailure
from tests import factories
from tests.test_imports import ROWS, csv_bytes
from tests.test_webhooks import Endpoint, hooked

NOW = calendar.start_of_day(dt.date(2026, 6, 1)) + dt.timedelta(hours=9)


@pytest.fixture()
def at_now(session, frozen_clock):
    frozen_clock(NOW)
    return session


def test_the_sweep_appends_what_time_caused_and_nothing_when_nothing_is_due(at_now, frozen_clock):
    item = factories.recognised_product()
    transaction.commit()
    assert jobs.JOBS[feed.CATCH_UP_JOB].run() == 0                       # nothing has lapsed
    ends = at_now.scalar(select(Recognition.ends_at).where(Recognition.product_id == item.id))
    frozen_clock(ends + dt.timedelta(minutes=1))
    assert feed.due(clock.now())
    assert jobs.JOBS[feed.CATCH_UP_JOB].run() == 1
    last = at_now.scalars(select(FeedEvent).order_by(FeedEvent.position.desc())).first()
    assert (last.kind, last.reason, last.product_id, last.occurred_at) == ("delisted", "expired", item.id, ends)
    assert not feed.due(clock.now()) and jobs.JOBS[feed.CATCH_UP_JOB].run() == 0


def test_a_delivery_past_its_last_attempt_is_listed_and_its_retry_sends_it(at_now, monkeypatch):
    partner = hooked("Sàn Hết Kiên Nhẫn")
    factories.recognised_product()
    transaction.commit()
    delivery = at_now.scalars(select(WebhookDelivery).where(WebhookDelivery.partner_id == partner.id)).one()
    assert webhooks.backlog().count == 1
    at_now.execute(update(WebhookDelivery).where(WebhookDelivery.id == delivery.id)
                   .values(attempts=webhooks.MAX_ATTEMPTS - 1))
    transaction.commit()
    assert webhooks.deliver_due(send=Endpoint(500)) == 1
    at_now.refresh(delivery)
    assert delivery.status == "failed" and webhooks.backlog().count == 0
    failure = at_now.scalars(select(JobFailure)).one()
    assert (failure.name, failure.args, failure.tries) == (webhooks.RETRY_JOB, [delivery.id], webhooks.MAX_ATTEMPTS)
    assert "HTTP 500" in failure.error and partner.webhook_url in failure.error
    endpoint = Endpoint(204)
    monkeypatch.setattr(webhooks, "_post", endpoint)
    assert jobs.JOBS[webhooks.RETRY_JOB].run(delivery.id) == 1
    at_now.refresh(delivery)
    assert delivery.status == "delivered" and len(endpoint.calls) == 1
    assert endpoint.calls[0][2][webhooks.DELIVERY_HEADER] == str(delivery.id)


def test_the_imports_sweep_runs_stranded_imports_again_and_forgets_old_ones(at_now):
    factories.commune("99001", "Vĩnh Tuy", "08")
    factories.commune("99091", "Phú Quốc", "91")
    stranded = runs.start("decisions", "qd.csv", csv_bytes(ROWS), "officer@test")
    stranded.lease_until = NOW - dt.timedelta(seconds=1)                 # its worker died
    failed = runs.start("decisions", "qd2.csv", csv_bytes(ROWS), "officer@test")
    failed.lease_until, failed.error = NOW - dt.timedelta(seconds=1), "RuntimeError: boom"
    old = runs.start("decisions", "old.csv", csv_bytes(ROWS), "officer@test")
    old.status, old.updated_at = "done", NOW - dt.timedelta(days=2)
    transaction.commit()
    old_id = old.id
    assert runs.backlog().count == 0                                     # leased, or failed: no worker owes them
    assert jobs.JOBS[runs.SWEEP_JOB].run() == 2
    at_now.expire_all()
    assert at_now.get(ImportRun, stranded.id).status == "checked"       # checked again, at once (immediate mode)
    assert at_now.get(ImportRun, failed.id).status == "checking"        # left for the failed-jobs list
    assert at_now.get(ImportRun, old_id) is None
    assert jobs.JOBS[runs.SWEEP_JOB].run() == 0


def test_an_import_step_that_raises_keeps_its_error_and_frees_the_run(at_now, monkeypatch):
    run = runs.start("decisions", "qd.csv", csv_bytes(ROWS), "officer@test")
    transaction.commit()

    def broken(run, dry_run):
        raise RuntimeError("disk full")
    monkeypatch.setattr(runs, "_report", broken)
    with pytest.raises(RuntimeError):
        jobs.JOBS[runs.CHECK_JOB].run(run.id)
    at_now.expire_all()
    again = at_now.get(ImportRun, run.id)
    assert again.status == "checking" and again.error == "RuntimeError: disk full" and again.lease_until is None
    monkeypatch.undo()
    assert jobs.JOBS[runs.APPLY_JOB].run(run.id) is None                 # not confirmed: nothing to apply


def test_a_lease_is_held_by_one_runner_at_a_time(at_now):
    with jobs.lease("tests.lease", 60) as first:
        with jobs.lease("tests.lease", 60) as second:
            assert first and not second
    with jobs.lease("tests.lease", 60) as third:
        assert third


def test_the_queue_failing_is_reported_never_raised(app, at_now, monkeypatch, caplog):
    queue = jobs.queue()
    monkeypatch.setattr(queue, "paused_until", 0.0)         # restored after: later tests queue again

    def down(*args, **kwargs):
        raise ConnectionError("broker down")
    monkeypatch.setattr(queue.huey, "pending_count", down)
    monkeypatch.setattr(queue.huey.storage, "put_data", down)
    monkeypatch.setattr(queue.huey.storage, "peek_data", down)
    assert jobs.health(clock.now())["broker"] == "unreachable"
    body = app.test_client().get("/healthz").get_json()
    assert body["status"] == "degraded" and body["jobs"]["broker"] == "unreachable"
    jobs.set_progress("x", [1, 2, "checking"])                           # logged, not raised
    assert jobs.progress("x") is None
    monkeypatch.setattr(queue.huey, "enqueue", down)
    assert jobs.enqueue("search.update") is False                        # the sweep does it later
    assert jobs.enqueue("search.update") is False                        # paused: not even tried
    queue.paused_until = 0.0
    assert jobs.enqueue("search.update", delay=5) is False


def test_a_retry_of_a_job_that_no_longer_exists_is_refused(app, at_now):
    from catalog.jobs import operations
    from catalog.kernel.errors import DomainError
    failure = JobFailure(name="gone.away", args=[], error="x", tries=1)
    at_now.add(failure)
    at_now.flush()
    with pytest.raises(DomainError) as refused:
        operations.retry(failure.id, "admin@test")
    assert refused.value.code == "unknown_job"
    with pytest.raises(DomainError) as missing:
        operations.retry(10**9, "admin@test")
    assert missing.value.code == "no_such_job"
    assert operations.title("gone.away") == "gone.away"
