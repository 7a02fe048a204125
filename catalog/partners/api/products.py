"""``GET /api/v1/products`` (visible now, cursor pages, ETag) and ``GET /api/v1/products/<id>`` (410 when gone)."""
from __future__ import annotations

import hashlib
from email.utils import format_datetime

from flask import Response, current_app, jsonify, request
from sqlalchemy import select

from catalog import search as catalog_search
from catalog.kernel import clock, visibility
from catalog.kernel.db import db
from catalog.kernel.ids import MAX_ID
from catalog.kernel.models.products import Product
from catalog.partners import feed
from catalog.partners.api import bp, listings
from catalog.partners.api.args import encode_cursor, load_args
from catalog.partners.api.schemas import NoArgs, ProductListArgs
from catalog.partners.feed_models import FeedEvent
from catalog.platform.problems import Problem, problem_response


@bp.get("/products")
def products():
    args = load_args(ProductListArgs())
    now = clock.now()
    head = feed.head_position()
    etag = '"' + hashlib.sha256(f"{head}|{sorted(request.args.items(multi=True))}".encode()).hexdigest()[:32] + '"'
    last_modified = db.session.scalar(select(FeedEvent.recorded_at).where(FeedEvent.position == head))
    if _not_modified(etag, last_modified):
        return _cached(current_app.response_class(status=304), etag, last_modified)
    after = min(int(args.get("cursor") or 0), MAX_ID)        # past the largest id: an empty last page
    ids = _matching_ids(args, now, after)
    page = listings.documents(ids[:args["limit"]], now)
    more = len(ids) > args["limit"]
    response = jsonify(items=page, next_cursor=encode_cursor(page[-1]["id"]) if more and page else None)
    return _cached(response, etag, last_modified)


@bp.get("/products/<id:product_id>")
def product(product_id: int) -> Response:
    load_args(NoArgs())
    found = db.session.get(Product, product_id)
    if found is None:
        raise Problem(404, f"There is no product with id {product_id}.")
    now = clock.now()
    documents = listings.documents([product_id], now)
    if documents:
        return jsonify(documents[0])
    status = visibility.explain(found, now)
    return problem_response(
        410, f"Product {product_id} is not OCOP-certified now ({status.reason}); remove it from your listings.",
        kind="product-not-certified", product_id=product_id, reason=status.reason,
        since=status.since.isoformat() if status.since else None,
        decision_number=(status.recognition.revocation_decision or status.recognition.decision_number)
        if status.recognition else None)


def _matching_ids(args: dict, now, after: int) -> list[int]:
    """Up to ``limit + 1`` ids after ``after`` (the extra one says whether there is a next page), through the
    catalog's one product query, with or without ``q``.

    ``updated_since`` narrows before the page is cut, so a page is never short of products that exist.
    """
    changed = select(FeedEvent.product_id).where(FeedEvent.recorded_at > args["updated_since"]) \
        if args.get("updated_since") else None
    query = catalog_search.ProductQuery(q=args.get("q") or "", sector=args.get("sector"), group=args.get("group"),
                                        stars=args.get("stars"), province=args.get("province"), among=changed)
    return catalog_search.products(query, now, after=after, limit=args["limit"] + 1)


def _not_modified(etag: str, last_modified) -> bool:
    if request.if_none_match:
        return request.if_none_match.contains(etag.strip('"')) or request.if_none_match.star_tag
    if request.if_modified_since and last_modified is not None:
        return last_modified.replace(microsecond=0) <= request.if_modified_since
    return False


def _cached(response, etag: str, last_modified):
    response.headers["ETag"] = etag
    response.headers["Cache-Control"] = "private, no-cache"
    if last_modified is not None:
        response.headers["Last-Modified"] = format_datetime(last_modified, usegmt=True)
    return response


