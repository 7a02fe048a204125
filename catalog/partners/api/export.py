"""``GET /api/v1/export.ndjson``: every visible product, one JSON document per line, streamed.

Ids are read first (small), then products a chunk at a time, so memory stays
flat however many there are. The stream is produced after the request's
transaction ended: it opens its own read, in the app context Flask keeps for it.
"""
from __future__ import annotations

import json

from flask import Response, stream_with_context

from catalog.kernel import clock, visibility
from catalog.kernel.db import db
from catalog.kernel.models.products import Product
from catalog.partners.api import bp, listings
from catalog.partners.api.args import load_args
from catalog.partners.api.schemas import NoArgs


@bp.get("/export.ndjson")
def export():
    load_args(NoArgs())
    now = clock.now()
    ids = list(db.session.scalars(visibility.visible_listings(now).with_only_columns(Product.id)
                                  .order_by(Product.id)))

    def lines():
        dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
        buffer = []
        for document in listings.stream(ids, now):
            buffer.append(dumps(document))
            if len(buffer) == 200:
                yield "\n".join(buffer) + "\n"
                buffer.clear()
        if buffer:
            yield "\n".join(buffer) + "\n"

    response = Response(stream_with_context(lines()), mimetype="application/x-ndjson")
    response.headers["X-Total-Count"] = str(len(ids))
    response.headers["Content-Disposition"] = f'attachment; filename="ocop-products-{now:%Y%m%d}.ndjson"'
    return response
