"""Sign in and out of the admin area (Flask-Login), with a rate limit and lock-out per (address, network).

A session's user id is ``<id>:<session token>`` (Flask-Login's alternative tokens): the loader refuses a
token the account no longer has, so signing out, a new password or deactivation ends copied sessions too.
"""
from __future__ import annotations

from hmac import compare_digest
from urllib.parse import urlsplit

from flask import Flask, current_app, flash, redirect, render_template, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_limiter.errors import RateLimitExceeded
from flask_login import LoginManager, current_user, login_user, logout_user

from catalog.accounts import operations as accounts
from catalog.accounts.blueprint import bp
from catalog.kernel import calendar, roles
from catalog.kernel.db import db
from catalog.kernel.ids import parse_id
from catalog.platform import actor, transaction
from catalog.platform.i18n import day_time
from catalog.platform.limits import client_network, limiter
from catalog.platform.permissions import public

login_manager = LoginManager()
login_manager.login_view = "accounts.login"
login_manager.login_message = _l("Please sign in to open this page.")
login_manager.session_protection = "strong"


class SessionInterface(SecureCookieSessionInterface):
    """Session cookie marked Secure whenever the request came over HTTPS (or always, by config)."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)


def init_app(app: Flask) -> None:
    app.config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    app.config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    app.session_interface = SessionInterface()
    login_manager.init_app(app)


@login_manager.user_loader
def _load_user(user_id: str):
    from catalog.accounts.models import User

    number, _sep, token = user_id.partition(":")
    found = parse_id(number)
    user = db.session.get(User, found) if found is not None and token else None
    return user if user is not None and user.active and compare_digest(user.session_token, token) else None


def _login_limit() -> str:
    return current_app.config["CATALOG_LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], key_func=client_network)
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("admin.dashboard"))
    error = None
    if request.method == "POST":
        email = request.form.get("email", "")
        actor.set_actor(f"sign-in from {request.remote_addr}")   # failures, locks and sign-ins land in the log
        try:
            signed_in = accounts.authenticate(email, request.form.get("password", ""), client_network())
        except accounts.AccountLocked as exc:
            error = _("Too many failed sign-ins to this address from your network. Signing in from here is "
                      "locked until %(time)s; try again then.",
                      time=exc.until.astimezone(calendar.zone()).strftime("%H:%M"))
            signed_in = None
        transaction.keep_despite_error_status()     # the failure count must be kept
        if signed_in is not None:
            session.clear()
            login_user(signed_in.user)
            for notice in signed_in.notices:
                flash(_notice(notice))
            return redirect(_safe_next(request.args.get("next")), code=303)
        error = error or _("The e-mail address or the password is wrong.")
        return render_template("accounts/login.html", error=error, email=email), 401
    return render_template("accounts/login.html", error=None, email="")


@bp.post("/logout")
def logout():
    accounts.end_sessions(current_user._get_current_object())   # a copy of this session's cookie ends too
    logout_user()
    session.clear()
    flash(_("You are signed out."))
    return redirect(url_for("accounts.login"), code=303)


logout.required_permission = roles.VIEW  # type: ignore[attr-defined]  # as requires() marks a view


@bp.errorhandler(RateLimitExceeded)
def _too_many(error: RateLimitExceeded):
    try:
        minutes = max(1, -(-error.limit.limit.get_expiry() // 60))
    except AttributeError:
        minutes = 15
    return render_template("accounts/login.html", email="", error=_(
        "Too many sign-in attempts from your network. Wait %(minutes)d minutes before trying again.",
        minutes=minutes)), 429


def _notice(notice: accounts.Notice) -> str:
    """Since your last sign-in: N failed sign-ins from a network, when, and the locks they caused."""
    text = ngettext("Since your last sign-in: %(num)d failed sign-in to your account from %(network)s, "
                    "between %(first)s and %(last)s.",
                    "Since your last sign-in: %(num)d failed sign-ins to your account from %(network)s, "
                    "between %(first)s and %(last)s.",
                    notice.failures, network=notice.network, first=day_time(notice.first), last=day_time(notice.last))
    if notice.locks:
        text += " " + ngettext("Signing in from there was locked %(num)d time.",
                               "Signing in from there was locked %(num)d times.", notice.locks)
    return text


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never an open redirect."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for("admin.dashboard")
