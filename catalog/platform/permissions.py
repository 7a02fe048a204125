"""Who may open which admin page: checked on the server for every route.

Each view declares the permission it needs with :func:`requires`; the
blueprint refuses any view that declares none (so a forgotten decorator is a
403 for everyone, never an open page).
"""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import Flask, abort, current_app, request
from flask_login import current_user

from catalog.accounts import operations as accounts
from catalog.admin import bp
from catalog.audit import operations as audit

PUBLIC_ENDPOINTS = {"admin.login", "admin.static"}


def requires(permission: str) -> Callable:
    if permission not in accounts.PERMISSIONS["admin"]:
        raise ValueError(f"unknown permission {permission!r}")

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def guarded(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if not accounts.can(current_user, permission):
                abort(403)
            return view(*args, **kwargs)

        guarded.required_permission = permission
        return guarded

    return decorate


def can(permission: str) -> bool:
    """For templates: offer an action only to those who may take it."""
    return current_user.is_authenticated and accounts.can(current_user, permission)


@bp.before_request
def _signed_in_and_declared():
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    audit.set_actor(current_user.email)         # who this request's writes are by (reset when it ends)
    view = current_app.view_functions.get(request.endpoint)
    if view is not None and not hasattr(view, "required_permission"):
        abort(403)
    return None


def init_app(app: Flask) -> None:
    app.jinja_env.globals["can"] = can
