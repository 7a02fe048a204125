"""Reading an import file (CSV or XLSX) and checking every row, before anything is written.

CSV is UTF-8 (with or without a byte-order mark), comma- or semicolon-separated
(sniffed from the header line). XLSX is read from its first sheet, read-only, with
cell values as Excel holds them: dates become ``date``, whole numbers lose their
``.0``. Each row is then checked on its own (the core's input schemas, the
taxonomy, producer kinds, the 34 provinces) into plain values and a list of
problems (line, column, problem). Nothing here writes; :mod:`.imports` applies.

A file is hostile until read: what is read is bounded (:class:`Limits`: rows, columns, characters in a
cell, bytes an XLSX unpacks to, seconds), and a file past a bound is refused with the bound named. An
XLSX's ZIP directory is checked before anything is parsed, then every part is unpacked once, counting
what it really gives (a ZIP can lie about its sizes), and refused if it declares a DTD (an XLSX never
does; entity bombs and external entities need one); openpyxl then parses it with defusedxml. Whatever
the parser makes of a damaged file is an import problem, never an error of the service.
"""
from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import logging
import time
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from flask import current_app, has_app_context

from catalog.kernel import programme, units
from catalog.kernel.errors import InvalidInput
from catalog.kernel.former_units import FORMER_PROVINCES
from catalog.kernel.gtin import normalise_gtin
from catalog.kernel.i18n import N_, Message
from catalog.kernel.inputs import ProducerInput, ProductInput, RecognitionDecisionInput, RevocationInput, load
from catalog.kernel.models.producers import PRODUCER_KINDS
from catalog.kernel.taxonomy import resolve_set
from catalog.kernel.text import clean_line, fold

#: Largest file the admin area accepts (the CLI reads any size, within :class:`Limits`).
MAX_BYTES = 5 * 2**20
log = logging.getLogger(__name__)
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


@dataclass(frozen=True)
class Limits:
    """How much of a file an import reads at most; past any of them the file is refused, the bound named.

    Set by ``CATALOG_IMPORT_MAX_ROWS``, ``_MAX_COLUMNS``, ``_MAX_CELL_CHARS``, ``_MAX_UNPACKED_MB`` and
    ``_MAX_SECONDS`` (:mod:`catalog.platform.config`)."""

    rows: int = 50_000                      # rows after the header
    columns: int = 50                       # columns of a row (a file has 14 at most)
    cell_chars: int = 20_000                # characters in one cell
    unpacked_bytes: int = 50 * 2**20        # what an XLSX's parts unpack to, all together
    seconds: float = 120.0                  # reading the file

    @classmethod
    def configured(cls) -> Limits:
        """The limits the app is configured with (the defaults outside an app)."""
        if not has_app_context():
            return cls()
        config = current_app.config
        return cls(rows=int(config.get("CATALOG_IMPORT_MAX_ROWS", cls.rows)),
                   columns=int(config.get("CATALOG_IMPORT_MAX_COLUMNS", cls.columns)),
                   cell_chars=int(config.get("CATALOG_IMPORT_MAX_CELL_CHARS", cls.cell_chars)),
                   unpacked_bytes=int(config.get("CATALOG_IMPORT_MAX_UNPACKED_MB", cls.unpacked_bytes // 2**20)
                                      * 2**20),
                   seconds=float(config.get("CATALOG_IMPORT_MAX_SECONDS", cls.seconds)))


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
               progress: Callable[[int], None] | None = None, limits: Limits | None = None) -> Table:
    """Read ``data`` (named ``filename``) and check its header against ``columns``, within ``limits``
    (by default :meth:`Limits.configured`).

    ``progress`` is called with 1 for each line read after the header (a large workbook takes seconds)."""
    ext = extension(filename)
    problem = sniff(data, ext)
    if problem:
        return Table(problems=[Problem(0, FILE, _of_file(filename, problem))])
    bounds = _Bounds(limits or Limits.configured())
    try:
        header_line, header, rows = _read_xlsx(data, progress, bounds) if ext == "xlsx" \
            else _read_csv(data, progress, bounds)
    except _Unreadable as exc:
        if exc.line:
            return Table(problems=[Problem(exc.line, exc.column, exc.message)])
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


def read_decisions(data: bytes, filename: str, progress: Callable[[int], None] | None = None,
                   limits: Limits | None = None) -> Table:
    return read_table(data, filename, DECISION_COLUMNS, DECISION_REQUIRED, progress, limits)


def read_revocations(data: bytes, filename: str, progress: Callable[[int], None] | None = None,
                     limits: Limits | None = None) -> Table:
    return read_table(data, filename, REVOCATION_COLUMNS, REVOCATION_REQUIRED, progress, limits)


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
    """The file cannot be read (or is past a limit): one problem, of the file or of one cell."""

    def __init__(self, message: Message, line: int = 0, column: str = FILE):
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


class _Bounds:
    """:class:`Limits` applied while reading: rows counted, cells measured, the clock watched."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.deadline = time.monotonic() + limits.seconds
        self.rows = 0

    def row(self, line: int, values: Sequence[Any], header: Sequence[str] | None) -> None:
        """Check one non-blank row (``header`` None: it is the header)."""
        limits = self.limits
        if header is not None:
            self.rows += 1
            if self.rows > limits.rows:
                raise _Unreadable(Message(N_("has more than %(limit)s rows, the most an import reads: split it "
                                             "into several files"), limit=limits.rows))
        if len(values) > limits.columns and any(_blank(v) is not None for v in values[limits.columns:]):
            raise _Unreadable(Message(N_("has a value in column %(column)s, past the %(limit)s columns an import "
                                         "reads"), column=limits.columns + 1, limit=limits.columns), line)
        for index, value in enumerate(values):
            if isinstance(value, str) and len(value) > limits.cell_chars:
                name = header[index] if header is not None and index < len(header) and header[index] \
                    else _column_letter(index)
                raise _Unreadable(Message(N_("holds %(length)s characters, more than the %(limit)s a cell may "
                                             "hold"), length=len(value), limit=limits.cell_chars), line, name)
        if self.rows % 256 == 0:
            self.watch_clock()

    def watch_clock(self) -> None:
        if time.monotonic() > self.deadline:
            raise _Unreadable(Message(N_("took more than %(limit)s seconds to read, the most an import may take: "
                                         "split it into several files"), limit=_number(self.limits.seconds)))


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _column_letter(index: int) -> str:
    """``A`` for the first column, ``AA`` for the 27th."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _blank(value: Any) -> Any:
    """Blank cells are None; text is stripped."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    return value


def _read_csv(data: bytes, progress: Callable[[int], None] | None, bounds: _Bounds,
              ) -> tuple[int, list[str], list[tuple[int, list[str]]]]:
    text = data.decode("utf-8-sig")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    header_line, rows, start = 0, [], 1
    try:
        while True:
            start = reader.line_num + 1
            try:
                values = next(reader)
            except StopIteration:
                break
            if not any(v.strip() for v in values):
                continue
            bounds.row(start, values, header)
            if header is None:
                header, header_line = [v.strip() for v in values], start
            else:
                rows.append((start, values))
                if progress:
                    progress(1)
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):     # the csv module's own bound (128 KB), first
            raise _Unreadable(Message(N_("holds more than %(limit)s characters in one cell, the most a cell may "
                                         "hold"), limit=bounds.limits.cell_chars), start) from None
        raise _Unreadable(Message(N_("cannot be read as CSV near line %(line)s: %(error)s"),
                                  line=reader.line_num, error=str(exc))) from None
    return header_line, header or [], rows


#: Most parts an XLSX may have (a workbook of one sheet has about ten).
_MAX_PARTS = 1000
_CHUNK = 2**20
_DTD = (b"<!DOCTYPE", b"<!ENTITY")


def _damaged() -> _Unreadable:
    return _Unreadable(Message(N_("is a damaged or truncated ZIP archive, not an XLSX workbook that can be read")))


def _check_zip(data: bytes, bounds: _Bounds) -> None:
    """Refuse a ZIP that is damaged, unpacks to more than the limit, or holds XML with a DTD, before
    openpyxl parses anything. Every part is unpacked once, its bytes counted as they come (the directory's
    sizes may lie) and its CRC checked by :mod:`zipfile` at its end."""
    limit = bounds.limits.unpacked_bytes
    too_big = _Unreadable(Message(N_("unpacks to more than %(limit)s MB, the most an import reads: split it into "
                                     "several files"), limit=_number(round(limit / 2**20, 1))))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise _damaged() from None
    with archive:
        parts = archive.infolist()
        if len(parts) > _MAX_PARTS:
            raise _Unreadable(Message(N_("has %(count)s parts, more than an XLSX workbook ever has (%(limit)s)"),
                                      count=len(parts), limit=_MAX_PARTS))
        if sum(part.file_size for part in parts) > limit:
            raise too_big
        unpacked = 0
        for part in parts:
            if part.is_dir():
                continue
            if part.flag_bits & 0x1:
                raise _Unreadable(Message(N_("is encrypted: save it again without a password")))
            xml = part.filename.lower().endswith((".xml", ".rels"))
            try:
                with archive.open(part) as stream:
                    first, tail = True, b""
                    while chunk := stream.read(_CHUNK):
                        unpacked += len(chunk)
                        if unpacked > limit:
                            raise too_big
                        if first and xml and chunk.startswith((b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<")):
                            raise _Unreadable(Message(N_("holds XML that is not UTF-8, which an XLSX workbook "
                                                         "never does")))
                        if any(marker in tail + chunk for marker in _DTD):
                            raise _Unreadable(Message(N_("declares a DTD (entities) in %(part)s, which an XLSX "
                                                         "workbook never does: it is refused"),
                                                      part=part.filename[:100]))
                        first, tail = False, chunk[-16:]
                        bounds.watch_clock()
            except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, OSError, EOFError,
                    ValueError):
                raise _damaged() from None


def _read_xlsx(data: bytes, progress: Callable[[int], None] | None, bounds: _Bounds,
               ) -> tuple[int, list[str], list[tuple[int, list[Any]]]]:
    from openpyxl import load_workbook

    _check_zip(data, bounds)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:        # a hostile or damaged file: whatever the parser raised, an import problem
        log.info("XLSX not readable: %r", exc)
        raise _Unreadable(Message(N_("is not an XLSX workbook that can be read (%(error)s)"),
                                  error=exc.__class__.__name__)) from None
    try:
        if not workbook.worksheets:
            raise _Unreadable(Message(N_("has no sheet")))
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()    # the file's own dimensions may claim a million rows: read what it holds
        header: list[str] | None = None
        header_line, rows = 0, []
        for line, values in enumerate(sheet.iter_rows(max_col=bounds.limits.columns + 1, values_only=True),
                                      start=1):
            if values.count(None) == len(values):          # an empty row (fast: a gap may be a million long)
                if line % 4096 == 0:
                    bounds.watch_clock()
                continue
            cells = [_cell(v) for v in values]
            while cells and cells[-1] is None:
                cells.pop()
            if not any(_blank(c) is not None for c in cells):
                if line % 4096 == 0:
                    bounds.watch_clock()
                continue
            bounds.row(line, cells, header)
            if header is None:
                header, header_line = [str(c).strip() if c is not None else "" for c in cells], line
            else:
                rows.append((line, cells))
                if progress:
                    progress(1)
        return header_line, header or [], rows
    except _Unreadable:
        raise
    except Exception as exc:        # the same, found while reading the rows
        log.info("XLSX not readable: %r", exc)
        raise _Unreadable(Message(N_("is not an XLSX workbook that can be read (%(error)s)"),
                                  error=exc.__class__.__name__)) from None
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
        # the file's reason is the PUBLIC reason (printed on the product's 410 page and its stamps' scan page);
        # a decision file carries no internal note
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
