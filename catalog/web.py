"""Wiring shared by every surface: blueprints, the one commit per request, health, errors."""
from __future__ import annotations

from flask import Flask, Response, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from . import transaction
from .extensions import db


def init_app(app: Flask) -> None:
    from .admin import bp as admin_bp
    from .public import bp as public_bp
    from .trace import bp as trace_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(trace_bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.add_url_rule("/healthz", "healthz", healthz)
    app.add_url_rule("/ping", "ping", lambda: ("pong", 200, {"Content-Type": "text/plain"}))
    app.before_request(transaction.start_request)
    app.after_request(commit_session)


def commit_session(response: Response) -> Response:
    """Commit once per request, in this one place, when the view succeeded.

    Views and services only add and flush. An error response or an exception
    leaves the transaction to be rolled back when the app context ends. If the
    commit itself fails the exception propagates and the client gets a 500,
    never a success page for unsaved work.
    """
    if transaction.should_commit(response.status_code):
        transaction.commit()
    else:
        db.session.rollback()
    return response


def healthz():
    """200 ``{"status": "ok"}`` when the database answers and is migrated, else 503."""
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
    return jsonify(status="ok", database="ok", schema=revision)
