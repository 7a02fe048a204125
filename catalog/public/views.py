"""Home, search and province pages: lists of products visible now, by the core's rule."""
from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import gettext as _

from catalog import search as catalog_search
from catalog.kernel import taxonomy, units
from catalog.kernel.db import db
from catalog.kernel.errors import InvalidInput
from catalog.kernel.models.units import Province
from catalog.platform import pagination
from catalog.public.blueprint import bp
from catalog.public.links import search_url
from catalog.search import MAX_PAGE

NEWEST = 8


@bp.get("/")
def home():
    listed = catalog_search.product_page(catalog_search.ProductQuery(sort="newest"), per_page=NEWEST)
    by_stars = dict(listed.facets.stars)
    by_sector = {sector.code: count for sector, count in listed.facets.sectors}
    return render_template("public/home.html", by_stars=by_stars, by_sector=by_sector,
                           total=listed.total, newest=listed.hits, sectors=taxonomy.SECTORS)


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
    suggestion = nearby = None
    if not results.total and query.q:
        suggestion = _did_you_mean(query.q)
        nearby = nearby_sets(query.q)
    return render_template("public/search.html", results=results, query=query, errors=errors,
                           provinces=provinces, sectors=taxonomy.SECTORS, field_labels=_field_labels(),
                           suggestion=suggestion, nearby=nearby, back=search_url(query.args())), status


def _did_you_mean(text: str) -> str | None:
    """The typo corrector's reading of ``text``, offered only when it finds something."""
    suggestion = catalog_search.did_you_mean(text)
    if suggestion is None:
        return None
    found = catalog_search.search(catalog_search.SearchQuery(q=suggestion, per_page=1))
    return suggestion if found.total else None


#: Words of the set names that say nothing of what is in a set.
_GENERIC_WORDS = frozenset({"va", "khac", "tu", "bien", "dang", "san", "pham", "cac"})
NEARBY_SETS = 3


def nearby_sets(text: str) -> list[taxonomy.ProductSet]:
    """The product sets whose names share the most words with ``text`` (accents aside), one per group,
    at most :data:`NEARBY_SETS`."""
    words = {word for word in catalog_search.tokens(text) if len(word) > 1} - _GENERIC_WORDS
    scored = []
    for product_set in taxonomy.PRODUCT_SETS:
        in_group = words & set(catalog_search.tokens(product_set.group.name))
        shared = len(words & set(catalog_search.tokens(product_set.name))) + len(in_group) / 2
        if shared:
            scored.append((-shared, product_set.number, product_set))
    chosen: list[taxonomy.ProductSet] = []
    for _score, _number, product_set in sorted(scored, key=lambda item: item[:2]):
        if all(other.group != product_set.group for other in chosen):
            chosen.append(product_set)
    return chosen[:NEARBY_SETS]


def _field_labels() -> dict[str, str]:
    """The search form's fields as a reader calls them (a refused parameter is named so)."""
    return {"q": _("Search"), "sector": _("Sector"), "group": _("Group"), "stars": _("Stars"),
            "province": _("Province"), "sort": _("Sort"), "page": _("Page")}


@bp.get("/provinces/<code>")
def province(code: str):
    found = db.session.get(Province, code)
    if found is None:
        abort(404)
    query = catalog_search.SearchQuery(province=code, sort="newest",
                                       page=pagination.page_number(request.args, last=MAX_PAGE))
    results = catalog_search.search(query)
    return render_template("public/province.html", province=found, results=results, query=query)
