"""What an import did or would do, row by row: the preview's table, its warnings and its counts."""
from __future__ import annotations

import dataclasses
import datetime as dt
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

    def summary(self) -> str:
        """The non-zero counts, in English: ``4 rows, 2 producers created, ...``."""
        names = {KIND_FIRST: "first recognitions", KIND_RE_RECOGNITION: "re-recognitions", KIND_UPGRADE: "upgrades",
                 "already_recorded": "already recorded (left as they are)", "revoked": "recognitions revoked"}
        return ", ".join(f"{n} {names.get(key, key.replace('_', ' '))}"
                         for key, n in self.counts.items() if n) or "nothing"


# --- kept between requests: a report as JSON (an import run's preview or result) -------------------

def _encode(value: Any) -> Any:
    if isinstance(value, Message):
        return {"message": value.template, "params": {k: _encode(v) for k, v in value.params.items()}}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if "message" in value:
            return Message(value["message"], **{k: _decode(v) for k, v in value["params"].items()})
        if "date" in value:
            return dt.date.fromisoformat(value["date"])
        if "decimal" in value:
            return Decimal(value["decimal"])
    return value


def to_dict(report: ImportReport) -> dict[str, Any]:
    """The report as JSON values; :func:`from_dict` gives it back, messages still translatable."""
    return {"kind": report.kind, "dry_run": report.dry_run, "counts": dict(report.counts),
            "rows": [{k: _encode(v) for k, v in dataclasses.asdict(row).items()} for row in report.rows],
            "problems": [[p.line, p.column, _encode(Message.of(p.message))] for p in report.problems],
            "warnings": [dataclasses.asdict(w) for w in report.warnings]}


def from_dict(data: dict[str, Any]) -> ImportReport:
    return ImportReport(
        kind=data["kind"], dry_run=data["dry_run"], counts=dict(data["counts"]),
        rows=[RowResult(**{k: _decode(v) for k, v in row.items()}) for row in data["rows"]],
        problems=[Problem(line, column, _decode(message)) for line, column, message in data["problems"]],
        warnings=[CommuneAdded(**w) for w in data["warnings"]])
