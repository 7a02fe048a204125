"""Who may open which admin page: checked on the server for every route.

Every admin blueprint is made by :func:`admin_blueprint`: anyone not signed in
is sent to the sign-in page first, and a view that declares no permission
(:func:`requires`) is a 403 for everyone, never an open page.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, Flask, abort, current_app, request
from flask_login import current_user

from catalog.kernel import roles
from catalog.platform import actor


def requires(permission: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    if permission not in roles.ALL_PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}")

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
            if not roles.can(current_user, permission):
                abort(403)
            return view(*args, **kwargs)

        guarded.required_permission = permission  # type: ignore[attr-defined]
        return guarded

    return decorate


def public(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark an admin view as open to everyone (the sign-in form)."""
    view.public_admin_view = True  # type: ignore[attr-defined]
    return view


def can(permission: str) -> bool:
    """For templates: offer an action only to those who may take it."""
    return bool(current_user.is_authenticated and roles.can(current_user, permission))


def admin_blueprint(name: str, import_name: str) -> Blueprint:
    """A blueprint of the admin area: its own templates folder, every view behind the sign-in guard."""
    bp = Blueprint(name, import_name, template_folder="templates")
    bp.before_request(_signed_in_and_declared)
    return bp


def _signed_in_and_declared() -> Any:
    view = current_app.view_functions.get(request.endpoint or "")
    if view is not None and getattr(view, "public_admin_view", False):
        return None
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
    actor.set_actor(current_user.email)         # who this request's writes are by (reset when it ends)
    if view is not None and not hasattr(view, "required_permission"):
        abort(403)
    return None


def init_app(app: Flask) -> None:
    app.jinja_env.globals["can"] = can
