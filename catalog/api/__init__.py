"""Partner API ``/api/v1``: listings, one product, the change feed, a full export, stamp checks.

JSON described by marshmallow schemas and an OpenAPI 3.1 document (``/api/v1/openapi.json``,
read by people at ``/api/v1/docs``). Partners authenticate with ``Authorization: Bearer <key>``;
errors are RFC 9457 problem documents.
"""
from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("api", __name__, url_prefix="/api/v1", template_folder="templates")


def init_app(app: Flask) -> None:
    from ..extensions import csrf
    from . import webhooks

    csrf.exempt(bp)                 # bearer keys, no cookies: nothing to forge
    app.register_blueprint(bp)
    webhooks.init_app(app)


from . import auth, changes, docs, export, problems, products, stamps  # noqa: E402,F401
