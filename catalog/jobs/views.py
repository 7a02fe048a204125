"""Admin: the job queue at a glance and the failed jobs, with a retry button (administrators only)."""
from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from catalog.jobs import operations as core
from catalog.jobs.blueprint import bp
from catalog.kernel import clock, roles
from catalog.platform import jobs, pagination
from catalog.platform.forms import attempt, saved
from catalog.platform.job_models import JobFailure
from catalog.platform.permissions import requires


@bp.get("/jobs", endpoint="jobs")
@requires(roles.USERS)
def job_list():
    open_only = request.args.get("show") != "all"
    page = pagination.paginate(core.failures(open_only), JobFailure, number=pagination.page_number(request.args))
    return render_template("jobs/jobs.html", page=page, health=jobs.health(clock.now()), open_only=open_only,
                           title=core.title, errors={})


@bp.post("/jobs/<id:failure_id>/retry")
@requires(roles.USERS)
def job_retry(failure_id: int):
    failure, errors = attempt(lambda: core.retry(failure_id, current_user.email))
    if failure is None:
        page = pagination.paginate(core.failures(True), JobFailure, number=1)
        return render_template("jobs/jobs.html", page=page, health=jobs.health(clock.now()), open_only=True,
                               title=core.title, errors=errors), 409
    return saved(_("The job was queued again."), "jobs.jobs")
