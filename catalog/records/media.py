"""Product photos, public: ``/media/products/<file>`` (re-encoded JPEGs we named; nothing else is served).

Evidence files and consumer report photos are never served here: only the
admin area hands them out, to those allowed to see them.
"""
from __future__ import annotations

import re
from pathlib import Path

from flask import Blueprint, abort, current_app, send_from_directory

bp = Blueprint("media", __name__)
_NAME = re.compile(r"[0-9a-f]{32}(-t)?\.jpg")


def products_folder() -> Path:
    return Path(current_app.instance_path) / "uploads" / "products"


@bp.get("/media/products/<name>")
def product_photo(name: str):
    if not _NAME.fullmatch(name):
        abort(404)
    response = send_from_directory(products_folder(), name, mimetype="image/jpeg", max_age=86400 * 30)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
