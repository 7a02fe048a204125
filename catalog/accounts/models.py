"""People who sign in to the admin area, and what happened at the sign-in form."""
from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from catalog.kernel import clock
from catalog.kernel.audited import audited
from catalog.kernel.db import Model
from catalog.kernel.i18n import N_
from catalog.kernel.models.types import UTCDateTime


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


@audited(N_("User"), lambda v: v.get("email"), secrets=frozenset({"password_hash", "session_token"}),
         page=("accounts.user_edit", "user_id"))
class User(Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)     # stored lower-case
    name: Mapped[str | None] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(10))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Part of every session's user id: a new one ends all the account's sessions (sign-out, new password,
    # deactivation). Flask-Login's "alternative tokens".
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=clock.now)

    # Flask-Login's user protocol (kept here so the admin needs no wrapper class)
    @property
    def is_active(self) -> bool:
        return self.active

    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class SignInThrottle(Model):
    """Failed sign-ins in a row for one address typed in the form (an account or not) from one client network.

    ``failures`` counts attempts as they START (an atomic ``+ 1`` before the password is checked), so that
    parallel guesses cannot all be checked before any is counted; a sign-in removes the row.
    """

    __tablename__ = "sign_in_throttles"
    __table_args__ = (UniqueConstraint("email", "network", name="uq_sign_in_throttles_email_network"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))                  # as typed, lower-case
    network: Mapped[str] = mapped_column(String(64))                 # platform.limits.client_network
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locks: Mapped[int] = mapped_column(Integer, default=0)           # locks so far: each lasts twice the last
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=clock.now, index=True)


SIGN_IN_EVENTS = ("failed", "locked")


@audited(N_("Sign-in attempt"), lambda v: f"{v.get('kind')} {v.get('network')}",
         page=("accounts.user_edit", "user_id"), parent="user_id")
class SignInEvent(Model):
    """A failed sign-in to an account, or a lock of the account for one network: shown to the account at its
    next sign-in, and kept in the audit log."""

    __tablename__ = "sign_in_events"
    __table_args__ = (Index("ix_sign_in_events_user_at", "user_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=clock.now)
    network: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(10))                    # SIGN_IN_EVENTS
