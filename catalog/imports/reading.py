"""Reading an import file (CSV or XLSX) and checking every row, before anything is written.

CSV is UTF-8 (with or without a byte-order mark), comma- or semicolon-separated
(sniffed from the header line). XLSX is read from its first sheet, read-only, with
cell values as Excel holds them: dates become ``date``, whole numbers lose their
``.0``. Each row is then checked on its own (the core's input schemas, the
taxonomy, producer kinds, the 34 provinces) into plain values and a list of
problems (line, column, problem). Nothing here writes; :mod:`.imports` applies.
"""
from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from catalog.kernel import programme, units
from catalog.kernel.errors import InvalidInput
from catalog.kernel.former_units import FORMER_PROVINCES
from catalog.kernel.gtin import normalise_gtin
from catalog.kernel.i18n import N_, Message
from catalog.kernel.inputs import ProducerInput, ProductInput, RecognitionDecisionInput, RevocationInput, load
from catalog.kernel.models.producers import PRODUCER_KINDS
from catalog.kernel.taxonomy import resolve_set
from catalog.kernel.text import clean_line, fold

#: Largest file the admin area accepts (the CLI reads any size).
MAX_BYTES = 5 * 2**20
EXTENSIONS = ("csv", "xlsx")
FILE = "file"           # the "column" of a problem with the file as a whole

DECISION_COLUMNS = ("product_name", "product_set", "producer_name", "producer_kind", "province", "commune", "score",
                    "level", "authority", "decision_number", "decision_date", "packaging", "gtin", "description")
DECISION_OPTIONAL = ("commune", "packaging", "gtin", "description")
DECISION_REQUIRED = tuple(c for c in DECISION_COLUMNS if c not in DECISION_OPTIONAL)
REVOCATION_COLUMNS = ("product_name", "producer_name", "decision_number", "decision_date", "authority", "ground",
                      "reason")
REVOCATION_REQUIRED = REVOCATION_COLUMNS[:-1]

#: What a producer_kind cell may say, folded: the codes, the Vietnamese and English names, and the usual short forms.
KIND_ALIASES: dict[str, str] = {
    **{fold(code): code for code in PRODUCER_KINDS},
    **{fold(code.replace("_", " ")): code for code in PRODUCER_KINDS},
    **{fold(name.vi): code for code, name in PRODUCER_KINDS.items()},
    **{fold(name.en): code for code, name in PRODUCER_KINDS.items()},
    "htx": "cooperative", "hop tac xa": "cooperative", "doanh nghiep": "enterprise", "dn": "enterprise",
    "to hop tac": "cooperative_group", "tht": "cooperative_group", "ho kinh doanh": "household",
    "hkd": "household", "ho san xuat": "household", "khac": "other", "chu the khac": "other",
}
LEVEL_ALIASES = {"province": programme.LEVEL_PROVINCE, "tinh": programme.LEVEL_PROVINCE,
                 "cap tinh": programme.LEVEL_PROVINCE, "national": programme.LEVEL_NATIONAL,
                 "quoc gia": programme.LEVEL_NATIONAL, "trung uong": programme.LEVEL_NATIONAL}
_PROVINCE_PREFIXES = ("thanh pho ", "tp. ", "tp ", "tinh ")
#: fold() of the short values a column repeats (provinces, kinds, levels, grounds), remembered.
_fold_term = functools.lru_cache(maxsize=1024)(fold)
#: What a producer_kind cell may say, as a problem lists it.
KIND_CHOICES = (*PRODUCER_KINDS, "HTX", *(name.vi for name in PRODUCER_KINDS.values()), "Khác")


@dataclass(frozen=True)
class Problem:
    """Something wrong with one cell (or row, or the file): ``line 7, column score: ...``.

    ``message`` is a :class:`~catalog.kernel.i18n.Message`: English here (the CLI), translated on the pages."""

    line: int
    column: str
    message: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "message", Message.of(self.message))

    def __str__(self) -> str:
        if not self.line:
            return self.message
        if self.column in ("-", FILE):
            return f"line {self.line}: {self.message}"
        return f"line {self.line}, column {self.column}: {self.message}"


@dataclass
class Table:
    """The rows of a file, each ``(line number, {column: text or value})``; ``problems`` if unreadable."""

    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def extension(filename: str | None) -> str:
    """``csv`` or ``xlsx`` from a file name (any case), else ``""``."""
    name = (filename or "").strip().lower()
    ext = name.rsplit(".", 1)[-1] if "." in name else ""
    return ext if ext in EXTENSIONS else ""


def sniff(data: bytes, ext: str) -> Message | None:
    """Why ``data`` is not what ``ext`` says (None when it looks right): XLSX is a ZIP, CSV is UTF-8 text."""
    if ext == "xlsx":
        return None if data[:2] == b"PK" else Message(N_("is not an XLSX workbook (an .xlsx file is a ZIP archive)"))
    if ext == "csv":
        if data[:2] == b"PK":
            return Message(N_("is a workbook, not CSV text: save it as .xlsx or export it as CSV (UTF-8)"))
        try:
            data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            return Message(N_("is not UTF-8 text (byte %(byte)s): save it as CSV UTF-8"), byte=exc.start + 1)
        return None
    return Message(N_("must be a .csv or .xlsx file"))


def _of_file(filename: str, problem: Message) -> Message:
    """``problem`` said of the file: ``qd-2751.csv has a header but no rows``."""
    return Message("%(file)s %(problem)s", file=filename, problem=problem)


def read_table(data: bytes, filename: str, columns: Sequence[str], required: Sequence[str],
               progress: Callable[[int], None] | None = None) -> Table:
    """Read ``data`` (named ``filename``) and check its header against ``columns``.

    ``progress`` is called with 1 for each line read after the header (a large workbook takes seconds)."""
    ext = extension(filename)
    problem = sniff(data, ext)
    if problem:
        return Table(problems=[Problem(0, FILE, _of_file(filename, problem))])
    try:
        header_line, header, rows = _read_xlsx(data, progress) if ext == "xlsx" else _read_csv(data, progress)
    except _Unreadable as exc:
        return Table(problems=[Problem(0, FILE, _of_file(filename, exc.message))])
    table = Table(header=header)
    table.problems = check_header(header, header_line, columns, required)
    if table.problems:
        return table
    for line, values in rows:
        if len(values) > len(header) and any(_blank(v) is not None for v in values[len(header):]):
            table.problems.append(Problem(line, FILE, Message(
                N_("has %(values)s values but the header has %(columns)s columns (a separator inside a value must "
                   "be quoted)"), values=len(values), columns=len(header))))
            continue
        table.rows.append((line, {name: _blank(values[i]) if i < len(values) else None
                                  for i, name in enumerate(header)}))
    if not table.rows and not table.problems:
        table.problems.append(Problem(0, FILE, _of_file(filename, Message(N_("has a header but no rows")))))
    return table


def read_decisions(data: bytes, filename: str, progress: Callable[[int], None] | None = None) -> Table:
    return read_table(data, filename, DECISION_COLUMNS, DECISION_REQUIRED, progress)


def read_revocations(data: bytes, filename: str, progress: Callable[[int], None] | None = None) -> Table:
    return read_table(data, filename, REVOCATION_COLUMNS, REVOCATION_REQUIRED, progress)


Check = Callable[[int, dict[str, Any], list[Problem], dict[str, str]], dict[str, Any]]


def check_rows(table: Table, check: Check, progress: Callable[[int], None] | None = None,
               ) -> tuple[list[tuple[int, dict[str, Any] | None]], list[Problem]]:
    """Each row's checked values (None when it has a problem), and every problem, file and header first.

    ``progress`` is called with 1 for each row checked."""
    problems = list(table.problems)
    provinces = _province_index()
    checked = []
    for line, raw in table.rows:
        found: list[Problem] = []
        row = check(line, raw, found, provinces)
        problems.extend(found)
        checked.append((line, None if found else row))
        if progress:
            progress(1)
    return checked, problems


def check_header(header: list[str], line: int, columns: Sequence[str], required: Sequence[str]) -> list[Problem]:
    problems = []
    if not any(header):
        return [Problem(line or 1, FILE, Message(N_("the first line must be the header: %(columns)s"),
                                                 columns=", ".join(columns)))]
    seen: set[str] = set()
    for name in header:
        if name in seen:
            problems.append(Problem(line, name, Message(N_("appears twice in the header"))))
        elif name and name not in columns:
            problems.append(Problem(line, name, Message(
                N_("is not a column of this file; the columns are: %(columns)s"), columns=", ".join(columns))))
        seen.add(name)
    for name in required:
        if name not in header:
            problems.append(Problem(line, name, Message(N_("is missing from the header"))))
    return problems


class _Unreadable(Exception):
    def __init__(self, message: Message):
        super().__init__(message)
        self.message = message


def _blank(value: Any) -> Any:
    """Blank cells are None; text is stripped."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    return value


def _read_csv(data: bytes, progress: Callable[[int], None] | None,
              ) -> tuple[int, list[str], list[tuple[int, list[str]]]]:
    text = data.decode("utf-8-sig")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    header_line, rows = 0, []
    try:
        while True:
            start = reader.line_num + 1
            try:
                values = next(reader)
            except StopIteration:
                break
            if not any(v.strip() for v in values):
                continue
            if header is None:
                header, header_line = [v.strip() for v in values], start
            else:
                rows.append((start, values))
                if progress:
                    progress(1)
    except csv.Error as exc:
        raise _Unreadable(Message(N_("cannot be read as CSV near line %(line)s: %(error)s"),
                                  line=reader.line_num, error=str(exc))) from None
    return header_line, header or [], rows


def _read_xlsx(data: bytes, progress: Callable[[int], None] | None,
               ) -> tuple[int, list[str], list[tuple[int, list[Any]]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise _Unreadable(Message(N_("is not an XLSX workbook that can be read (%(error)s)"),
                                  error=exc.__class__.__name__)) from None
    try:
        if not workbook.worksheets:
            raise _Unreadable(Message(N_("has no sheet")))
        header: list[str] | None = None
        header_line, rows = 0, []
        for line, values in enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1):
            cells = [_cell(v) for v in values]
            while cells and cells[-1] is None:
                cells.pop()
            if not any(_blank(c) is not None for c in cells):
                continue
            if header is None:
                header, header_line = [str(c).strip() if c is not None else "" for c in cells], line
            else:
                rows.append((line, cells))
                if progress:
                    progress(1)
        return header_line, header or [], rows
    finally:
        workbook.close()


def _cell(value: Any) -> Any:
    """An XLSX value as the importer reads it: dates as dates, whole floats as ints."""
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# --- checking one row ---------------------------------------------------------------------------

# The core's input schemas, restricted to what a file's row holds; made once (a schema is reusable).
_PRODUCT = ProductInput(only=("name", "packaging", "description"))
_PRODUCT_NAME = ProductInput(only=("name",))
_PRODUCER_NAME = ProducerInput(only=("name",))
_DECISION = RecognitionDecisionInput(only=("score", "level", "authority", "decision_number", "decision_date"))
_REVOCATION = RevocationInput()


def check_decision(line: int, raw: dict[str, Any], problems: list[Problem], provinces) -> dict[str, Any]:
    row: dict[str, Any] = {}
    _load_into(row, line, problems, _PRODUCT,
               {"name": _text(raw.get("product_name")), "packaging": _text(raw.get("packaging")),
                "description": _text(raw.get("description"))}, {"name": "product_name"})
    _load_into(row, line, problems, _PRODUCER_NAME, {"name": _text(raw.get("producer_name"))},
               {"name": "producer_name"}, rename={"name": "producer_name"})
    try:
        row["product_set"] = resolve_set(_text(raw.get("product_set"))).number
    except InvalidInput as exc:
        problems.extend(Problem(line, "product_set", m) for m in exc.errors["product_set"])
    row["kind"] = _lookup(line, problems, "producer_kind", raw.get("producer_kind"), KIND_ALIASES, KIND_CHOICES)
    row["province"] = _province(line, problems, raw.get("province"), provinces)
    row["commune"] = clean_line(_text(raw.get("commune")))
    level = _text(raw.get("level"))
    level = LEVEL_ALIASES.get(_fold_term(level or ""), level)
    _load_into(row, line, problems, _DECISION,
               {name: _text(raw.get(name)) for name in ("score", "authority", "decision_number", "decision_date")}
               | {"level": level, "decision_date": _date(raw.get("decision_date"))}, {})
    if (gtin := _text(raw.get("gtin"))) is not None:
        try:
            row["gtin"] = normalise_gtin(gtin)
        except InvalidInput as exc:
            problems.extend(Problem(line, "gtin", m) for m in exc.errors["gtin"])
    else:
        row["gtin"] = None
    return row


def check_revocation(line: int, raw: dict[str, Any], problems: list[Problem], provinces) -> dict[str, Any]:
    row: dict[str, Any] = {}
    _load_into(row, line, problems, _PRODUCT_NAME, {"name": _text(raw.get("product_name"))},
               {"name": "product_name"}, rename={"name": "product_name"})
    _load_into(row, line, problems, _PRODUCER_NAME, {"name": _text(raw.get("producer_name"))},
               {"name": "producer_name"}, rename={"name": "producer_name"})
    ground = _text(raw.get("ground"))
    grounds = {fold(code): code for code in programme.REVOCATION_GROUNDS}
    grounds.update({fold(label.vi): code for code, label in programme.REVOCATION_GROUNDS.items()})
    _load_into(row, line, problems, _REVOCATION, {
        "decision_number": _text(raw.get("decision_number")), "revoked_on": _date(raw.get("decision_date")),
        "authority": _text(raw.get("authority")), "ground": grounds.get(_fold_term(ground or ""), ground),
        "reason": _text(raw.get("reason"))}, {"revoked_on": "decision_date"})
    return row


def _load_into(row: dict[str, Any], line: int, problems: list[Problem], schema, data: dict[str, Any],
               columns: dict[str, str], rename: dict[str, str] | None = None) -> None:
    try:
        loaded = load(schema, data)
    except InvalidInput as exc:
        for name, messages in exc.errors.items():
            problems.extend(Problem(line, columns.get(name, name), m) for m in messages)
        return
    for name, value in loaded.items():
        row[(rename or {}).get(name, name)] = value


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, Decimal | float | int) and not isinstance(value, bool):
        return format(value, "f") if isinstance(value, Decimal) else repr(value)
    return str(value).strip() or None


def _date(value: Any) -> Any:
    return value if isinstance(value, dt.date) else _text(value)


def _lookup(line: int, problems: list[Problem], column: str, value: Any, table: dict[str, str],
            choices: Sequence[str]) -> str:
    text = _text(value)
    if text is None:
        problems.append(Problem(line, column, Message(N_("is required"))))
        return ""
    found = table.get(_fold_term(text))
    if found is None:
        problems.append(Problem(line, column, Message(N_("%(value)s must be one of: %(choices)s"),
                                                      value=repr(text), choices=", ".join(choices))))
        return ""
    return found


def _province_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for code, info in units.provinces().items():
        index[fold(info.name)] = code
        index[code] = code
    return index


def _province(line: int, problems: list[Problem], value: Any, index: dict[str, str]) -> str:
    text = _text(value)
    if text is None:
        problems.append(Problem(line, "province", Message(N_("is required"))))
        return ""
    folded = _fold_term(text)
    for prefix in _PROVINCE_PREFIXES:
        if folded.startswith(prefix) and folded[len(prefix):] in index:
            folded = folded[len(prefix):]
    if folded in index:
        return index[folded]
    names = {code: info.name for code, info in units.provinces().items()}
    for code, former in FORMER_PROVINCES.items():
        if folded in {fold(name) for name in former} and code in names:
            problems.append(Problem(line, "province", Message(
                N_("%(value)s merged into %(province)s on 1 July 2025: write %(province)s"),
                value=repr(text), province=names[code])))
            return ""
    problems.append(Problem(line, "province", Message(N_("%(value)s is not one of the 34 provinces and cities"),
                                                      value=repr(text))))
    return ""
