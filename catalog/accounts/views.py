"""Admin: accounts (administrators only)."""
from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_user
from sqlalchemy import select

from catalog.accounts import operations as accounts
from catalog.accounts.blueprint import bp
from catalog.accounts.models import User
from catalog.kernel import roles
from catalog.kernel.db import db
from catalog.kernel.roles import ROLES
from catalog.platform.forms import Errors, attempt, saved
from catalog.platform.permissions import requires


@bp.get("/users")
@requires(roles.USERS)
def users():
    return render_template("accounts/users.html", users=db.session.scalars(select(User).order_by(User.email)).all())


@bp.route("/users/new", methods=["GET", "POST"])
@requires(roles.USERS)
def user_new():
    form = dict(request.form)
    errors: Errors = {}
    if request.method == "POST":
        user, errors = attempt(lambda: accounts.create_user(email=form.get("email"), name=form.get("name"),
                                                            role=form.get("role"), password=form.get("password")))
        if user is not None:
            return saved(_("Account %(email)s created.", email=user.email), "accounts.users")
    form.pop("password", None)              # never echo a password back
    return render_template("accounts/user_form.html", form=form, errors=errors, roles=ROLES, user=None), \
        422 if errors else 200


@bp.route("/users/<id:user_id>", methods=["GET", "POST"])
@requires(roles.USERS)
def user_edit(user_id: int):
    user = db.get_or_404(User, user_id)
    form = {"role": user.role, "active": "1" if user.active else ""}
    errors: Errors = {}
    if request.method == "POST":
        form = dict(request.form)
        if user.id == current_user.id and (form.get("role") != "admin" or not form.get("active")):
            errors = {"role": [_("you cannot remove your own administrator access")]}
        else:
            errors = attempt(lambda: accounts.update_user(user, role=form.get("role"), active=bool(form.get("active")),
                                                          password=form.get("password") or None))[1]
            if not errors:
                if user.id == current_user.id and form.get("password"):
                    login_user(user)        # a new password ends the account's other sessions, not this one
                return saved(_("Account %(email)s saved.", email=user.email), "accounts.users")
        form.pop("password", None)
    return render_template("accounts/user_form.html", form=form, errors=errors, roles=ROLES, user=user), \
        422 if errors else 200
