"""Which products a flush touched: the products, recognitions and producers it wrote.

Followers of product changes (the search outbox, the partner change feed) read
it in their ``after_flush`` listeners, so no surface can change a product
without them knowing.
"""
from __future__ import annotations

from itertools import chain

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.kernel.models.producers import Producer
from catalog.kernel.models.products import Product, ProductImage
from catalog.kernel.models.recognitions import Recognition


def changed_products(session: Session, flush_context=None) -> set[int]:
    """Worked out once per flush: every follower's listener passes the flush it was given."""
    attributes = getattr(flush_context, "attributes", None)
    if attributes is not None and _KEY in attributes:
        return attributes[_KEY]
    found = _changed(session)
    if attributes is not None:
        attributes[_KEY] = found
    return found


_KEY = "catalog.changed_products"


def _changed(session: Session) -> set[int]:
    products, producers = set(), set()
    dirty = session.dirty                           # worked out over the whole identity map: once, not per object
    for obj in chain(session.new, dirty, session.deleted):
        if obj in dirty and not session.is_modified(obj):
            continue
        if isinstance(obj, Product):
            products.add(obj.id)
        elif isinstance(obj, (Recognition, ProductImage)):
            products.add(obj.product_id)
        elif isinstance(obj, Producer):
            producers.add(obj.id)
    if producers:
        products |= set(session.connection().execute(
            select(Product.id).where(Product.producer_id.in_(producers))).scalars())
    products.discard(None)
    return products
