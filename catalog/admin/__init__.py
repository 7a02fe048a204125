"""Admin area (``/admin``): officers and staff manage records, recognitions, stamps and reports.

Every view is wrapped by :func:`permissions.requires`; a blueprint-wide guard
sends anyone not signed in to the login page first. Views load, check, call
the core's services, and render; the one commit per request is in catalog.web.
"""
from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("admin", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    from . import permissions

    auth.init_app(app)
    permissions.init_app(app)
    app.register_blueprint(bp, url_prefix="/admin")


# The views register themselves on ``bp`` when imported.
from . import (  # noqa: E402,F401
    audit,
    auth,
    dashboard,
    exports,
    imports,
    lots,
    partners,
    producers,
    products,
    recognitions,
    reports,
    stamps,
    users,
    violations,
)
