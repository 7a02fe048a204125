"""Build the search documents of products from the database, as of now."""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from catalog.kernel import clock, visibility
from catalog.kernel.db import db
from catalog.kernel.former_units import FORMER_PROVINCES
from catalog.kernel.models.producers import Producer
from catalog.kernel.models.products import Product
from catalog.kernel.text import fold
from catalog.search.backend import SearchDocument
from catalog.search.models import SearchDocumentRow


def documents_for(product_ids: Iterable[int]) -> list[SearchDocument]:
    """Documents of the products that exist among ``product_ids`` (deleted ones are absent)."""
    ids = sorted(set(product_ids))
    if not ids:
        return []
    products = db.session.scalars(
        select(Product).where(Product.id.in_(ids)).options(
            joinedload(Product.producer).joinedload(Producer.commune),
            joinedload(Product.producer).joinedload(Producer.province),
            selectinload(Product.recognitions)))
    return [document(product) for product in products]


def all_product_ids(batch: int = 1000) -> Iterator[list[int]]:
    """Every product id, in batches (for a full reindex)."""
    last = 0
    while True:
        ids = list(db.session.scalars(select(Product.id).where(Product.id > last).order_by(Product.id).limit(batch)))
        if not ids:
            return
        yield ids
        last = ids[-1]


def document(product: Product) -> SearchDocument:
    producer = product.producer
    places = [producer.commune.name if producer.commune else "", producer.province.name,
              *FORMER_PROVINCES.get(producer.province_code, ())]
    now = clock.now()
    in_force = visibility.recognition_in_force(product, now)
    latest = in_force or visibility.latest_recognition(product)
    visible_from, visible_until = _visibility_hint(product, now)
    product_set = product.set_info
    return SearchDocument(
        product_id=product.id, slug=product.slug, name=product.name, producer=producer.name,
        place=", ".join(p for p in places if p),
        description=" ".join(t for t in (product.packaging, product.description, product.story) if t),
        sector=product_set.sector.code, group=product_set.group.code, product_set=product_set.number,
        province_code=producer.province_code, stars=in_force.stars if in_force else None,
        decided_on=latest.decision_date if latest else None,
        visible_from=visible_from, visible_until=visible_until)


def _visibility_hint(product: Product, now) -> tuple:
    """A window that surely contains every instant from now on when the product is visible.

    Supersession is ignored (a successor keeps the product visible) and only
    revocations already recorded cut it short; the exact rule is applied at
    query time anyway, so this only lets an external index skip dead documents.
    """
    ends = {r: min(t for t in (r.ends_at, r.revoked_at) if t is not None) for r in product.recognitions}
    current = [r for r, end in ends.items() if end > now]
    if not current:
        return None, None
    return min(r.starts_at for r in current), max(ends[r] for r in current)


def upsert_rows(documents: Sequence[SearchDocument]) -> None:
    """Write the folded rows the database backends index (SQLite FTS5 / PostgreSQL)."""
    if not documents:
        return
    table = SearchDocumentRow.__table__
    ids = [d.product_id for d in documents]
    db.session.execute(table.delete().where(table.c.product_id.in_(ids)))
    db.session.execute(table.insert(), [{
        "product_id": d.product_id, "name": fold(d.name), "producer": fold(d.producer),
        "place": fold(d.place), "body": fold(d.description), "updated_at": clock.now()} for d in documents])


def delete_rows(product_ids: Sequence[int]) -> None:
    if product_ids:
        table = SearchDocumentRow.__table__
        db.session.execute(table.delete().where(table.c.product_id.in_(list(product_ids))))
