"""Home, search and province pages: lists of products visible now, by the core's rule."""
from __future__ import annotations

from collections import Counter

from flask import abort, render_template, request
from sqlalchemy import func, select

from catalog import search as catalog_search
from catalog.kernel import taxonomy, units, visibility
from catalog.kernel.db import db
from catalog.kernel.errors import InvalidInput
from catalog.kernel.ids import parse_id
from catalog.kernel.models.recognitions import Recognition
from catalog.kernel.models.units import Province
from catalog.public.blueprint import bp
from catalog.search import MAX_PAGE, Card

NEWEST = 8


@bp.get("/")
def home():
    listing = visibility.visible_listings().subquery()
    by_stars = dict(db.session.execute(
        select(listing.c.stars, func.count()).group_by(listing.c.stars)).all())
    by_sector: Counter[str] = Counter()
    for product_set, count in db.session.execute(
            select(listing.c.product_set, func.count()).group_by(listing.c.product_set)):
        by_sector[taxonomy.SETS_BY_NUMBER[product_set].sector.code] += count
    newest = [Card.of(product, recognition) for product, recognition in db.session.execute(
        visibility.visible_listings().order_by(Recognition.decision_date.desc(), Recognition.id.desc())
        .limit(NEWEST)).all()]
    return render_template("public/home.html", by_stars=by_stars, by_sector=by_sector,
                           total=sum(by_stars.values()), newest=newest, sectors=taxonomy.SECTORS)


@bp.get("/search")
def search_page():
    provinces = units.provinces()
    errors: dict[str, list[str]] = {}
    try:
        query = catalog_search.parse(request.args, frozenset(provinces))
    except InvalidInput as exc:
        errors = exc.errors
        clean = {k: v for k, v in request.args.items() if k not in errors}
        query = catalog_search.parse(clean, frozenset(provinces))
    results = catalog_search.search(query)
    status = 400 if errors else 200
    return render_template("public/search.html", results=results, query=query, errors=errors,
                           provinces=provinces, sectors=taxonomy.SECTORS), status


@bp.get("/provinces/<code>")
def province(code: str):
    found = db.session.get(Province, code)
    if found is None:
        abort(404)
    page = parse_id(request.args.get("page"))
    query = catalog_search.SearchQuery(province=code, sort="newest",
                                       page=page if page is not None and page <= MAX_PAGE else 1)
    results = catalog_search.search(query)
    return render_template("public/province.html", province=found, results=results, query=query)
