"""Violations found after certification and consumers' reports: the report form on the scan side, the
officers' queues, decisions, and revoking a recognition because of a violation."""
from __future__ import annotations

from flask import Flask

from catalog.violations.figures import new_reports, open_violations

__all__ = ["init_app", "new_reports", "open_violations"]


def init_app(app: Flask) -> None:
    from catalog.platform import labels
    from catalog.violations import models, report_form, report_views, views  # noqa: F401  (register on blueprints)
    from catalog.violations.blueprint import bp, public_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(bp, url_prefix="/admin")
    labels.register(app, category_label=views.category_label)
