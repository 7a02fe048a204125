"""Security headers on every response: pages, error pages, problem JSON, files.

``Content-Security-Policy``: only this origin's stylesheets, images and forms; no script at all (the service
has none: a ``<script type="application/ld+json">`` data block is not executed, so CSP does not apply to
it); no plugins, no ``<base>``, no framing. The one inline style is the scan page's (a phone's first
request must be one light answer): its stylesheet (``static/scan.css``) is written into the page by
``{{ inline_style("scan.css") }}`` and allowed by its SHA-256 hash, computed here at start-up from the same
file, so the page and the policy cannot disagree. No ``style=""`` attribute anywhere (a hash cannot allow
one without ``'unsafe-hashes'``).

``X-Frame-Options: DENY`` says ``frame-ancestors 'none'`` to browsers that predate CSP;
``X-Content-Type-Options: nosniff``; ``Referrer-Policy: strict-origin-when-cross-origin`` (other sites see
the origin only, never a search or a stamp code); ``Strict-Transport-Security`` on answers given over HTTPS
(``request.is_secure``, which trusts ``X-Forwarded-Proto`` only from the ``CATALOG_PROXIES`` configured) or
when ``CATALOG_PUBLIC_URL`` is an https address, for ``CATALOG_HSTS_SECONDS`` (default one year; 0: never).
A view may set a header itself; what it sets is kept.
"""
from __future__ import annotations

import base64
import hashlib
import os

from flask import Flask, Response, current_app, request
from markupsafe import Markup

#: The stylesheets of ``static/`` that pages write inline (see the module's docstring).
INLINE_STYLES = ("scan.css",)
_KEY = "catalog.headers"
_STATIC = os.path.join(os.path.dirname(__file__), "static")


def init_app(app: Flask) -> None:
    """Headers on every response: call before the hooks whose responses must carry them (any order works,
    since every response, an error handler's included, goes through every ``after_request`` hook)."""
    styles = {name: _read(name) for name in INLINE_STYLES}
    hashes = " ".join(f"'sha256-{_digest(text)}'" for text in styles.values())
    policy = ("default-src 'self'; script-src 'none'; "
              f"style-src 'self' {hashes}; img-src 'self'; "
              "form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'")
    headers = {"Content-Security-Policy": policy, "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff",
               "Referrer-Policy": "strict-origin-when-cross-origin"}
    hsts = int(app.config.get("CATALOG_HSTS_SECONDS", 31536000))
    app.extensions[_KEY] = {"styles": styles, "headers": headers,
                            "hsts": f"max-age={hsts}" if hsts > 0 else None}
    app.jinja_env.globals["inline_style"] = inline_style
    app.after_request(add_headers)


def inline_style(name: str) -> Markup:
    """The text of ``static/<name>`` for a ``<style>`` element; only the stylesheets of :data:`INLINE_STYLES`."""
    return Markup(current_app.extensions[_KEY]["styles"][name])


def add_headers(response: Response) -> Response:
    found = current_app.extensions[_KEY]
    for name, value in found["headers"].items():
        response.headers.setdefault(name, value)
    if found["hsts"] and (request.is_secure or current_app.config.get("CATALOG_PUBLIC_URL", "").startswith("https://")):
        response.headers.setdefault("Strict-Transport-Security", found["hsts"])
    return response


def _read(name: str) -> str:
    with open(os.path.join(_STATIC, name), encoding="utf-8") as handle:
        return handle.read()


def _digest(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
