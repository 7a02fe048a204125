"""Logs: a request id on every request, and with ``CATALOG_LOG_FORMAT=json``, one JSON object per line.

Every request has an id: the client's ``X-Request-ID`` when it is sane (1 to 128 letters, digits
and ``. _ : = + / -``), else a new one; the response carries it back in ``X-Request-ID``. Each
request ends with one record on the ``catalog.requests`` logger (level INFO): ``request_id``,
``endpoint``, ``method``, ``path``, ``status``, ``duration_ms``.

With ``CATALOG_LOG_FORMAT=json`` the root logger gets one handler writing JSON lines to standard
error (python-json-logger), its level INFO; a filter on it adds the ``request_id`` of the request
under way to every record emitted during one, whichever logger emitted it. Without it logging is
left as it is (plain text; INFO records such as the request lines are not shown).
"""
from __future__ import annotations

import logging
import re
import sys
import time
import uuid
from typing import Any

from flask import Flask, Response, g, has_request_context, request
from flask.logging import default_handler
from pythonjsonlogger.json import JsonFormatter

from catalog.platform.metrics import endpoint_label

#: Where each request's closing record goes.
request_log = logging.getLogger("catalog.requests")

HEADER = "X-Request-ID"
_SANE = re.compile(r"[A-Za-z0-9._:=+/-]{1,128}")
_ENVIRON_KEY = "catalog.request_id"


def init_app(app: Flask) -> None:
    """The request id and each request's closing record; JSON lines when the app is configured for them.

    Call it before the other ``before_request``/``after_request`` hooks are added, like :mod:`.metrics`.
    """
    if app.config.get("CATALOG_LOG_FORMAT") == "json":
        use_json_lines(app)
    app.before_request(_begin)
    app.after_request(_end)


def request_id() -> str | None:
    """The id of the request under way (taken from ``X-Request-ID`` or made on first use); None outside one."""
    if not has_request_context():
        return None
    found = request.environ.get(_ENVIRON_KEY)
    if found is None:
        given = request.headers.get(HEADER, "")
        found = given if _SANE.fullmatch(given) else uuid.uuid4().hex
        request.environ[_ENVIRON_KEY] = found
    return found


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record emitted during a request."""

    def filter(self, record: logging.LogRecord) -> bool:
        found = request_id()
        if found is not None:
            record.request_id = found
        return True


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is at the time (as :data:`logging.lastResort` does)."""

    def __init__(self) -> None:
        logging.Handler.__init__(self)

    @property
    def stream(self) -> Any:
        return sys.stderr


def use_json_lines(app: Flask) -> None:
    """Log JSON lines from every logger: one handler on the root logger (replacing one set up before)."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, _StderrHandler)]:
        root.removeHandler(handler)
    handler = _StderrHandler()
    handler.setFormatter(JsonFormatter("%(levelname)s %(name)s %(message)s", timestamp=True,
                                       rename_fields={"levelname": "level", "name": "logger"},
                                       json_ensure_ascii=False))
    handler.addFilter(RequestIdFilter())
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    app.logger.removeHandler(default_handler)       # Flask's plain one; its records reach the root's


def _begin() -> None:
    g.logs_started = time.perf_counter()
    request_id()


def _end(response: Response) -> Response:
    started = g.pop("logs_started", None)
    found = request_id()
    response.headers[HEADER] = found or ""
    if request_log.isEnabledFor(logging.INFO):
        duration_ms = round((time.perf_counter() - started) * 1000, 2) if started is not None else None
        request_log.info("%s %s %s", request.method, request.path, response.status_code,
                         extra={"request_id": found, "endpoint": endpoint_label(), "method": request.method,
                                "path": request.path, "status": response.status_code, "duration_ms": duration_ms})
    return response
