"""API partners: their keys, the change feed that reconciles every product with the visibility rule,
webhooks, the partner API (``/api/v1``) and the partners' admin pages."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from catalog.partners import feed, feed_models, models, views, webhooks  # noqa: F401  (tables, views)
    from catalog.partners.api import bp as api_bp
    from catalog.partners.blueprint import bp
    from catalog.platform import errors
    from catalog.platform.extensions import csrf

    feed.listen()
    csrf.exempt(api_bp)                 # bearer keys, no cookies: nothing to forge
    app.register_blueprint(api_bp)
    errors.answer_json_under(app, "/api/")
    app.register_blueprint(bp, url_prefix="/admin")
    webhooks.init_app(app)
