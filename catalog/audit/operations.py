"""The audit log: every admin and CLI write of a record, with who, when, and the fields before and after.

Capture is below every surface: an ``after_flush`` listener on all sessions
looks at the flushed objects of the audited models (each declares itself where
it is defined, :func:`catalog.kernel.audited.audited`; ids are known
then, and attribute history still says what changed) and appends one
:class:`AuditEntry` per object, on the flush's own connection, so an entry
commits or rolls back with the write it describes.

Who: :func:`catalog.platform.actor.current_actor`, set by the admin area for each
signed-in request (reset when the request ends; ``sign-in from <address>`` for
the sign-in form, so failed attempts and locks are logged) or, when unset, ``cli:<os
user>`` while a click command runs outside any request. With no actor (public
scans and reports, partner API reads) nothing is recorded: the log is about
the people who keep the catalog, not its visitors.

Not audited row by row: writes that bypass the ORM on purpose (stamp codes,
demo data, stamp binding, the feed's own tables); the ORM record around them
(the stamp batch) is. Secrets are never copied: password hashes, API key hashes
and webhook secrets appear only as "(set)" or "(changed)".
"""
from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError
from sqlalchemy import Select, event, insert, inspect, select
from sqlalchemy.orm import Session

from catalog.audit.models import AUDIT_ACTIONS, AuditEntry
from catalog.kernel import calendar, clock
from catalog.kernel.audited import REGISTRY
from catalog.kernel.db import db
from catalog.kernel.ids import parse_id
from catalog.kernel.inputs import Line, LocalDate, MaxLength, OneOf, load, one_of
from catalog.platform.actor import current_actor

#: Set ``session.info[BULK_LOAD] = True`` around a bulk load whose ORM objects need no entry each.
BULK_LOAD = "bulk_load"
SET, CHANGED = "(set)", "(changed)"

SUMMARY_LENGTH = 300


# --- capture ------------------------------------------------------------------------------------

def _after_flush(session: Session, flush_context) -> None:
    if session.info.get(BULK_LOAD):
        return
    who = current_actor()
    if who is None:
        return
    rows = []
    for action, objects in (("create", session.new), ("update", session.dirty), ("delete", session.deleted)):
        for obj in objects:
            if type(obj) in REGISTRY:
                row = _entry(obj, action)
                if row is not None:
                    rows.append(row)
    if rows:
        at = clock.now()
        for row in rows:
            row.update(at=at, actor=who[:254])
        session.connection().execute(insert(AuditEntry), rows)


def _entry(obj: Any, action: str) -> dict[str, Any] | None:
    state = inspect(obj)
    mapper = state.mapper
    model = mapper.class_
    declared = REGISTRY[model]
    secrets = declared.secrets
    keys = _columns(mapper)
    values = state.dict
    changes: dict[str, Any] = {}
    if action == "update":
        for key in keys:
            history = state.attrs[key].history
            if not history.added and not history.deleted:
                continue
            if key in secrets:
                changes[key] = CHANGED
                continue
            before = history.deleted[0] if history.deleted else None
            after = history.added[0] if history.added else None
            if before != after:
                changes[key] = [json_safe(before), json_safe(after)]
        if not changes:
            return None
    else:
        pk = {column.key for column in mapper.primary_key}
        for key in keys:
            value = values.get(key)
            if value is None or key in pk and action == "create":
                continue
            if key in secrets:
                if action == "create":
                    changes[key] = SET
                continue
            changes[key] = [None, json_safe(value)] if action == "create" else [json_safe(value), None]
    identity = mapper.primary_key_from_instance(obj)
    summary = declared.summary(values)
    return {"action": action, "object_type": model.__name__,
            "object_id": ",".join("" if part is None else str(part) for part in identity)[:60],
            "summary": None if summary in (None, "") else str(summary)[:SUMMARY_LENGTH],
            "changes": changes}


@functools.cache
def _columns(mapper) -> tuple[str, ...]:
    return tuple(attr.key for attr in mapper.column_attrs)


def json_safe(value: Any) -> Any:
    """A value as JSON can keep it: instants and dates in ISO 8601, decimals as text."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [json_safe(v) for v in value]
    if isinstance(value, (bytes, bytearray, memoryview)):
        return f"({len(value)} bytes)"
    return str(value)


def listen() -> None:
    """Record the audited writes of every session (idempotent)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)


def object_types() -> tuple[str, ...]:
    """The names of the audited models (as entries record them)."""
    return tuple(sorted(model.__name__ for model in REGISTRY))


def _known_type(name: str) -> None:
    if name not in object_types():
        raise ValidationError(one_of(object_types()))


# --- reading ------------------------------------------------------------------------------------

class AuditFilter(Schema):
    class Meta:
        unknown = EXCLUDE

    actor = Line(load_default=None, allow_none=True, validate=MaxLength(254))
    object_type = Line(load_default=None, allow_none=True, validate=lambda name: _known_type(name))
    object_id = Line(load_default=None, allow_none=True, validate=MaxLength(60))
    action = Line(load_default=None, allow_none=True, validate=OneOf(AUDIT_ACTIONS))
    date_from = LocalDate(load_default=None, allow_none=True)
    date_to = LocalDate(load_default=None, allow_none=True)
    q = Line(load_default=None, allow_none=True, validate=MaxLength(200))


def entries(args: dict[str, Any]) -> tuple[Select, dict[str, Any]]:
    """Entries matching ``args`` (raw query values; ``q`` is left to the caller), newest first."""
    filters = load(AuditFilter(), {k: v for k, v in args.items() if v not in (None, "")})
    query = select(AuditEntry)
    if filters["actor"]:
        query = query.where(AuditEntry.actor.ilike(f"%{_like(filters['actor'])}%", escape="\\"))
    if filters["object_type"]:
        query = query.where(AuditEntry.object_type == filters["object_type"])
    if filters["object_id"]:
        query = query.where(AuditEntry.object_id == filters["object_id"])
    if filters["action"]:
        query = query.where(AuditEntry.action == filters["action"])
    if filters["date_from"]:
        query = query.where(AuditEntry.at >= calendar.start_of_day(filters["date_from"]))
    if filters["date_to"]:
        query = query.where(AuditEntry.at < calendar.end_of_day(filters["date_to"]))
    return query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()), filters


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def history_of(obj: Any) -> list[AuditEntry]:
    """Every entry about one record, oldest first."""
    identity = inspect(obj).mapper.primary_key_from_instance(obj)
    return list(db.session.scalars(select(AuditEntry).where(
        AuditEntry.object_type == type(obj).__name__,
        AuditEntry.object_id == ",".join(str(part) for part in identity)).order_by(AuditEntry.at, AuditEntry.id)))


def parents(object_type: str, ids: Iterable[str]) -> dict[str, Any]:
    """For records shown on another record's page: {id: that record's id} (e.g. a recognition's product)."""
    model = next((m for m in REGISTRY if m.__name__ == object_type), None)
    parent = REGISTRY[model].parent if model is not None else None
    numbers = sorted({number for number in map(parse_id, ids) if number is not None})
    if model is None or parent is None or not numbers:
        return {}
    own: Any = inspect(model).primary_key[0]
    column = getattr(model, parent)
    return {str(i): parent for i, parent in db.session.execute(select(own, column).where(own.in_(numbers)))}
