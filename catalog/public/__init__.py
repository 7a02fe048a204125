"""The public catalog: pages of the products whose OCOP recognition is in force now."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from catalog.platform import errors
    from catalog.public import links, products, seo, views  # noqa: F401  (views register on the blueprint)
    from catalog.public.blueprint import bp

    app.register_blueprint(bp)
    errors.page_template_for(app, "/", "public/error.html")
