"""``flask --app catalog stamps issue | sheet | png | recount``: issue stamp batches, print them, rebuild the
scan tallies."""
from __future__ import annotations

import sys
import zipfile

import click
from flask.cli import AppGroup
from sqlalchemy import select

from catalog.kernel.db import db
from catalog.kernel.errors import DomainError
from catalog.kernel.models.products import Product
from catalog.platform import transaction
from catalog.trace import lots, stamps
from catalog.trace.models import scans
from catalog.trace.printing import DEFAULT_LAYOUT, LAYOUTS, batch_labels, imprint, qr_png, sheet_pdf, zip_name

stamps_cli = AppGroup("stamps", help="Issue QR stamp batches and print them.")


@stamps_cli.command("issue")
@click.argument("product_slug")
@click.option("--count", type=int, required=True, help="How many stamps.")
@click.option("--lot", "lot_code", help="Bind the stamps to this lot of the product now.")
@click.option("--actor", default="cli", show_default=True, help="Who issues (kept with the batch).")
def issue_command(product_slug: str, count: int, lot_code: str | None, actor: str) -> None:
    """Issue COUNT stamps for PRODUCT_SLUG and print the batch id."""
    product = db.session.scalar(select(Product).where(Product.slug == product_slug))
    if product is None:
        raise click.ClickException(f"no product with slug {product_slug!r}")
    try:
        lot = lots.find_lot(product, lot_code) if lot_code else None
        with click.progressbar(length=count, label="Issuing stamps", file=sys.stderr) as bar:
            batch = stamps.issue_batch(product, count, actor=actor, lot=lot, progress=bar.update)
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    transaction.commit()
    click.echo(batch.id)


@stamps_cli.command("sheet")
@click.argument("batch_id", type=int)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True,
              help="The PDF file to write.")
@click.option("--layout", type=click.Choice(list(LAYOUTS)), default=DEFAULT_LAYOUT, show_default=True,
              help="a4: sheets of 3 x 8 labels of 64 x 34 mm with crop marks; roll-40x30: one 40 x 30 mm label a page.")
def sheet_command(batch_id: int, output: str, layout: str) -> None:
    """Render BATCH_ID as a print-ready vector PDF of labels."""
    batch, labels = _labels(batch_id)
    with click.progressbar(length=batch.count, label="Drawing stamps", file=sys.stderr) as bar:
        try:
            pages = sheet_pdf(labels, output, imprint=imprint(), layout=layout, progress=bar.update)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(f"{output}: {batch.count} stamps on {pages} pages")


@stamps_cli.command("png")
@click.argument("batch_id", type=int)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True,
              help="The ZIP file of one PNG per stamp.")
def png_command(batch_id: int, output: str) -> None:
    """Write one QR PNG per stamp of BATCH_ID into a ZIP file."""
    batch, labels = _labels(batch_id)
    with zipfile.ZipFile(output, "w", zipfile.ZIP_STORED) as archive, \
            click.progressbar(labels, length=batch.count, label="Drawing QR codes", file=sys.stderr) as bar:
        for label in bar:
            archive.writestr(zip_name(label), qr_png(label.url))
    click.echo(f"{output}: {batch.count} PNG files")


def _labels(batch_id: int):
    try:
        batch = stamps.get_batch(batch_id)
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    return batch, batch_labels(batch)


@stamps_cli.command("recount")
def recount_command() -> None:
    """Rebuild every stamp's scan tallies from the scan log (after scan rows were loaded in bulk)."""
    click.echo("Recounting the scan log...", err=True)
    scans.recount()
    transaction.commit()
    click.echo("done", err=True)
