"""Exports: the products in force (CSV, XLSX) and the national PTNT_OCOP report record; page and command."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from catalog.exports import cli, views  # noqa: F401  (views register on the blueprint)
    from catalog.exports.blueprint import bp

    app.register_blueprint(bp, url_prefix="/admin")
    app.cli.add_command(cli.export_cli)
