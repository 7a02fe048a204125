"""What an import did or would do, row by row: the preview's table, its warnings and its counts.

A report goes to JSON and back (:meth:`ImportReport.to_dict`, :meth:`ImportReport.from_dict`), so a
preview made by a background job can be stored and shown later: dates as ISO text, and each problem's
message as its English template with its values, so that a page still translates it.
"""
from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from catalog.imports.reading import Problem
from catalog.kernel.i18n import Message
from catalog.kernel.models.recognitions import KIND_FIRST, KIND_RE_RECOGNITION, KIND_UPGRADE

#: Count keys in the order reports list them.
COUNTS = ("rows", "producers_created", "producers_matched", "products_created", "products_matched",
          KIND_FIRST, KIND_RE_RECOGNITION, KIND_UPGRADE, "already_recorded", "expired_on_arrival",
          "not_yet_in_force", "communes_added", "revoked")


@dataclass(frozen=True)
class CommuneAdded:
    """A warning: the row's commune was not in the reference list and is added to its province."""

    line: int
    name: str
    province: str
    code: str

    def __str__(self) -> str:
        return (f"line {self.line}, column commune: {self.name} is not in the list of communes of {self.province}; "
                f"added with code {self.code}")


@dataclass
class RowResult:
    """What the import does with one row (the preview's table)."""

    line: int
    product_name: str
    producer_name: str
    producer: str = ""              # created | matched
    product: str = ""               # created | matched
    action: str = ""                # first | re_recognition | upgrade | already_recorded | revoked
    stars: int | None = None
    decision_number: str = ""
    decision_date: dt.date | None = None
    valid_until: dt.date | None = None
    status: str | None = None       # the recognition's status once imported: in_force, expired, ...
    commune: str | None = None
    recognition: str | None = None  # revocations: the decision number of the recognition revoked


@dataclass
class ImportReport:
    kind: str                       # decisions | revocations
    dry_run: bool
    rows: list[RowResult] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[CommuneAdded] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        """The report as plain JSON values (``json.dumps`` takes it as it is)."""
        return {"kind": self.kind, "dry_run": self.dry_run,
                "rows": [{name: value.isoformat() if isinstance(value, dt.date) else value
                          for name, value in dataclasses.asdict(row).items()} for row in self.rows],
                "problems": [{"line": p.line, "column": p.column, "message": _message_dict(Message.of(p.message))}
                             for p in self.problems],
                "warnings": [dataclasses.asdict(w) for w in self.warnings],
                "counts": dict(self.counts)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportReport:
        """The report :meth:`to_dict` gave (an equal one, its messages translatable as before)."""
        return cls(kind=data["kind"], dry_run=data["dry_run"],
                   rows=[_row(row) for row in data["rows"]],
                   problems=[Problem(p["line"], p["column"], _message(p["message"])) for p in data["problems"]],
                   warnings=[CommuneAdded(**w) for w in data["warnings"]],
                   counts={**dict.fromkeys(COUNTS, 0), **data["counts"]})

    def summary(self) -> str:
        """The non-zero counts, in English: ``4 rows, 2 producers created, ...``."""
        names = {KIND_FIRST: "first recognitions", KIND_RE_RECOGNITION: "re-recognitions", KIND_UPGRADE: "upgrades",
                 "already_recorded": "already recorded (left as they are)", "revoked": "recognitions revoked"}
        return ", ".join(f"{n} {names.get(key, key.replace('_', ' '))}"
                         for key, n in self.counts.items() if n) or "nothing"


def _row(data: dict[str, Any]) -> RowResult:
    values = dict(data)
    for name in ("decision_date", "valid_until"):
        if values.get(name) is not None:
            values[name] = dt.date.fromisoformat(values[name])
    return RowResult(**values)


def _message_dict(message: Message) -> dict[str, Any]:
    """A message as JSON: its English template and its values, each as :func:`_json_value` writes it."""
    return {"template": message.template, "params": {name: _json_value(v) for name, v in message.params.items()}}


def _message(data: dict[str, Any]) -> Message:
    return Message(data["template"], **{name: _value(v) for name, v in data["params"].items()})


def _json_value(value: Any) -> Any:
    """A value as JSON keeps it. A message's values are typed (a page formats a date for its reader), so
    what JSON has no type for is tagged: ``{"date": "2024-12-20"}``, ``{"decimal": "64.50"}``, a message."""
    if isinstance(value, Message):
        return {"message": _message_dict(value)}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, dt.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    return str(value)


def _value(data: Any) -> Any:
    if not isinstance(data, dict):
        return data
    if "message" in data:
        return _message(data["message"])
    if "datetime" in data:
        return dt.datetime.fromisoformat(data["datetime"])
    if "date" in data:
        return dt.date.fromisoformat(data["date"])
    return Decimal(data["decimal"])


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def problems_csv(problems: list[Problem], translate: Callable[[Message], str], header: tuple[str, str, str]) -> bytes:
    """Every problem as CSV (UTF-8 with a BOM, for Excel): line, column, problem in the reader's language.
    A cell that a spreadsheet would run as a formula (a value quoted from the file) starts with ``'``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for problem in problems:
        column = "" if problem.column in ("-", "file") else problem.column
        writer.writerow([_csv_cell(str(problem.line or "")), _csv_cell(column),
                         _csv_cell(translate(Message.of(problem.message)))])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value
