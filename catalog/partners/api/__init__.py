"""Partner API ``/api/v1``: listings, one product, the change feed, a full export, stamp checks.

JSON described by marshmallow schemas and an OpenAPI 3.1 document (``/api/v1/openapi.json``,
read by people at ``/api/v1/docs``). Partners authenticate with ``Authorization: Bearer <key>``;
errors are RFC 9457 problem documents.
"""
from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("api", __name__, url_prefix="/api/v1", template_folder="templates")


def init_app(app: Flask) -> None:
    from catalog.partners import webhooks
    from catalog.platform.extensions import csrf

    csrf.exempt(bp)                 # bearer keys, no cookies: nothing to forge
    app.register_blueprint(bp)
    webhooks.init_app(app)


from catalog.partners.api import auth, changes, docs, export, products, stamps  # noqa: E402,F401
from catalog.platform import problems  # noqa: E402,F401
