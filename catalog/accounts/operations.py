"""Accounts: creating and changing them, and signing in (what each role may do is :mod:`catalog.kernel.roles`).

Passwords are hashed with scrypt (werkzeug's current default). Lock-out is per (address typed in the form,
client network): after ``CATALOG_LOGIN_LOCK_AFTER`` failed sign-ins in a row from one network, sign-in to
that address from that network is refused for ``CATALOG_LOGIN_LOCK_MINUTES``, twice as long at each further
lock (at most ``CATALOG_LOGIN_LOCK_MAX_HOURS``), while the account's owner may still sign in from their own
network. Unknown addresses are counted and locked exactly alike, and every attempt costs one password hash,
so neither the answer nor its time tells whether an account exists. The web layer adds a per-network rate
limit on top.

Sessions carry the account's ``session_token`` (see :class:`~catalog.accounts.models.User`): signing out,
a new password and deactivation replace it, which ends every session of the account on the server side.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale, gettext
from marshmallow import EXCLUDE, Schema, fields, validate
from sqlalchemy import case, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from werkzeug.security import check_password_hash, generate_password_hash

from catalog.accounts.models import SignInEvent, SignInThrottle, User, new_session_token
from catalog.kernel import calendar, clock
from catalog.kernel.db import db
from catalog.kernel.errors import DomainError, InvalidInput
from catalog.kernel.i18n import N_, Message
from catalog.kernel.inputs import REQUIRED, Line, MaxLength, MinLength, OneOf, load
from catalog.kernel.roles import ROLES
from catalog.platform import i18n, jobs, mail, transaction
from catalog.platform.sqlite import begin_immediately

MIN_PASSWORD_LENGTH = 12
LOCK_AFTER = 5                              # defaults of CATALOG_LOGIN_LOCK_AFTER, _LOCK_MINUTES, _LOCK_MAX_HOURS
LOCK_FOR = dt.timedelta(minutes=15)
LOCK_MAX = dt.timedelta(hours=24)

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
                password_hash=generate_password_hash(data["password"]), active=True)
    db.session.add(user)
    db.session.flush()
    return user


def update_user(user: User, *, role: str | None = None, active: bool | None = None,
                password: str | None = None) -> User:
    if role is not None:
        load(UserInput(only=("role",)), {"role": role})
        user.role = role
    if password:
        load(UserInput(only=("password",)), {"password": password})
        user.password_hash = generate_password_hash(password)
        end_sessions(user)
    if active is not None and active != user.active:
        user.active = active
        end_sessions(user)
    db.session.flush()
    return user


def end_sessions(user: User) -> None:
    """End every session of this account (each carries the token being replaced)."""
    user.session_token = new_session_token()
    db.session.flush()


@dataclass(frozen=True)
class Notice:
    """What happened at the sign-in form to an account from one network since its last sign-in."""
    network: str
    failures: int
    locks: int
    first: dt.datetime
    last: dt.datetime


@dataclass(frozen=True)
class SignedIn:
    user: User
    notices: list[Notice]


def lock_after() -> int:
    return int(current_app.config.get("CATALOG_LOGIN_LOCK_AFTER") or LOCK_AFTER)


def lock_duration(locks_before: int) -> dt.timedelta:
    """The first lock lasts CATALOG_LOGIN_LOCK_MINUTES; each further one in a row twice the last, up to a cap."""
    first = dt.timedelta(minutes=float(current_app.config.get("CATALOG_LOGIN_LOCK_MINUTES") or
                                       LOCK_FOR.total_seconds() / 60))
    cap = dt.timedelta(hours=float(current_app.config.get("CATALOG_LOGIN_LOCK_MAX_HOURS") or
                                   LOCK_MAX.total_seconds() / 3600))
    return min(first * 2 ** min(locks_before, 20), max(cap, first))


def authenticate(email: str, password: str, network: str) -> SignedIn | None:
    """The active user with these credentials (and what they missed), or None; raises AccountLocked.

    The attempt is counted first, atomically, and that count is committed at once (the one commit of the
    request before its end, so parallel attempts see it and no lock is held while hashing): only the first
    ``lock_after()`` attempts in a row from one network get their password checked; later ones are refused
    as locked. Every path spends one password hash, known account or not.
    """
    address = (email or "").strip().lower()[:254]
    network = network[:64]
    now = clock.now()
    _before_writing()
    attempt, locked_until = _count_attempt(address, network, now)
    user = find_user(address)
    known = user is not None and user.active
    user_id, stored_hash = (user.id, user.password_hash) if known and user is not None else (None, _DUMMY_HASH)
    transaction.commit()
    transaction.end_reads()                     # whatever the after-commit hooks read: the writes below start afresh
    limit = lock_after()
    locked = (locked_until is not None and locked_until > now) or attempt > limit
    right = check_password_hash(_DUMMY_HASH if locked else stored_hash, password or "")
    if locked:
        _record(user_id, network, "failed", now)
        if locked_until is None or locked_until <= now:      # counted past the limit while the lock was not set yet
            locked_until, new = _lock(address, network, now)
            if new:
                _locked(address, user_id, network, locked_until, now)
        raise AccountLocked(locked_until or now + lock_duration(0))
    if not right or user_id is None:
        _record(user_id, network, "failed", now)
        if attempt >= limit:
            until, new = _lock(address, network, now)
            if new:
                _locked(address, user_id, network, until, now)
        return None
    _before_writing()
    db.session.execute(delete(SignInThrottle).where(SignInThrottle.email == address,
                                                    SignInThrottle.network == network))
    signed_in = db.session.get(User, user_id)
    assert signed_in is not None
    notices = notices_since(signed_in.id, signed_in.last_login_at)
    signed_in.last_login_at = now
    db.session.flush()
    return SignedIn(signed_in, notices)


def _before_writing() -> None:
    """SQLite: a transaction that will write takes the write lock at BEGIN (it waits its turn there instead
    of failing on a read snapshot another writer has overtaken)."""
    if not db.session().in_transaction():
        begin_immediately()


def _count_attempt(address: str, network: str, now: dt.datetime) -> tuple[int, dt.datetime | None]:
    """Count one more attempt (not while locked) in ONE statement, and return the count and the lock's end."""
    table = SignInThrottle.__table__
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    insert = dialect.insert(table).values(email=address, network=network, failures=1, locks=0, updated_at=now)
    still_locked = table.c.locked_until.is_not(None) & (table.c.locked_until > now)
    upsert = insert.on_conflict_do_update(
        index_elements=[table.c.email, table.c.network],
        set_={"failures": case((still_locked, table.c.failures), else_=table.c.failures + 1), "updated_at": now},
    ).returning(table.c.failures, table.c.locked_until)
    row = db.session.execute(upsert).one()
    return row.failures, row.locked_until


def _lock(address: str, network: str, now: dt.datetime) -> tuple[dt.datetime | None, bool]:
    """Lock this address for this network, unless a lock runs already; its end, and whether it is new."""
    _before_writing()
    table = SignInThrottle.__table__
    key = (table.c.email == address) & (table.c.network == network)
    locks = db.session.scalar(select(table.c.locks).where(key))
    result = db.session.execute(update(table).where(
        key, table.c.locked_until.is_(None) | (table.c.locked_until <= now),
    ).values(locked_until=now + lock_duration(locks or 0), failures=0, locks=table.c.locks + 1, updated_at=now))
    return db.session.scalar(select(table.c.locked_until).where(key)), bool(getattr(result, "rowcount", 0))


def _locked(address: str, user_id: int | None, network: str, until: dt.datetime | None, now: dt.datetime) -> None:
    """A new lock: in the account's sign-in events, and the notice by e-mail queued after the commit. The
    notice job is queued for unknown addresses too (it finds no account and sends nothing), so the answer
    and its time do not tell whether the account exists."""
    _record(user_id, network, "locked", now)
    jobs.enqueue_after_commit(LOCK_NOTICE_JOB, address, network, (until or now + lock_duration(0)).isoformat())


def _record(user_id: int | None, network: str, kind: str, now: dt.datetime) -> None:
    if user_id is not None:
        _before_writing()
        db.session.add(SignInEvent(user_id=user_id, network=network, kind=kind, at=now))
        db.session.flush()


def notices_since(user_id: int, since: dt.datetime | None) -> list[Notice]:
    """Failed sign-ins and locks of this account after ``since``, by network, the most recent first."""
    query = select(SignInEvent.network, SignInEvent.kind, func.count(), func.min(SignInEvent.at),
                   func.max(SignInEvent.at)).where(SignInEvent.user_id == user_id)
    if since is not None:
        query = query.where(SignInEvent.at > since)
    by_network: dict[str, dict[str, tuple[int, dt.datetime, dt.datetime]]] = {}
    for network, kind, count, first, last in db.session.execute(query.group_by(SignInEvent.network,
                                                                             SignInEvent.kind)):
        by_network.setdefault(network, {})[kind] = (count, first, last)
    notices = []
    for network, kinds in by_network.items():
        spans = list(kinds.values())
        notices.append(Notice(network, kinds.get("failed", (0,))[0], kinds.get("locked", (0,))[0],
                              min(first for _, first, _ in spans), max(last for _, _, last in spans)))
    return sorted(notices, key=lambda n: n.last, reverse=True)


LOCK_NOTICE_JOB = "accounts.lock-notice"


@jobs.job(LOCK_NOTICE_JOB, N_("Sign-in: telling an account by e-mail that signing in to it was locked"))
def send_lock_notice(address: str, network: str, until: str) -> bool:
    """Mail the active account ``address`` that sign-in from ``network`` is locked until ``until`` (an ISO
    instant); nothing for an unknown or inactive address. Whether a mail was queued."""
    user = find_user(address)
    if user is None or not user.active:
        return False
    subject, body = lock_notice(user.email, network, dt.datetime.fromisoformat(until))
    mail.send_after_commit(user.email, subject, body)
    transaction.commit()
    return True


def lock_notice(email: str, network: str, until: dt.datetime) -> tuple[str, str]:
    """The notice's subject and text: Vietnamese first, English below."""
    offset = int((until.astimezone(calendar.zone()).utcoffset() or dt.timedelta(0)).total_seconds()) // 60
    zone = f"UTC{'-' if offset < 0 else '+'}{abs(offset) // 60:02d}:{abs(offset) % 60:02d}"
    subjects, bodies = [], []
    for language in i18n.LANGUAGES:
        with force_locale(language):
            when = f"{i18n.day_time(until)} ({zone})"
            subjects.append(gettext("Signing in to your account from one network was locked"))
            bodies.append("\n\n".join((
                gettext("%(count)s sign-ins in a row to your account %(email)s from the network %(network)s "
                        "failed, so signing in to it from that network is locked until %(until)s.",
                        count=lock_after(), email=email, network=network,
                        until=when),
                gettext("If it was not you, there is nothing to do: your password was not guessed, and you "
                        "can still sign in from your usual network."),
                gettext("If it was you, wait until then, or sign in from your usual network."),
                gettext("This message was sent automatically by %(registry)s; please do not answer it.",
                        registry=current_app.config["CATALOG_REGISTRY_NAME"]),
            )))
    return " / ".join(subjects), "\n\n-----\n\n".join(bodies) + "\n"


FORGET_JOB = "accounts.forget-throttles"
FORGET_AFTER = dt.timedelta(days=30)


@jobs.job(FORGET_JOB, N_("Sign-in: forgetting old counts of failed sign-ins"), periodic=True)
def forget_stale_throttles() -> int:
    """Remove counts of failed sign-ins untouched for FORGET_AFTER whose lock (if any) is over; how many."""
    now = clock.now()
    table = SignInThrottle.__table__
    stale = (table.c.updated_at < now - FORGET_AFTER,
             table.c.locked_until.is_(None) | (table.c.locked_until <= now))
    if db.session.scalar(select(table.c.id).where(*stale).limit(1)) is None:
        return 0                                    # the usual sweep: one read, no write
    transaction.end_reads()
    begin_immediately()
    removed = int(getattr(db.session.execute(delete(table).where(*stale)), "rowcount", 0) or 0)
    transaction.commit()
    return removed


_DUMMY_HASH = generate_password_hash("not a real password, only here to spend the same time")
