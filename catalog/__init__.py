"""OCOP catalog: traceability and QR catalog service for Vietnam's OCOP products.

:func:`create_app` composes the service: the platform (on the kernel), then
each feature package in turn. ``ARCHITECTURE.md`` maps the packages and the
rules of who may import whom.
"""
from __future__ import annotations

from typing import Any

from flask import Flask

from catalog import (
    accounts,
    admin,
    audit,
    exports,
    imports,
    partners,
    platform,
    public,
    recognitions,
    records,
    search,
    trace,
    violations,
)

#: Every feature, in the order it is wired (each registers its blueprints, commands and listeners).
FEATURES = (audit, search, partners, accounts, records, recognitions, trace, violations, imports, exports, public,
            admin)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application; ``config`` overrides what the environment gives."""
    app = platform.create_app(__name__, config)
    for feature in FEATURES:
        feature.init_app(app)
    return app
