"""``flask --app catalog import decisions|revocations FILE [--dry-run]``: a decision's list, all or nothing."""
from __future__ import annotations

import getpass
import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from catalog.imports import operations as imports
from catalog.platform import transaction

import_cli = AppGroup("import", help="Import provincial decisions (CSV or XLSX).")

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
_DRY_RUN = click.option("--dry-run", is_flag=True, help="check and show what would be done; write nothing")


@import_cli.command("decisions")
@click.argument("path", type=_FILE)
@_DRY_RUN
def decisions(path: Path, dry_run: bool) -> None:
    """Record the recognitions a decision lists (columns: product_name, product_set, producer_name, producer_kind,
    province, commune, score, level, authority, decision_number, decision_date, packaging, gtin, description)."""
    _run(path, dry_run, imports.read_decisions, imports.import_decisions)


@import_cli.command("revocations")
@click.argument("path", type=_FILE)
@_DRY_RUN
def revocations(path: Path, dry_run: bool) -> None:
    """Revoke the products a revocation decision lists (columns: product_name, producer_name, decision_number,
    decision_date, authority, ground, reason; the reason is published on the product's page)."""
    _run(path, dry_run, imports.read_revocations, imports.import_revocations)


def _run(path: Path, dry_run: bool, read, apply) -> None:
    if not imports.extension(path.name):
        raise click.BadParameter("must be a .csv or .xlsx file", param_hint="FILE")
    table = read(path.read_bytes(), path.name)
    # One bar, two halves: every row checked, then every row applied.
    with click.progressbar(length=2 * len(table.rows), label=f"Checking {path.name}", file=sys.stderr) as bar:
        def applied(n: int) -> None:
            bar.label = f"Importing {path.name}"
            bar.update(n)

        report = apply(table, actor=f"cli:{getpass.getuser()}", dry_run=dry_run, progress=applied,
                       check_progress=bar.update)
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    if not report.ok:                   # the importer rolled its savepoint back: nothing to undo here
        for problem in report.problems:
            click.echo(f"  {problem}", err=True)
        raise click.ClickException(
            f"nothing was imported: {len(report.problems)} problem(s) in "
            f"{len({p.line for p in report.problems})} row(s) of {path.name}; fix them and import again")
    if dry_run:
        click.echo(f"dry run, nothing written: would import {report.summary()}.")
        return
    transaction.commit()
    click.echo(f"imported {report.summary()}.")
