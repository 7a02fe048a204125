"""Accounts: creating and changing them, and signing in (what each role may do is :mod:`catalog.kernel.roles`).

Passwords are hashed with scrypt (werkzeug's current default). After
``LOCK_AFTER`` failed sign-ins in a row an account is locked for ``LOCK_FOR``;
the web layer adds a per-address rate limit on top.
"""
from __future__ import annotations

import datetime as dt

from marshmallow import EXCLUDE, Schema, fields, validate
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from catalog.accounts.models import User
from catalog.kernel import clock
from catalog.kernel.db import db
from catalog.kernel.errors import DomainError, InvalidInput
from catalog.kernel.i18n import N_, Message
from catalog.kernel.inputs import REQUIRED, Line, MaxLength, MinLength, OneOf, load
from catalog.kernel.roles import ROLES

MIN_PASSWORD_LENGTH = 12
LOCK_AFTER = 5
LOCK_FOR = dt.timedelta(minutes=15)

class AccountLocked(DomainError):
    def __init__(self, until: dt.datetime):
        super().__init__(Message(N_("too many failed sign-ins: the account is locked for a while")))
        self.until = until


class UserInput(Schema):
    class Meta:
        unknown = EXCLUDE

    email = Line(required=True, error_messages=REQUIRED, validate=[
        MaxLength(254), validate.Email(error=N_("is not an e-mail address"))])
    name = Line(load_default=None, allow_none=True, validate=MaxLength(120))
    role = Line(required=True, error_messages=REQUIRED, validate=OneOf(ROLES))
    password = fields.String(required=True, error_messages=REQUIRED,
                             validate=[MinLength(MIN_PASSWORD_LENGTH), MaxLength(200)])


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == (email or "").strip().lower()))


def create_user(**fields) -> User:
    data = load(UserInput(), fields)
    email = data["email"].lower()
    if db.session.scalar(select(func.count()).select_from(User).where(User.email == email)):
        raise InvalidInput({"email": [Message(N_("is already taken by another account"))]})
    user = User(email=email, name=data["name"], role=data["role"],
                password_hash=generate_password_hash(data["password"]), active=True, failed_logins=0)
    db.session.add(user)
    db.session.flush()
    return user


def update_user(user: User, *, role: str | None = None, active: bool | None = None,
                password: str | None = None) -> User:
    if role is not None:
        load(UserInput(only=("role",)), {"role": role})
        user.role = role
    if active is not None:
        user.active = active
    if password:
        load(UserInput(only=("password",)), {"password": password})
        user.password_hash = generate_password_hash(password)
        user.failed_logins, user.locked_until = 0, None
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None. Counts failures; raises AccountLocked."""
    user = find_user(email)
    now = clock.now()
    if user is None or not user.active:
        check_password_hash(_DUMMY_HASH, password or "")     # same work either way: no account probing by timing
        return None
    if user.locked_until is not None and user.locked_until > now:
        raise AccountLocked(user.locked_until)
    if not check_password_hash(user.password_hash, password or ""):
        user.failed_logins += 1
        if user.failed_logins >= LOCK_AFTER:
            user.locked_until, user.failed_logins = now + LOCK_FOR, 0
        db.session.flush()
        return None
    user.failed_logins, user.locked_until, user.last_login_at = 0, None, now
    db.session.flush()
    return user


_DUMMY_HASH = generate_password_hash("not a real password, only here to spend the same time")
