"""Exports: the products in force at an instant, and the national report record PTNT_OCOP for a period.

Rows are generators read a chunk of products at a time (keyset on the product id),
as plain columns where possible, so 20,000 products export in flat memory; writers
turn them into CSV (UTF-8 with a BOM, so Excel reads Vietnamese) or XLSX (openpyxl's
write-only mode). What is in force comes only from the core's one rule
(:mod:`.visibility`, :meth:`Recognition.in_force_at`), never re-implemented here.

PTNT_OCOP, the record provinces report to the national OCOP database, holds one row per
product that was **in force at any instant of the period** (so every product decided in
the period is in it, unless revoked from its first day), taken from the product's latest
recognition in force during the period:

- ``ocop_code``: ``OCOP-<province code>-<product id on 6 digits>`` (``OCOP-08-000123``), the
  province being the producer's; stable while the producer stays in its province.
- ``admin_unit_code``: the producer's commune code when known, else its province code.
- ``period``: ``2026-Q2`` for a calendar quarter, ``2026`` for a calendar year, else
  ``2026-01-01/2026-06-30`` (ISO 8601 interval, both days included).
- ``product_code``: the catalog's product id (the GTIN, when there is one, is in the
  products export).
- ``rating``: ``3*``, ``4*`` or ``5*``.
- ``yearly_revenue``: this service does not hold revenues: always empty.
- ``status``: :meth:`Recognition.status_at` at the period's last instant (the end of its
  last day): ``in_force``, ``expired`` or ``revoked``.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import aliased

from catalog.kernel import calendar, clock, taxonomy, visibility
from catalog.kernel.db import db
from catalog.kernel.errors import InvalidInput
from catalog.kernel.i18n import N_, Message
from catalog.kernel.models.producers import PRODUCER_KINDS, Producer
from catalog.kernel.models.products import Product
from catalog.kernel.models.recognitions import Recognition
from catalog.kernel.models.units import Commune, Province, commune_full_name

CHUNK = 1_000                       # products read per query
FORMATS = ("csv", "xlsx")
CSV_MEDIA_TYPE = "text/csv"                 # Werkzeug adds "; charset=utf-8" to text types
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEDIA_TYPES = {"csv": CSV_MEDIA_TYPE, "xlsx": XLSX_MEDIA_TYPE}

#: Column names of the products export, in order (the header row).
PRODUCT_COLUMNS: tuple[str, ...] = (
    "product_id", "product_name", "product_set", "product_set_name", "sector", "sector_name",
    "producer", "producer_kind", "producer_kind_name", "commune_code", "commune",
    "province_code", "province", "stars", "level", "decision_number", "authority",
    "decision_date", "valid_until", "gtin", "packaging",
)
#: Fields of the national report record PTNT_OCOP, in order (DOMAIN.md).
PTNT_OCOP_COLUMNS: tuple[str, ...] = (
    "ocop_code", "admin_unit_code", "period", "product_code", "product_name", "rating", "producer",
    "yearly_revenue", "status",
)

Progress = Callable[[int], None]
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2199, 12, 31)       # days an export may name


def _no_progress(_n: int) -> None:
    return None


# -- periods ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Period:
    """Calendar days ``first`` to ``last``, both included, in the catalog's time zone."""

    first: dt.date
    last: dt.date

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        first = dt.date(year, 3 * quarter - 2, 1)
        return cls(first, calendar.add_months(first, 3) - dt.timedelta(days=1))

    @classmethod
    def quarter_of(cls, day: dt.date) -> Period:
        return cls.quarter(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    @property
    def starts_at(self) -> dt.datetime:
        """The period's first instant."""
        return calendar.start_of_day(self.first)

    @property
    def ends_at(self) -> dt.datetime:
        """The first instant after the period (exclusive end)."""
        return calendar.end_of_day(self.last)

    @property
    def closing_instant(self) -> dt.datetime:
        """The period's last instant, at which each row's status is read."""
        return self.ends_at - dt.timedelta(microseconds=1)

    @property
    def label(self) -> str:
        """``2026-Q2``, ``2026``, or ``2026-01-01/2026-06-30``."""
        if self == Period.year(self.first.year):
            return str(self.first.year)
        if self == Period.quarter_of(self.first):
            return f"{self.first.year}-Q{(self.first.month - 1) // 3 + 1}"
        return f"{self.first.isoformat()}/{self.last.isoformat()}"

    @property
    def slug(self) -> str:
        """The label, safe in a file name."""
        return self.label.replace("/", "_")


def parse_date(value: object, field: str) -> dt.date:
    """A ``YYYY-MM-DD`` day between :data:`FIRST_DAY` and :data:`LAST_DAY`, else :class:`InvalidInput` on ``field``."""
    text = str(value).strip() if value is not None else ""
    try:
        day = dt.date.fromisoformat(text) if _DATE.fullmatch(text) else None
    except ValueError:
        day = None
    if day is None:
        raise InvalidInput({field: [Message(N_("is not a date such as 2026-06-30"))]})
    if not FIRST_DAY <= day <= LAST_DAY:
        raise InvalidInput({field: [Message(N_("must be between %(first)s and %(last)s"),
                                            first=FIRST_DAY.isoformat(), last=LAST_DAY.isoformat())]})
    return day


def parse_period(first: object, last: object, *, default: Period | None = None) -> Period:
    """The period from ``first`` to ``last`` (``YYYY-MM-DD``); both absent gives ``default`` when there is one."""
    missing = [name for name, value in (("from", first), ("to", last)) if value in (None, "")]
    if default is not None and len(missing) == 2:
        return default
    errors: dict[str, list[str]] = {name: [Message(N_("is required"))] for name in missing}
    dates: dict[str, dt.date] = {}
    for name, value in (("from", first), ("to", last)):
        if name in missing:
            continue
        try:
            dates[name] = parse_date(value, name)
        except InvalidInput as exc:
            errors.update(exc.errors)
    if not errors and dates["to"] < dates["from"]:
        errors["to"] = [Message(N_("must not be before the first day of the period"))]
    if errors:
        raise InvalidInput(errors)
    return Period(dates["from"], dates["to"])


def parse_format(value: object, field: str = "format") -> str:
    text = str(value).strip().lower() if value not in (None, "") else "csv"
    if text not in FORMATS:
        raise InvalidInput({field: [Message(N_("must be csv or xlsx"))]})
    return text


# -- products in force --------------------------------------------------------------------

def _listings(at: dt.datetime):
    return (visibility.visible_listings(at)
            .join(Producer, Producer.id == Product.producer_id)
            .join(Province, Province.code == Producer.province_code)
            .outerjoin(Commune, Commune.code == Producer.commune_code))


def count_products(at: dt.datetime | None = None) -> int:
    at = clock.now() if at is None else at
    query = visibility.visible_listings(at).with_only_columns(func.count(Product.id))
    return db.session.scalar(query) or 0


def product_rows(at: dt.datetime | None = None, *, progress: Progress = _no_progress,
                 chunk: int = CHUNK) -> Iterator[tuple[Any, ...]]:
    """One tuple per product in force at ``at`` (default now), by product id, in :data:`PRODUCT_COLUMNS` order."""
    at = clock.now() if at is None else at
    query = _listings(at).with_only_columns(
        Product.id, Product.name, Product.product_set, Producer.name, Producer.kind,
        Commune.code, Commune.name, Commune.kind, Province.code, Province.name,
        Recognition.stars, Recognition.level, Recognition.decision_number, Recognition.authority,
        Recognition.decision_date, Recognition.valid_until, Product.gtin, Product.packaging,
    ).order_by(Product.id).limit(chunk)
    last = 0
    while True:
        rows = db.session.execute(query.where(Product.id > last)).all()
        for (product_id, name, set_number, producer, kind, commune_code, commune, commune_kind, province_code,
             province, stars, level, decision, authority, decided, valid_until, gtin, packaging) in rows:
            product_set = taxonomy.SETS_BY_NUMBER[set_number]
            yield (product_id, name, set_number, product_set.name, product_set.sector.code, product_set.sector.name,
                   producer, kind, PRODUCER_KINDS[kind].vi if kind in PRODUCER_KINDS else kind, commune_code,
                   commune_full_name(commune, commune_kind) if commune else None,
                   province_code, province, stars, level, decision, authority, decided, valid_until, gtin, packaging)
        progress(len(rows))
        if len(rows) < chunk:
            return
        last = rows[-1][0]


# -- PTNT_OCOP ----------------------------------------------------------------------------

def _in_force_during(recognition, period: Period):
    """SQL: ``recognition`` was in force at some instant of ``period``, by the core's rule only.

    A recognition is in force over one interval that opens at its ``starts_at``; that
    interval meets the period when it holds the period's first instant, or when it opens
    within the period (and is in force at its opening: a revocation from the first day
    leaves it empty).
    """
    return or_(recognition.in_force_at(period.starts_at),
               and_(recognition.starts_at >= period.starts_at, recognition.starts_at < period.ends_at,
                    recognition.in_force_at(recognition.starts_at)))


def _reported(period: Period):
    """``(Recognition, product id, name, producer, commune code, province code)``: the latest
    recognition (by effective start, then id) of each product in force during ``period``."""
    later = aliased(Recognition)
    return (select(Recognition, Product.id, Product.name, Producer.name, Producer.commune_code,
                   Producer.province_code)
            .join(Product, Product.id == Recognition.product_id)
            .join(Producer, Producer.id == Product.producer_id)
            .where(_in_force_during(Recognition, period),
                   ~exists().where(later.product_id == Recognition.product_id, _in_force_during(later, period),
                                   or_(later.starts_at > Recognition.starts_at,
                                       and_(later.starts_at == Recognition.starts_at, later.id > Recognition.id)))))


def count_ptnt_ocop(period: Period) -> int:
    query = _reported(period).with_only_columns(func.count(Recognition.id))
    return db.session.scalar(query) or 0


def ocop_code(province_code: str, product_id: int) -> str:
    return f"OCOP-{province_code}-{product_id:06d}"


def ptnt_ocop_rows(period: Period, *, progress: Progress = _no_progress,
                   chunk: int = CHUNK) -> Iterator[tuple[Any, ...]]:
    """PTNT_OCOP records for ``period``, by product id, in :data:`PTNT_OCOP_COLUMNS` order."""
    query = _reported(period).order_by(Product.id).limit(chunk)
    closing, label = period.closing_instant, period.label
    last = 0
    while True:
        rows = db.session.execute(query.where(Product.id > last)).all()
        for recognition, product_id, name, producer, commune_code, province_code in rows:
            yield (ocop_code(province_code, product_id), commune_code or province_code, label, product_id, name,
                   f"{recognition.stars}*", producer, None, recognition.status_at(closing))
        progress(len(rows))
        if len(rows) < chunk:
            return
        last = rows[-1][1]


# -- writers ------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value              # a spreadsheet must not run text as a formula
    return value


def csv_chunks(columns: Iterable[str], rows: Iterable[Iterable[Any]], *, rows_per_chunk: int = 500) -> Iterator[bytes]:
    """The CSV file in pieces: a UTF-8 BOM and the header first, then ``rows_per_chunk`` rows at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(columns)
    pending = 0
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
        pending += 1
        if pending == rows_per_chunk:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    yield buffer.getvalue().encode("utf-8")


def write_csv(target: IO[bytes], columns: Iterable[str], rows: Iterable[Iterable[Any]]) -> None:
    for piece in csv_chunks(columns, rows):
        target.write(piece)


def write_xlsx(target: IO[bytes] | str, columns: Iterable[str], rows: Iterable[Iterable[Any]],
               *, sheet: str = "OCOP") -> None:
    """An XLSX workbook of one sheet, written row by row (openpyxl write-only mode: flat memory)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet)
    worksheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for name in columns:
        title = WriteOnlyCell(worksheet, value=name)
        title.font = bold
        header.append(title)
    worksheet.append(header)

    def cell(value: Any) -> Any:
        if isinstance(value, str) and value.startswith("="):
            text = WriteOnlyCell(worksheet, value=value)
            text.data_type = "s"            # text, never a formula
            return text
        return value

    for row in rows:
        worksheet.append([cell(value) for value in row])
    workbook.save(target)


def write(target: IO[bytes], fmt: str, columns: Iterable[str], rows: Iterable[Iterable[Any]],
          *, sheet: str = "OCOP") -> None:
    """Write ``rows`` to ``target`` as ``fmt`` (``csv`` or ``xlsx``)."""
    if fmt == "xlsx":
        write_xlsx(target, columns, rows, sheet=sheet)
    else:
        write_csv(target, columns, rows)


def products_file_name(at: dt.datetime, fmt: str) -> str:
    return f"ocop-products-{calendar.local_date(at):%Y%m%d}.{fmt}"


def ptnt_ocop_file_name(period: Period, fmt: str) -> str:
    return f"ptnt-ocop-{period.slug}.{fmt}"
