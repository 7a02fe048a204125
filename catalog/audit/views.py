"""Admin: the audit log (administrators only): who changed which record when, and how. Read only.

The log is written by the core (:mod:`catalog.audit.operations`) for every admin and
CLI write; this page only reads it. No route here, or anywhere, edits or
deletes an entry, and the database refuses both anyway.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from flask import current_app, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.routing import BuildError

from catalog.audit import operations as core
from catalog.audit.blueprint import bp
from catalog.audit.models import AuditEntry
from catalog.kernel import roles
from catalog.kernel.audited import REGISTRY
from catalog.kernel.errors import InvalidInput
from catalog.platform import pagination
from catalog.platform.i18n import day, day_time
from catalog.platform.permissions import requires

FILTERS = ("actor", "object_type", "object_id", "action", "date_from", "date_to", "q")


def type_labels() -> dict[str, str]:
    return {model.__name__: _(declared.label) for model, declared in REGISTRY.items()}


def action_labels() -> dict[str, str]:
    return {"create": _("created"), "update": _("changed"), "delete": _("deleted")}


@bp.get("/audit", endpoint="audit")
@requires(roles.USERS)
def audit_log():
    args = request.args.to_dict()
    form = {name: args.get(name, "") for name in FILTERS}
    errors, page, rows = {}, None, []
    try:
        query, _filters = core.entries({k: v for k, v in form.items() if k != "q"})
    except InvalidInput as exc:
        errors = exc.errors
    else:
        page = pagination.paginate(query, AuditEntry, text=form["q"], columns=(AuditEntry.summary,),
                                      number=pagination.page_number(args))
        rows = _rows(page.items)
    types = type_labels()
    return render_template(
        "audit/audit.html", page=page, rows=rows, form=form, errors=errors,
        filters=pagination.filter_args(args, FILTERS), type_labels=types,
        type_choices=sorted(((name, types.get(name, name)) for name in core.object_types()), key=lambda c: c[1]),
        action_choices=list(action_labels().items())), 422 if errors else 200


def _rows(entries: list[AuditEntry]) -> list[dict[str, Any]]:
    by_type: dict[str, set[str]] = {}
    for entry in entries:
        by_type.setdefault(entry.object_type, set()).add(entry.object_id)
    parents = {name: core.parents(name, ids) for name, ids in by_type.items()}
    actions = action_labels()
    return [{"entry": entry, "action": actions.get(entry.action, entry.action),
             "link": _link(entry, parents.get(entry.object_type, {})), "changes": _changes(entry.changes)}
            for entry in entries]


def _link(entry: AuditEntry, parents: dict[str, Any]) -> str | None:
    """The record's admin page (or its parent's), when there is one and the record may still exist."""
    declared = next((d for model, d in REGISTRY.items() if model.__name__ == entry.object_type), None)
    if declared is None or declared.page is None or entry.action == "delete":
        return None
    endpoint, variable = declared.page
    target = parents.get(entry.object_id) if declared.parent else entry.object_id
    if target is None or not str(target).isdigit() or endpoint not in current_app.view_functions:
        return None
    try:
        values: dict[str, Any] = {variable: int(target)}
        return url_for(endpoint, **values)
    except BuildError:
        return None


def _changes(changes: dict[str, Any] | None) -> list[tuple[str, str | None, str | None, bool]]:
    """(field, before, after, secret) in field order; a secret shows only that it was set or changed."""
    shown = []
    for field, value in (changes or {}).items():             # in the model's column order
        if isinstance(value, list) and len(value) == 2:
            shown.append((field, _text(value[0]), _text(value[1]), False))
        else:
            secret = {core.SET: _("set (not shown)"), core.CHANGED: _("changed (not shown)")}
            shown.append((field, None, secret.get(value, _text(value)), True))
    return shown


def _text(value: Any) -> str | None:
    """A recorded value as people read it: instants in local time, dates as dates, lists joined."""
    if value is None or value == []:
        return None
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    try:
        if isinstance(value, str) and _ISO_INSTANT.fullmatch(value):
            return audit_time(dt.datetime.fromisoformat(value))
        if isinstance(value, str) and _ISO_DATE.fullmatch(value):
            return day(dt.date.fromisoformat(value))
    except ValueError:                                     # looked like one, was not: show it as it is
        pass
    return str(value)


_ISO_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:\d{2}")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@bp.app_template_filter("audit_time")
def audit_time(value: dt.datetime | None) -> str:
    """An instant as its local date and time, to the second."""
    return day_time(value, seconds=True)
