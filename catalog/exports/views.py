"""Admin exports ``/admin/exports``: the products in force (CSV, XLSX) and the PTNT_OCOP record for a period.

The rows and file formats are the core's (:mod:`catalog.exports.operations`): rows are read a
chunk at a time and written to a temporary file (XLSX in openpyxl's write-only mode), which
is then sent, so memory stays flat however many products there are.
"""
from __future__ import annotations

import datetime as dt
import tempfile
from typing import Any

from flask import Response, render_template, request, send_file, url_for
from flask_babel import gettext as _

from catalog.exports import operations as exports
from catalog.exports.blueprint import bp
from catalog.kernel import calendar, clock, roles
from catalog.kernel.errors import InvalidInput
from catalog.platform.permissions import requires

SHORTCUT_QUARTERS = 4           # this quarter and the three before it


@bp.get("/exports", endpoint="exports")
@requires(roles.VIEW)
def export_page():
    return _page(request.args.to_dict())


@bp.get("/exports/products", endpoint="export_products")
@requires(roles.VIEW)
def export_products():
    args = request.args
    errors: dict[str, list[str]] = {}
    fmt = _checked(errors, exports.parse_format, args.get("format")) or "csv"
    day = _checked(errors, exports.parse_date, args["at"], "at") if args.get("at") else None
    if errors:
        return _page(args.to_dict(), products_errors=errors)
    at = calendar.start_of_day(day) if day else clock.now()
    return _download(fmt, exports.products_file_name(at, fmt), exports.PRODUCT_COLUMNS,
                     exports.product_rows(at), sheet="Products")


@bp.get("/exports/ptnt-ocop", endpoint="export_ptnt_ocop")
@requires(roles.VIEW)
def export_ptnt_ocop():
    args = request.args
    errors: dict[str, list[str]] = {}
    fmt = _checked(errors, exports.parse_format, args.get("format")) or "csv"
    period = _checked(errors, exports.parse_period, args.get("from"), args.get("to"), default=_current_quarter())
    if errors or period is None:
        return _page(args.to_dict(), ptnt_errors=errors)
    return _download(fmt, exports.ptnt_ocop_file_name(period, fmt), exports.PTNT_OCOP_COLUMNS,
                     exports.ptnt_ocop_rows(period), sheet="PTNT_OCOP")


def _checked(errors: dict[str, list[str]], parse, *args, **kwargs):
    """``parse(...)``, or None with its field errors added to ``errors`` (every bad field is reported)."""
    try:
        return parse(*args, **kwargs)
    except InvalidInput as exc:
        errors.update(exc.errors)
        return None


def _current_quarter() -> exports.Period:
    return exports.Period.quarter_of(calendar.local_date(clock.now()))


def _download(fmt: str, name: str, columns, rows, *, sheet: str) -> Response:
    """Write the file to a temporary file within the request (one read of the database, and an error
    is an error page, never a truncated download), then send it from there."""
    spool = tempfile.TemporaryFile()
    try:
        exports.write(spool, fmt, columns, rows, sheet=sheet)
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    response = send_file(spool, mimetype=exports.MEDIA_TYPES[fmt], as_attachment=True, download_name=name,
                         max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _page(form: dict[str, str], *, products_errors: dict[str, list[str]] | None = None,
          ptnt_errors: dict[str, list[str]] | None = None):
    now = clock.now()
    current = _current_quarter()
    form.setdefault("from", current.first.isoformat())
    form.setdefault("to", current.last.isoformat())
    form.setdefault("format", "csv")
    shortcuts, quarter = [], current
    for _n in range(SHORTCUT_QUARTERS):
        shortcuts.append((quarter.label, _period_url(quarter)))
        quarter = exports.Period.quarter_of(quarter.first - dt.timedelta(days=1))
    for year in (current.first.year, current.first.year - 1):
        shortcuts.append((str(year), _period_url(exports.Period.year(year))))
    try:
        period = exports.parse_period(form.get("from"), form.get("to"))
    except InvalidInput:
        period = None
    failed = bool(products_errors or ptnt_errors)
    return render_template(
        "exports/exports.html", form=form, products_errors=products_errors or {}, ptnt_errors=ptnt_errors or {},
        format_choices=[("csv", _("CSV (UTF-8, opens in Excel)")), ("xlsx", _("Excel workbook (XLSX)"))],
        in_force=exports.count_products(now), local=now.astimezone(calendar.zone()), shortcuts=shortcuts,
        period=period, period_rows=exports.count_ptnt_ocop(period) if period else None,
    ), 422 if failed else 200


def _period_url(period: exports.Period) -> str:
    values: dict[str, Any] = {"from": period.first.isoformat(), "to": period.last.isoformat()}
    return url_for("exports.exports", **values) + "#ptnt-ocop"
