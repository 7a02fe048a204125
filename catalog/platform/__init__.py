"""The platform: what every feature stands on besides the kernel.

Configuration, the database and its one commit per request, the error scheme
(HTML pages, RFC 9457 problem JSON), languages, rate limits, sign-in guarded
admin blueprints, forms, pagination, file storage, metrics and logs. It imports the kernel
and no feature; features plug into it through the hooks it offers.
"""
from __future__ import annotations

import os
from typing import Any

from flask import Flask

from catalog.kernel.db import db
from catalog.platform import config as _config

MIGRATIONS = os.path.join(os.path.dirname(__file__), "..", "..", "migrations")


def create_app(import_name: str, config: dict[str, Any] | None = None) -> Flask:
    """A configured Flask app with the platform's extensions and hooks; features are added by the caller."""
    app = Flask(import_name, instance_relative_config=True, template_folder="platform/templates",
                static_folder="platform/static")
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
    app.json.sort_keys = False          # type: ignore[attr-defined]  # keep documented field order
    app.json.ensure_ascii = False       # type: ignore[attr-defined]  # Vietnamese as UTF-8, not \u escapes
    from catalog.platform import hosts
    if app.config.get("TRUSTED_HOSTS") is None:
        app.config["TRUSTED_HOSTS"] = hosts.trusted_hosts(app.config["CATALOG_PUBLIC_URL"],
                                                          app.config.get("CATALOG_TRUSTED_HOSTS"))
    hosts.check_hosts(app)              # the host is checked after ProxyFix (below) has set it
    if app.config.get("CATALOG_PROXIES"):
        from werkzeug.middleware.proxy_fix import ProxyFix
        proxies = app.config["CATALOG_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)  # type: ignore[method-assign]

    from catalog.kernel import models  # noqa: F401  (the kernel's tables on the metadata)
    from catalog.platform import errors, i18n, job_models, jobs, limits, logs, mail, metrics, permissions, sqlite, web  # noqa: F401
    from catalog.platform.database_roles import init_app as database_roles_commands
    from catalog.platform.extensions import csrf, migrate
    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS)
    # First: their clocks start before any other hook runs, and they see the response after every other
    # hook (the commit included), with its final status.
    metrics.init_app(app)
    logs.init_app(app)
    hosts.init_app(app)
    csrf.init_app(app)
    errors.init_app(app)
    limits.init_app(app)
    i18n.init_app(app)
    permissions.init_app(app)
    web.init_app(app)
    jobs.init_app(app)
    database_roles_commands(app)
    return app
