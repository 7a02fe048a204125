"""Imports: a provincial decision's list, a revocation decision, the official communes; pages and commands."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from catalog.imports import cli, communes_cli, models, runs, views  # noqa: F401  (tables; views register)
    from catalog.imports.blueprint import bp
    from catalog.platform import jobs

    jobs.backlog(app, "import_runs", runs.backlog)
    app.register_blueprint(bp, url_prefix="/admin")
    app.cli.add_command(cli.import_cli)
    app.cli.add_command(communes_cli.communes_cli)
