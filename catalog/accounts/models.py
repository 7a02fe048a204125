"""People who sign in to the admin area."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from catalog.kernel import clock
from catalog.kernel.audited import audited
from catalog.kernel.db import Model
from catalog.kernel.i18n import N_
from catalog.kernel.models.types import UTCDateTime


@audited(N_("User"), lambda v: v.get("email"), secrets=frozenset({"password_hash"}),
         page=("accounts.user_edit", "user_id"))
class User(Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)     # stored lower-case
    name: Mapped[str | None] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(10))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(SmallInteger, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=clock.now)

    # Flask-Login's user protocol (kept here so the admin needs no wrapper class)
    @property
    def is_active(self) -> bool:
        return self.active

    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        return str(self.id)

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"
