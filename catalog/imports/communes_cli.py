"""``flask --app catalog communes import FILE.csv``: load the official list of communes and wards."""
from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from catalog.imports.communes import import_communes
from catalog.kernel.errors import InvalidInput
from catalog.platform import transaction

communes_cli = AppGroup("communes", help="Administrative units below the provinces.")


@communes_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def import_command(path: str) -> None:
    """Load communes and wards from a CSV file (code,name,kind,province_code); all or nothing."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        total = sum(1 for _ in handle) - 1
        handle.seek(0)
        try:
            with click.progressbar(length=max(total, 0), label="Loading communes", file=sys.stderr) as bar:
                loaded = import_communes(handle, progress=bar.update)
        except InvalidInput as exc:
            problems = "\n".join(f"  {where}: {' '.join(msgs)}" for where, msgs in exc.errors.items())
            raise click.ClickException(f"nothing was loaded; fix these lines:\n{problems}") from None
    transaction.commit()
    click.echo(f"communes: {loaded.added} added, {loaded.updated} updated, {loaded.merged} added by imports "
               "replaced by their official code.")
