"""The audit log: who changed which record when, before and after; written below every surface, read by admins."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from catalog.audit import models, operations, views  # noqa: F401  (views register on the blueprint)
    from catalog.audit.blueprint import bp

    operations.listen()
    app.register_blueprint(bp, url_prefix="/admin")
