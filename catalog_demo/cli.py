"""``flask --app catalog demo-data``: fill an empty database with a realistic OCOP catalogue."""
from __future__ import annotations

import datetime as dt
import sys

import click
from flask.cli import with_appcontext

from catalog.platform import transaction
from catalog_demo import loader


@click.command("demo-data")
@click.option("--products", "n_products", type=click.IntRange(1, 200_000), default=300, show_default=True,
              help="How many products to make.")
@click.option("--seed", type=int, default=2026, show_default=True, help="Same seed and date, same data.")
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Date the data is made relative to (default: today).")
@click.option("--if-empty", is_flag=True, help="Do nothing, successfully, when the database holds data.")
@click.option("--photos/--no-photos", "with_photos", default=True, show_default=True,
              help="Draw a placeholder photo for most products (files under instance/uploads/products).")
@with_appcontext
def demo_data(n_products: int, seed: int, as_of: dt.datetime | None, if_empty: bool, with_photos: bool) -> None:
    """Fill an EMPTY database with demo producers, products and recognition histories."""
    existing = loader.existing_records()
    if existing:
        if if_empty:
            click.echo(f"demo-data: the database already holds {existing} producers and products; "
                       "nothing loaded.")
            return
        raise click.ClickException(
            f"the database already holds {existing} producers and products; demo-data fills an empty "
            "database only (point DATABASE_URL at a new one, or pass --if-empty)")
    day = as_of.date() if as_of else None
    with click.progressbar(length=n_products, label="Generating products", file=sys.stderr) as bar:
        data = loader.generate(n_products, seed, day, tick=bar.update)
    with click.progressbar(length=loader.row_count(data, with_photos), label="Writing rows", file=sys.stderr) as bar:
        loader.write(data, tick=bar.update, with_photos=with_photos)
    transaction.commit()
    stats = loader.summary(data)
    stars = ", ".join(f"{n}★ {count}" for n, count in stats["in_force_by_stars"].items())
    statuses = ", ".join(f"{name} {count}" for name, count in sorted(stats["statuses"].items()))
    click.echo(f"demo-data: {stats['products']} products from {stats['producers']} producers, "
               f"{stats['recognitions']} recognitions ({statuses}); in force: {stars}.")
    if data.trace.examples:
        click.echo("demo-data: stamps to scan: " + ", ".join(
            f"{verdict} /s/{code}" for verdict, code in data.trace.examples.items()))
