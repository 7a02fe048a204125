"""Product and producer pages. A product no longer certified keeps its URL and says why (410)."""
from __future__ import annotations

from flask import abort, render_template, request
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload

from catalog import search as catalog_search
from catalog.kernel import visibility
from catalog.kernel.db import db
from catalog.kernel.ids import parse_id
from catalog.kernel.models.producers import Producer
from catalog.kernel.models.products import Product
from catalog.kernel.models.recognitions import EXPIRED, REVOKED
from catalog.public import seo
from catalog.public.blueprint import bp
from catalog.public.links import BACK, results_link


@bp.get("/products/<slug>")
def product(slug: str):
    found = db.session.scalars(
        select(Product).where(Product.slug == slug).options(
            joinedload(Product.producer).joinedload(Producer.commune),
            joinedload(Product.producer).joinedload(Producer.province),
            selectinload(Product.recognitions), selectinload(Product.images))).one_or_none()
    if found is None:
        abort(404)
    status = visibility.explain(found)
    if status.recognition is None or not status.visible:
        if status.recognition is None or status.reason not in (EXPIRED, REVOKED):
            abort(404)
        response = render_template("public/product_gone.html", product=found, status=status)
        return response, 410, {"X-Robots-Tag": "noindex"}
    history = sorted(found.recognitions, key=lambda r: (r.starts_at, r.id))
    return render_template("public/product.html", product=found, recognition=status.recognition,
                           history=history, json_ld=seo.product_json_ld(found, status.recognition),
                           back=results_link(request.args.get(BACK)))


@bp.get("/producers/<key>")
def producer(key: str):
    condition = Producer.slug == key
    if (producer_id := parse_id(key)) is not None:
        condition = or_(condition, Producer.id == producer_id)
    found = db.session.scalars(select(Producer).where(condition).order_by(Producer.id)).first()
    if found is None:
        abort(404)
    listings = catalog_search.product_cards(catalog_search.ProductQuery(producer_id=found.id,
                                                                        sort="stars_then_name"))
    return render_template("public/producer.html", producer=found, listings=listings,
                           back=results_link(request.args.get(BACK)))
