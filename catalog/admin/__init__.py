"""Admin area (``/admin``): officers and staff manage records, recognitions, stamps and reports.

Every view is wrapped by :func:`permissions.requires`; a blueprint-wide guard
sends anyone not signed in to the login page first. Views load, check, call
the core's services, and render; the one commit per request is in catalog.platform.web.
"""
from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("admin", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    from catalog.platform import permissions

    auth.init_app(app)
    permissions.init_app(app)
    app.register_blueprint(bp, url_prefix="/admin")


# The views register themselves on ``bp`` when imported.
from catalog.accounts import signin as auth  # noqa: E402,F401
from catalog.accounts import views as users
from catalog.admin import dashboard  # noqa: E402,F401
from catalog.audit import views as audit  # noqa: E402,F401
from catalog.exports import views as exports  # noqa: E402,F401
from catalog.imports import views as imports  # noqa: E402,F401
from catalog.partners import views as partners  # noqa: E402,F401
from catalog.recognitions import views as recognitions  # noqa: E402,F401
from catalog.records import producer_views as producers  # noqa: E402,F401
from catalog.records import product_views as products
from catalog.trace import lot_views as lots  # noqa: E402,F401
from catalog.trace import stamp_views as stamps
from catalog.violations import report_views as reports  # noqa: E402,F401
from catalog.violations import views as violations
