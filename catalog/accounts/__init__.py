"""Accounts of the admin area: users and their roles, signing in and out, ``flask users``."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from catalog.accounts import cli, models, signin, views  # noqa: F401  (views register on the blueprint)
    from catalog.accounts.blueprint import bp
    from catalog.platform import labels

    signin.init_app(app)
    app.jinja_env.filters["role_choice"] = lambda code: (code, labels.role(code))
    app.register_blueprint(bp, url_prefix="/admin")
    app.cli.add_command(cli.users_cli)
