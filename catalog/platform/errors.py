"""The one error scheme: an HTML page in the reader's language for the site, an RFC 9457 problem
document (:mod:`.problems`) for every JSON answer.

A request is answered in JSON when its path is under a prefix a feature
declared JSON-only (the partner API), or when it asks for JSON rather than
HTML (a stamp's verdict with ``Accept: application/json``). Pages use the
layout of the part of the site they are in: a feature registers its error
template for its path prefix (the admin area its own, the catalog the rest).
"""
from __future__ import annotations

from typing import Any

from flask import Flask, current_app, render_template, request
from flask_babel import gettext as _
from flask_limiter.errors import RateLimitExceeded
from werkzeug.exceptions import HTTPException, InternalServerError

from catalog.platform.problems import TITLES, Problem, problem_response

_KEY = "catalog.errors"
JSON_TYPES = ("application/json", "application/problem+json")


def init_app(app: Flask) -> None:
    app.extensions[_KEY] = {"json_prefixes": [], "pages": []}
    app.register_error_handler(Problem, _problem)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)


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
    return _page(code, getattr(error, "description", "") or ""), code, headers


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
    messages = {400: _("The request could not be read: %(problem)s", problem=description),
                403: _("Your role does not allow this. Ask an administrator if you need it."),
                404: _("There is no page at this address. Check the link, or search the catalog."),
                405: _("This address does not accept that request."),
                413: _("What you sent is larger than the service accepts. Send smaller or fewer files."),
                429: _("Too many requests from your network. Wait a moment and try again."),
                500: _("The service could not answer. Please try again in a moment."),
                503: _("The service is unavailable for a moment. Please try again shortly.")}
    template = next((t for prefix, t in current_app.extensions[_KEY]["pages"] if request.path.startswith(prefix)),
                    "platform/error.html")
    return render_template(template, code=code, title=titles.get(code, str(code)), message=messages.get(code, ""))
