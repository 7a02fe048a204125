"""What every request goes through: the one commit, refusing NUL characters, row-id URLs, health, the security
headers (:mod:`.headers`), static files and their caching (:mod:`.assets`)."""
from __future__ import annotations

from flask import Flask, Response, abort, current_app, jsonify, request
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.routing import IntegerConverter

from catalog.kernel import clock
from catalog.kernel.db import db
from catalog.kernel.ids import MAX_ID
from catalog.platform import actor, assets, errors, headers, jobs, limits, transaction
from catalog.platform.problems import problem_response


class RowIdConverter(IntegerConverter):
    """``<id:name>``: a row id, 1 to :data:`~catalog.kernel.ids.MAX_ID`; anything larger is a 404, not a
    query PostgreSQL refuses."""

    def __init__(self, url_map, *args, **kwargs) -> None:
        super().__init__(url_map, min=1, max=MAX_ID)


def init_app(app: Flask) -> None:
    app.url_map.converters["id"] = RowIdConverter
    headers.init_app(app)
    assets.init_app(app)
    app.add_url_rule("/healthz", "healthz", healthz)
    app.add_url_rule("/ping", "ping", lambda: ("pong", 200, {"Content-Type": "text/plain"}))
    app.before_request(refuse_nul_characters)
    app.before_request(actor.request_began)                       # the admin names its user after this
    app.teardown_request(actor.request_ended)
    app.after_request(commit_session)


def refuse_nul_characters():
    """400 for a NUL character (U+0000) in the path, a parameter, a form field or a file name.

    No field may hold one, and PostgreSQL refuses it in any text parameter, so a
    lookup by slug or code would fail deep inside a query instead of here.
    """
    found = _nul_in_request()
    if found is None:
        return None
    where, name = found
    problem = "must not contain NUL characters (U+0000)"
    if errors.wants_json():
        return problem_response(400, f"The {where} parameter {name!r} {problem}.", kind="invalid-parameters",
                                errors=[{"name": name, "in": where, "problem": problem}])
    abort(400, description=f"{name}: {problem}")


def _nul_in_request() -> tuple[str, str] | None:
    """(where, name) of the first NUL: in the path, a query parameter, a form field or an upload's file name."""
    if "\x00" in request.path:
        return "path", request.path.replace("\x00", "\\0")
    fields = [("query", name, value) for name, value in request.args.items(multi=True)]
    if request.method == "POST":
        fields += [("form", name, value) for name, value in request.form.items(multi=True)]
        fields += [("form", name, upload.filename or "") for name, upload in request.files.items(multi=True)]
    for where, name, value in fields:
        if "\x00" in name or "\x00" in value:
            return where, name.replace("\x00", "\\0")
    return None


def commit_session(response: Response) -> Response:
    """Commit once per request, in this one place, when the view succeeded.

    Views and services only add and flush. An error response or an exception
    leaves the transaction to be rolled back when the app context ends. If the
    commit itself fails the client never gets a success page for unsaved work:
    an unreachable database answers the outage's 503 (:func:`errors.unavailable`),
    any other failure propagates to a 500.
    """
    if transaction.should_commit(response.status_code):
        try:
            transaction.commit()
        except SQLAlchemyError as exc:
            if not errors.is_outage(exc):
                raise
            return errors.unavailable(exc)
    else:
        db.session.rollback()
    return response


def healthz():
    """200 ``{"status": "ok"}`` when the database answers and is migrated, else 503; with the job queue's
    depth and what waits on a worker. ``degraded`` (still 200: the service answers) when the broker is
    unreachable, when the rate-limit store is (``"rate_limits": "unreachable"``: limits are counted in
    memory per process meanwhile) or when some work has waited longer than ``CATALOG_JOBS_STALE_SECONDS``."""
    try:
        db.session.execute(text("SELECT 1"))
        revision = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except SQLAlchemyError as exc:
        db.session.rollback()
        detail = "not migrated: run flask --app catalog db upgrade" if "alembic_version" in str(exc) \
            else "unreachable"
        return jsonify(status="error", database=detail), 503
    if revision is None:
        return jsonify(status="error", database="not migrated: run flask --app catalog db upgrade"), 503
    queue = jobs.health(clock.now())
    db.session.rollback()
    rate_limits = limits.health()
    degraded = queue["broker"] != "ok" or rate_limits != "ok" or queue["oldest_waiting_seconds"] > float(
        current_app.config["CATALOG_JOBS_STALE_SECONDS"])
    return jsonify(status="degraded" if degraded else "ok", database="ok", schema=revision, jobs=queue,
                   rate_limits=rate_limits)
