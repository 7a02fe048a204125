"""Partner API ``/api/v1``: listings, one product, the change feed, a full export, stamp checks.

JSON described by marshmallow schemas and an OpenAPI 3.1 document (``/api/v1/openapi.json``,
read by people at ``/api/v1/docs``). Partners authenticate with ``Authorization: Bearer <key>``;
errors are RFC 9457 problem documents (the platform's error scheme, for every path under ``/api/``).
"""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1", template_folder="templates")

from catalog.partners.api import auth, changes, docs, export, products, stamps  # noqa: E402,F401
