"""OCOP catalog: traceability and QR catalog service for Vietnam's OCOP products.

:func:`create_app` composes the service: the platform (on the kernel), then
each feature package in turn. ``ARCHITECTURE.md`` maps the packages and the
rules of who may import whom.
"""
from __future__ import annotations

import importlib
from typing import Any

from flask import Flask

#: Every feature package, in the order it is wired (each registers its blueprints, commands and listeners).
#: Imported when an app is made, so that importing one module of the service does not import them all.
FEATURES = ("audit", "jobs", "search", "partners", "accounts", "records", "recognitions", "trace", "violations",
            "imports", "exports", "public", "admin")


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application; ``config`` overrides what the environment gives."""
    from catalog import platform

    app = platform.create_app(__name__, config)
    for name in FEATURES:
        importlib.import_module(f"catalog.{name}").init_app(app)
    return app
