"""The one error scheme: an HTML page in the reader's language for the site, an RFC 9457 problem
document (:mod:`.problems`) for every JSON answer.

A request is answered in JSON when its path is under a prefix a feature
declared JSON-only (the partner API), or when it asks for JSON rather than
HTML (a stamp's verdict with ``Accept: application/json``). Pages use the
layout of the part of the site they are in: a feature registers its error
template for its path prefix (the admin area its own, the catalog the rest).

A database that cannot be reached (refused or lost connections, a file that
cannot be opened, a full pool) is an outage, not a bug: wherever it surfaces (a
view, the user loader, the commit, a template), the answer is 503 with
``Retry-After`` (``CATALOG_RETRY_AFTER_SECONDS``), the page of the part of the
site drawn without asking the database who is signed in, or a problem document;
and the log gets one warning per ``CATALOG_OUTAGE_LOG_SECONDS`` with the number of
requests so answered, not one traceback per request.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Any

from flask import Flask, Response, current_app, g, make_response, render_template, request
from flask_babel import gettext as _
from flask_limiter.errors import RateLimitExceeded
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import HTTPException, InternalServerError

from catalog.kernel.db import db
from catalog.platform.problems import TITLES, Problem, problem_response

log = logging.getLogger(__name__)
_KEY = "catalog.errors"
JSON_TYPES = ("application/json", "application/problem+json")
#: What a database that cannot be reached raises: refused, lost or timed-out connections (OperationalError,
#: InterfaceError), a file SQLite cannot open or write, a pool with no connection left to give (TimeoutError).
OUTAGE_ERRORS: tuple[type[Exception], ...] = (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError)


def init_app(app: Flask) -> None:
    app.extensions[_KEY] = {"json_prefixes": [], "pages": [],
                            "outage": OutageLog(float(app.config.get("CATALOG_OUTAGE_LOG_SECONDS", 60)))}
    app.register_error_handler(Problem, _problem)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(sa_exc.SQLAlchemyError, _database_error)
    app.register_error_handler(Exception, _unexpected)


def is_outage(error: BaseException) -> bool:
    """Whether ``error`` says the database cannot be reached now (not that a query is wrong)."""
    if isinstance(error, OUTAGE_ERRORS):
        return True
    return isinstance(error, sa_exc.DBAPIError) and bool(error.connection_invalidated)


class OutageLog:
    """One warning per ``interval`` seconds while the database is unreachable, with how many requests it failed."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._lock = threading.Lock()
        self._count = 0
        self._logged_at: float | None = None

    def record(self, error: BaseException) -> None:
        now = time.monotonic()
        with self._lock:
            self._count += 1
            if self._logged_at is not None and now - self._logged_at < self.interval:
                return
            count, self._count, self._logged_at = self._count, 0, now
        log.warning("database unavailable: %d request(s) answered 503 since the last such line "
                    "(next line in %g s at the earliest): %s", count, self.interval, cause(error))


def cause(error: BaseException) -> str:
    """The driver's error in one line, for the log: ``psycopg.OperationalError: connection failed: ...``."""
    orig = getattr(error, "orig", None) or error
    first = (str(orig).strip().splitlines() or [""])[0]
    return f"{type(orig).__module__}.{type(orig).__name__}: {first[:300]}"


def unavailable(error: BaseException) -> Response:
    """The 503 answer to a database outage (``error``), counted in the outage log; never touches the database."""
    current_app.extensions[_KEY]["outage"].record(error)
    try:
        db.session.rollback()
    except sa_exc.SQLAlchemyError:      # the connection is gone already; the session is discarded at teardown
        pass
    headers = {"Retry-After": str(int(current_app.config.get("CATALOG_RETRY_AFTER_SECONDS", 30)))}
    if wants_json():
        return problem_response(503, "The service's database is unavailable for a moment. Retry after the number "
                                "of seconds in the Retry-After header.", kind="unavailable", headers=headers)
    _forget_user()
    try:
        body = _page(503, "")
    except Exception:  # noqa: BLE001 - the area's layout failed too: the plain page, drawn from no context at all
        body = current_app.jinja_env.get_template("platform/error.html").render(
            code=503, title=_("Service unavailable"), message=_message(503, ""))
    response = make_response(body, 503)
    response.headers.update(headers)
    return response


def _forget_user() -> None:
    """The outage page shows nobody signed in: looking the user up would ask the database again.

    Flask-Login keeps the request's user in ``g._login_user`` and only calls the user loader when it is
    missing; setting the anonymous user there (as ``LoginManager`` does for a request without a session)
    lets every layout render ``current_user`` without a query.
    """
    manager = getattr(current_app, "login_manager", None)
    if manager is not None:
        g._login_user = manager.anonymous_user()


def answer_json_under(app: Flask, prefix: str) -> None:
    """Every error under ``prefix`` is a problem document (an API: never an HTML page)."""
    app.extensions[_KEY]["json_prefixes"].append(prefix)


def page_template_for(app: Flask, prefix: str, template: str) -> None:
    """Error pages under ``prefix`` render ``template`` (with ``code``, ``title``, ``message``); longest prefix wins."""
    pages = app.extensions[_KEY]["pages"]
    pages.append((prefix, template))
    pages.sort(key=lambda item: -len(item[0]))


def wants_json() -> bool:
    """Whether this request's errors are answered with a problem document."""
    if request.path.startswith(tuple(current_app.extensions[_KEY]["json_prefixes"])):
        return True
    accept = request.accept_mimetypes
    best = accept.best_match([*JSON_TYPES, "text/html"])
    return best in JSON_TYPES and accept[best] > accept["text/html"]


def _problem(error: Problem) -> Any:
    return error.response()


def _http_error(error: HTTPException) -> Any:
    code = error.code or 500
    allowed = getattr(error, "valid_methods", None)          # RFC 9110: a 405 lists what is allowed
    headers = {"Allow": ", ".join(sorted(allowed))} if allowed else {}
    if isinstance(error, RateLimitExceeded):
        headers.update(getattr(error, "headers", None) or {})
    if wants_json():
        return problem_response(code, _json_detail(error), kind="rate-limited" if code == 429 else None,
                                headers=headers)
    try:
        return _page(code, getattr(error, "description", "") or ""), code, headers
    except sa_exc.SQLAlchemyError as exc:       # the layout asked the database (who is signed in) and it is down
        if is_outage(exc):
            return unavailable(exc)
        raise


def _database_error(error: sa_exc.SQLAlchemyError) -> Any:
    if is_outage(error):
        return unavailable(error)
    return _unexpected(error)


def _unexpected(error: Exception) -> Any:
    current_app.logger.exception("request failed: %s %s", request.method, request.path)
    return _http_error(InternalServerError())


def _json_detail(error: HTTPException) -> str:
    code = error.code or 500
    if code == 404:
        return f"There is nothing at {request.path}."
    if code == 405:
        allowed = getattr(error, "valid_methods", None) or ()
        return f"{request.method} is not allowed on {request.path}; use {', '.join(sorted(allowed))}."
    if code == 429:
        return (f"Rate limit exceeded ({error.description}). Retry after the number of seconds in the "
                "Retry-After header.")
    if code == 500:
        return "The service failed to answer; it has been logged. Please retry later."
    return error.description or TITLES.get(code, "Error")


def _page(code: int, description: str) -> str:
    titles = {400: _("Bad request"), 403: _("Not allowed"), 404: _("Page not found"), 405: _("Method not allowed"),
              413: _("File too large"), 429: _("Too many requests"), 500: _("Something went wrong"),
              503: _("Service unavailable")}
    template = next((t for prefix, t in current_app.extensions[_KEY]["pages"] if request.path.startswith(prefix)),
                    "platform/error.html")
    return render_template(template, code=code, title=titles.get(code, str(code)),
                           message=_message(code, description))


def _message(code: int, description: str) -> str:
    messages = {400: _("The request could not be read: %(problem)s", problem=description),
                403: _("Your role does not allow this. Ask an administrator if you need it."),
                404: _("There is no page at this address. Check the link, or search the catalog."),
                405: _("This address does not accept that request."),
                413: _("What you sent is larger than the service accepts. Send smaller or fewer files."),
                429: _("Too many requests from your network. Wait a moment and try again."),
                500: _("The service could not answer. Please try again in a moment."),
                503: _("The service is unavailable for a moment. Please try again shortly.")}
    return messages.get(code, "")
