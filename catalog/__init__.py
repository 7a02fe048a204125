"""OCOP catalog: traceability and QR catalog service for Vietnam's OCOP products."""
from __future__ import annotations

import os
from typing import Any

from flask import Flask

from catalog.kernel import calendar
from catalog.kernel.db import db
from catalog.platform import config as _config
from catalog.platform.extensions import csrf, migrate


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application; ``config`` overrides what the environment gives."""
    app = Flask(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.update(_config.from_environment(app.instance_path))
    app.config.update(config or {})
    if app.config.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = _config.database_url(
            app.config["DATABASE_URL"], app.instance_path)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _config.secret_key(app.instance_path)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # A file's connection cannot go stale: no "SELECT 1" before every checkout (a scan checks out twice).
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {**app.config["SQLALCHEMY_ENGINE_OPTIONS"], "pool_pre_ping": False}
    calendar.set_timezone(app.config["CATALOG_TIMEZONE"])
    app.json.sort_keys = False          # keep documented field order ("verdict" first)
    app.json.ensure_ascii = False       # Vietnamese as UTF-8, not \u escapes
    if app.config.get("CATALOG_PROXIES"):
        from werkzeug.middleware.proxy_fix import ProxyFix
        proxies = app.config["CATALOG_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)

    from catalog.audit import operations as audit  # noqa: F401  (every table on the metadata, for migrations)
    from catalog.accounts import models as _accounts  # noqa: F401  (every table on the metadata, for migrations)
    from catalog.audit import models as _audit  # noqa: F401
    from catalog.kernel import models  # noqa: F401
    from catalog.partners import feed_models as _feed  # noqa: F401
    from catalog.partners import models as _partners  # noqa: F401
    from catalog.trace.models import lots as _lots  # noqa: F401
    from catalog.trace.models import scans as _scans  # noqa: F401
    from catalog.trace.models import stamps as _stamps  # noqa: F401
    from catalog.violations import models as _violations  # noqa: F401
    from catalog.partners import feed  # noqa: F401  (every table on the metadata, for migrations)
    from catalog.platform import sqlite  # noqa: F401  (connection pragmas for SQLite)
    db.init_app(app)
    feed.listen()
    audit.listen()
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(__file__), "..", "migrations"))

    from catalog import search
    from catalog.platform import i18n, limits, web
    csrf.init_app(app)
    limits.init_app(app)
    i18n.init_app(app)
    search.init_app(app)
    web.init_app(app)

    from catalog.accounts.cli import users_cli
    from catalog.exports.cli import export_cli
    from catalog.imports.cli import import_cli
    from catalog.imports.communes_cli import communes_cli
    from catalog.trace.cli import stamps_cli
    app.cli.add_command(communes_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(export_cli)
    app.cli.add_command(import_cli)
    app.cli.add_command(stamps_cli)
    return app
