"""``flask --app catalog export products | ptnt-ocop``: the products in force, and the PTNT_OCOP report record.

Files are written beside their final name and renamed when complete, so a failed export
never leaves half a file under the name asked for. ``-o -`` writes CSV to standard output.
"""
from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import click
from flask.cli import AppGroup

from catalog.exports import operations as exports
from catalog.kernel import calendar, clock
from catalog.kernel.errors import InvalidInput

export_cli = AppGroup("export", help="Export the products in force and the PTNT_OCOP report record (CSV or XLSX).")

_FORMAT = click.option("--format", "fmt", type=click.Choice(exports.FORMATS), default=None,
                       help="File format (default: from the output file's extension, else csv).")
_OUTPUT = click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default=None,
                       help="File to write (default: a dated name in the current directory; - for standard output).")


@export_cli.command("products")
@_FORMAT
@_OUTPUT
@click.option("--at", "day", default=None, help="The day (YYYY-MM-DD) whose products in force are listed "
              "(default: now).")
def products_command(fmt: str | None, output: str | None, day: str | None) -> None:
    """Every product in force (the catalog's visibility rule) with its producer and recognition."""
    try:
        at = calendar.start_of_day(exports.parse_date(day, "at")) if day else clock.now()
    except InvalidInput as exc:
        raise click.BadParameter(_explain(exc)) from None
    fmt = _format(fmt, output)
    output = output or exports.products_file_name(at, fmt)
    total = exports.count_products(at)
    _export(output, fmt, "Exporting products", total, exports.PRODUCT_COLUMNS,
            lambda tick: exports.product_rows(at, progress=tick), sheet="Products")


@export_cli.command("ptnt-ocop")
@click.option("--from", "first", required=True, help="First day of the period, YYYY-MM-DD.")
@click.option("--to", "last", required=True, help="Last day of the period, YYYY-MM-DD (included).")
@_FORMAT
@_OUTPUT
def ptnt_ocop_command(first: str, last: str, fmt: str | None, output: str | None) -> None:
    """The national report record PTNT_OCOP: one row per product in force at any time in the period."""
    try:
        period = exports.parse_period(first, last)
    except InvalidInput as exc:
        raise click.BadParameter(_explain(exc)) from None
    fmt = _format(fmt, output)
    output = output or exports.ptnt_ocop_file_name(period, fmt)
    total = exports.count_ptnt_ocop(period)
    _export(output, fmt, f"Exporting PTNT_OCOP {period.label}", total, exports.PTNT_OCOP_COLUMNS,
            lambda tick: exports.ptnt_ocop_rows(period, progress=tick), sheet="PTNT_OCOP")


def _explain(exc: InvalidInput) -> str:
    return "; ".join(f"--{name} {' '.join(msgs)}" for name, msgs in exc.errors.items())


def _format(fmt: str | None, output: str | None) -> str:
    if fmt:
        return fmt
    return "xlsx" if output and output.lower().endswith(".xlsx") else "csv"


def _export(output: str, fmt: str, label: str, total: int, columns: tuple[str, ...],
            rows: Callable[[Callable[[int], None]], Iterator[tuple[Any, ...]]], *, sheet: str) -> None:
    if output == "-":
        if fmt != "csv":
            raise click.UsageError("only CSV can be written to standard output: give -o FILE.xlsx")
        exports.write_csv(sys.stdout.buffer, columns, rows(lambda n: None))
        sys.stdout.buffer.flush()
        return
    partial = f"{output}.part"
    written = [0]

    def counted(source: Iterable[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
        for row in source:
            written[0] += 1
            yield row

    try:
        with click.progressbar(length=total, label=label, file=sys.stderr) as bar, open(partial, "wb") as target:
            exports.write(target, fmt, columns, counted(rows(bar.update)), sheet=sheet)
        os.replace(partial, output)
    finally:
        if os.path.exists(partial):
            os.remove(partial)
    click.echo(f"{output}: {written[0]} rows ({fmt})")
