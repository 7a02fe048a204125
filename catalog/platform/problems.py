"""RFC 9457 problem documents, the one shape of every JSON error: ``type``, ``title``, ``status``, ``detail``,
``errors`` (each ``name``, ``in``, ``problem``) and any extension members.

Raise :class:`Problem` anywhere a JSON answer is being made, or return
:func:`problem_response`; :mod:`catalog.platform.errors` turns every other
error of a JSON request into one.
"""
from __future__ import annotations

from typing import Any

from flask import Response, jsonify

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "https://ocop.example.vn/problems/"
TITLES = {400: "Bad request", 401: "Authentication required", 403: "Forbidden", 404: "Not found",
          405: "Method not allowed", 406: "Not acceptable", 410: "Gone", 413: "Content too large",
          422: "Unprocessable content", 429: "Too many requests", 500: "Internal server error",
          503: "Service unavailable"}


class Problem(Exception):
    """Raise to answer with a problem document."""

    def __init__(self, status: int, detail: str, *, errors: list[dict[str, str]] | None = None,
                 kind: str | None = None, headers: dict[str, str] | None = None, **extra: Any):
        super().__init__(detail)
        self.status, self.detail, self.errors, self.kind = status, detail, errors, kind
        self.headers, self.extra = headers or {}, extra

    def response(self) -> Response:
        return problem_response(self.status, self.detail, errors=self.errors, kind=self.kind, headers=self.headers,
                                **self.extra)


def problem_response(status: int, detail: str, *, errors: list[dict[str, str]] | None = None,
                     kind: str | None = None, headers: dict[str, str] | None = None, **extra: Any) -> Response:
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
