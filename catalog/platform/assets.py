"""Static files (``static/``): URLs that carry their content's hash, and how long browsers keep them.

Every ``url_for('static', filename=...)`` gets ``?v=<hash>``, the first 12 hex digits of the file's SHA-256,
computed once at start-up (a deployment ships new files with a restart). An answer to such a URL is
``Cache-Control: public, max-age=31536000, immutable``: the URL changes whenever the file does, so a browser
never has to ask again. A URL without the hash, or with another file version's, is kept only
:data:`SHORT_MAX_AGE` seconds. ``/favicon.ico``, which browsers ask for by itself, is ``static/favicon.ico``.
"""
from __future__ import annotations

import hashlib
import os
from typing import Any

from flask import Flask, Response, current_app, request

IMMUTABLE = "public, max-age=31536000, immutable"
SHORT_MAX_AGE = 300                 # an unhashed URL: five minutes
FAVICON_MAX_AGE = 86400             # /favicon.ico: a day (its URL can carry no hash)
_KEY = "catalog.assets"


def init_app(app: Flask) -> None:
    app.extensions[_KEY] = hashes(app.static_folder or "")
    app.url_defaults(_hashed)
    app.view_functions["static"] = serve
    app.add_url_rule("/favicon.ico", "favicon", favicon)


def hashes(folder: str) -> dict[str, str]:
    """``{"catalog.css": "3f2a9c0d1b7e", ...}``: each file of ``folder`` (sub-folders included, ``/``-separated)."""
    found: dict[str, str] = {}
    for root, _dirs, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            with open(path, "rb") as handle:
                digest = hashlib.sha256(handle.read()).hexdigest()[:12]
            found[os.path.relpath(path, folder).replace(os.sep, "/")] = digest
    return found


def _hashed(endpoint: str | None, values: dict[str, Any]) -> None:
    if endpoint == "static" and "v" not in values:
        digest = current_app.extensions[_KEY].get(values.get("filename", ""))
        if digest:
            values["v"] = digest


def serve(filename: str) -> Response:
    """The static route: the file, immutable when the URL names its current hash."""
    response = current_app.send_static_file(filename)
    current = current_app.extensions[_KEY].get(filename)
    if current is not None and request.args.get("v") == current:
        response.headers["Cache-Control"] = IMMUTABLE
    else:
        response.headers["Cache-Control"] = f"public, max-age={SHORT_MAX_AGE}"
    return response


def favicon() -> Response:
    response = current_app.send_static_file("favicon.ico")
    response.headers["Cache-Control"] = f"public, max-age={FAVICON_MAX_AGE}"
    return response
