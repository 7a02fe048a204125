"""RFC 9457 problem documents for every API error: ``type``, ``title``, ``status``, ``detail``, ``errors``.

Unknown URLs and wrong methods under ``/api/`` are answered here too
(:func:`routing_error`), so a partner never gets an HTML page from the API.
"""
from __future__ import annotations

from typing import Any

from flask import current_app, jsonify, request
from flask_limiter.errors import RateLimitExceeded
from werkzeug.exceptions import HTTPException

from catalog.partners.api import bp

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "https://ocop.example.vn/problems/"
TITLES = {400: "Bad request", 401: "Authentication required", 403: "Forbidden", 404: "Not found",
          405: "Method not allowed", 406: "Not acceptable", 410: "Gone", 422: "Unprocessable content",
          429: "Too many requests", 500: "Internal server error"}


class Problem(Exception):
    """Raise to answer with a problem document."""

    def __init__(self, status: int, detail: str, *, errors: list[dict[str, str]] | None = None,
                 kind: str | None = None, headers: dict[str, str] | None = None, **extra: Any):
        super().__init__(detail)
        self.status, self.detail, self.errors, self.kind = status, detail, errors, kind
        self.headers, self.extra = headers or {}, extra


def problem_response(status: int, detail: str, *, errors=None, kind: str | None = None, headers=None, **extra):
    body: dict[str, Any] = {"type": TYPE_BASE + (kind or str(status)), "title": TITLES.get(status, "Error"),
                            "status": status, "detail": detail}
    if errors:
        body["errors"] = errors
    body.update(extra)
    response = jsonify(body)
    response.status_code = status
    response.mimetype = MEDIA_TYPE
    response.headers.update(headers or {})
    return response


def parameter_errors(messages: dict[str, Any], where: str = "query") -> list[dict[str, str]]:
    """marshmallow's {field: [messages]} as [{"name", "in", "problem"}]."""
    found = []
    for name, problems in sorted(messages.items()):
        for text in problems if isinstance(problems, list) else [str(problems)]:
            found.append({"name": name, "in": where, "problem": "is not a known parameter"
                          if text == "Unknown field." else str(text)})
    return found


@bp.errorhandler(Problem)
def _problem(error: Problem):
    return problem_response(error.status, error.detail, errors=error.errors, kind=error.kind,
                            headers=error.headers, **error.extra)


@bp.errorhandler(RateLimitExceeded)
def _rate_limited(error: RateLimitExceeded):
    return problem_response(429, f"Rate limit exceeded ({error.description}). Retry after the number of "
                                 "seconds in the Retry-After header.", kind="rate-limited")


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException):
    return problem_response(error.code or 500, error.description or TITLES.get(error.code or 500, "Error"))


@bp.errorhandler(Exception)
def _unexpected(error: Exception):
    current_app.logger.exception("API request failed: %s %s", request.method, request.path)
    return problem_response(500, "The service failed to answer; it has been logged. Please retry later.")


def routing_error(error: HTTPException):
    """404 and 405 for URLs under /api/ (raised before any blueprint is chosen; catalog.platform.web dispatches here)."""
    allowed = getattr(error, "valid_methods", None)
    if error.code == 405:
        methods = ", ".join(sorted(allowed or ["GET"]))
        return problem_response(405, f"{request.method} is not allowed on {request.path}; use {methods}.",
                                headers={"Allow": methods})
    return problem_response(404, f"There is no API endpoint at {request.path}.")
