"""OCOP catalog: traceability and QR catalog service for Vietnam's OCOP products."""
from __future__ import annotations

import os
from typing import Any

from flask import Flask

from . import config as _config
from .core import calendar
from .extensions import csrf, db, migrate


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

    from . import sqlite  # noqa: F401  (connection pragmas for SQLite)
    from .core import audit, feed, models  # noqa: F401  (every table on the metadata, for migrations)
    db.init_app(app)
    feed.listen()
    audit.listen()
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(__file__), "..", "migrations"))

    from . import i18n, limits, search, web
    csrf.init_app(app)
    limits.init_app(app)
    i18n.init_app(app)
    search.init_app(app)
    web.init_app(app)

    from .demo.cli import demo_data
    from .exports_cli import export_cli
    from .imports_cli import import_cli
    from .trace.cli import stamps_cli
    from .units_cli import communes_cli
    from .users_cli import users_cli
    app.cli.add_command(communes_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_data)
    app.cli.add_command(export_cli)
    app.cli.add_command(import_cli)
    app.cli.add_command(stamps_cli)
    return app
