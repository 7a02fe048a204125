"""``flask --app catalog search drain | reindex``."""
from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from catalog.kernel.db import db
from catalog.kernel.models.products import Product
from catalog.search import backends, outbox
from catalog.search.documents import all_product_ids, documents_for
from catalog.search.models import SearchOutboxEntry

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar

search_cli = AppGroup("search", help="Keep the search index in step with the catalog.")


@search_cli.command("drain")
def drain_command() -> None:
    """Apply queued index updates (the outbox) to every backend."""
    queued = db.session.scalar(select(func.count()).select_from(SearchOutboxEntry))
    bar: ProgressBar[int]
    with click.progressbar(length=queued or 0, label="Applying queued updates", file=sys.stderr) as bar:
        report = outbox.drain(backends(), progress=bar.update)
    click.echo(f"search drain: {report.applied} applied, {report.failed} failed and kept for retry, "
               f"{report.remaining} still queued.")
    if report.failed:
        sys.exit(1)


@search_cli.command("reindex")
def reindex_command() -> None:
    """Rebuild every backend's index from the database."""
    total = db.session.scalar(select(func.count()).select_from(Product))
    last_queued = db.session.scalar(select(func.max(SearchOutboxEntry.id)))
    chain = backends()
    for backend in chain:
        backend.clear()
    bar: ProgressBar[int]
    with click.progressbar(length=total or 0, label="Indexing products", file=sys.stderr) as bar:
        for ids in all_product_ids():
            docs = documents_for(ids)
            for backend in chain:
                backend.upsert(docs)
            bar.update(len(ids))
    outbox.clear_up_to(last_queued)
    db.session.commit()
    click.echo(f"search reindex: {total} products indexed in {', '.join(b.name for b in chain)}.")
