"""The admin shell (``/admin``): its layout and navigation, and the dashboard composed from the features' figures.

Each feature's admin pages live in the feature, on a blueprint made by
:func:`catalog.platform.permissions.admin_blueprint` (sign-in guard, declared
permission per view) and extend this shell's ``admin/base.html``.
"""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from catalog.admin import dashboard  # noqa: F401  (views register on the blueprint)
    from catalog.admin.blueprint import bp
    from catalog.platform import errors

    app.register_blueprint(bp, url_prefix="/admin")
    errors.page_template_for(app, "/admin", "admin/error.html")
