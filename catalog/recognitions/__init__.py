"""Officers' recognition work: the work list, recording decisions (with their preview) and revocations."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from catalog.recognitions import views  # noqa: F401  (views register on the blueprint)
    from catalog.recognitions.blueprint import bp

    app.register_blueprint(bp, url_prefix="/admin")
