"""The service's own address: THE way to build an absolute URL, and refusing requests for unknown hosts.

Absolute URLs (canonical links, ``og:url``, the sitemap, robots.txt, Digital Link redirects and linksets,
the API's links) are built from ``CATALOG_PUBLIC_URL`` by :func:`external_url`, never from the request's
``Host`` header, which the client chooses. A request whose host is not trusted (the host of
``CATALOG_PUBLIC_URL``, the names in ``CATALOG_TRUSTED_HOSTS``, and the loopback names ``localhost`` and
``127.0.0.1``) is answered 400 before any view runs.

The trusted names are kept in Flask's own ``TRUSTED_HOSTS``. Flask checks it when it binds the request's
URL adapter and, on a mismatch, leaves none bound, so the error page could not build a single link (a 500,
not a 400); so the check is made first, by a small WSGI middleware (inside ProxyFix, which may set the host
from ``X-Forwarded-Host``): it puts the public host in the request's place and marks the request, and the
first ``before_request`` hook refuses it with the usual error page or problem document.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, has_request_context, request, url_for
from flask_babel import gettext as _
from werkzeug.sansio.utils import host_is_trusted

from catalog.platform import errors
from catalog.platform.problems import problem_response

_REFUSED = "catalog.refused_host"
#: Always trusted: a probe or an operator on the machine itself. URLs never come from the Host header,
#: so a client naming these gains nothing.
LOOPBACK_NAMES = ("localhost", "127.0.0.1")


def trusted_hosts(public_url: str, extra: str | Iterable[str] | None) -> list[str]:
    """The host names served: the public URL's, the extra ones (comma-separated or a list), the loopback names.

    A name starting with a dot trusts its subdomains too (``.example.vn``), as in Werkzeug."""
    names = [urlsplit(public_url).hostname or ""]
    items = extra.split(",") if isinstance(extra, str) else list(extra or ())
    names += [item.strip().lower() for item in items if item.strip()]
    names += LOOPBACK_NAMES
    return list(dict.fromkeys(name for name in names if name))


def check_hosts(app: Flask) -> None:
    """Mark requests for unknown hosts; call it before ProxyFix wraps ``app.wsgi_app`` (so it sees the host
    ProxyFix sets)."""
    app.wsgi_app = _HostCheck(app.wsgi_app, app)  # type: ignore[method-assign]


def init_app(app: Flask) -> None:
    """Refuse the marked requests (call it before the other request hooks but metrics' and logs'), and offer
    :func:`external_url` to templates."""
    app.before_request(_refuse_marked)
    app.add_template_global(external_url)


class _HostCheck:
    def __init__(self, wsgi_app: Any, app: Flask):
        self.wsgi_app, self.app = wsgi_app, app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        trusted = self.app.config.get("TRUSTED_HOSTS")
        host = environ.get("HTTP_HOST") or ""
        if trusted and not host_is_trusted(host, trusted):
            environ[_REFUSED] = host
            environ["HTTP_HOST"] = urlsplit(self.app.config["CATALOG_PUBLIC_URL"]).netloc
        return self.wsgi_app(environ, start_response)


def _refuse_marked() -> Any:
    refused = request.environ.get(_REFUSED)
    if refused is None:
        return None
    public = current_app.config["CATALOG_PUBLIC_URL"]
    if errors.wants_json():
        return problem_response(400, f"This service does not answer for the host {refused!r}; it is at {public}.",
                                kind="unknown-host", host=refused)
    abort(400, description=_("this service does not answer for the host %(host)s; it is at %(url)s",
                             host=refused, url=public))


def external_url(endpoint: str, **values: Any) -> str:
    """The absolute URL of ``endpoint`` under ``CATALOG_PUBLIC_URL`` (the address of the app's root).

    Works in a request (the blueprint-relative ``.name`` and URL defaults as in ``url_for``) and outside
    one (jobs, commands). ``_anchor`` is honoured."""
    base = current_app.config["CATALOG_PUBLIC_URL"].rstrip("/")
    if has_request_context():
        path = url_for(endpoint, **values)
        root = request.script_root
        if root and path.startswith(root + "/"):
            path = path[len(root):]
        return base + path
    anchor = values.pop("_anchor", None)
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return base + path + (f"#{anchor}" if anchor else "")
