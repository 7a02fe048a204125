"""Producer and product records in the admin area, product photos, and serving those photos publicly."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from catalog.records import media, producer_views, product_views  # noqa: F401  (views register on blueprints)
    from catalog.records.blueprint import bp

    app.register_blueprint(bp, url_prefix="/admin")
    app.register_blueprint(media.bp)
    app.jinja_env.globals["photo_sources"] = media.photo_sources
