"""Links that result pages print dozens of times, built from one ``url_for`` per request.

A search page carries some 40 links (facets, cards, pager); routing each through
``url_for`` cost about a millisecond a page. The prefix comes from the router
once per request, so script roots and proxies are still honoured.

Result links carry the search they come from (``?back=/search?q=...``), so a product or producer page
reached from a search can lead back to the same results: :func:`results_link` rebuilds that address from
its search fields alone, on this site's search page, and refuses anything else (never an open redirect).
"""
from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from flask import g, url_for

from catalog import search as catalog_search
from catalog.kernel import units
from catalog.kernel.errors import InvalidInput
from catalog.public.blueprint import bp

BACK = "back"                   # the parameter naming the results a page was reached from
MAX_BACK_LENGTH = 1000


def _prefix(endpoint: str, **values: Any) -> str:
    cache: dict[str, str] = g.setdefault("catalog_link_prefixes", {})
    if endpoint not in cache:
        cache[endpoint] = url_for(endpoint, **values)
    return cache[endpoint]


@bp.app_template_global()
def search_url(args: dict[str, str]) -> str:
    base = _prefix("public.search_page")
    return f"{base}?{urlencode(args)}" if args else base


@bp.app_template_global()
def product_url(slug: str, back: str | None = None) -> str:
    marker = _prefix("public.product", slug="-")
    url = marker[:-1] + quote(slug)
    return f"{url}?{BACK}={quote(back, safe='')}" if back else url


def results_link(raw: str | None) -> str | None:
    """The search results ``raw`` names (a path on this site's search page), rebuilt; None for anything else."""
    if not raw or len(raw) > MAX_BACK_LENGTH:
        return None
    parts = urlsplit(raw)
    if parts.scheme or parts.netloc or parts.fragment or parts.path != _prefix("public.search_page"):
        return None
    fields = {name: value for name, value in parse_qsl(parts.query) if name in catalog_search.QUERY_FIELDS}
    try:
        query = catalog_search.parse(fields, frozenset(units.provinces()))
    except InvalidInput:
        return None
    return search_url(query.args())


@bp.app_template_global()
def tel_href(phone: str) -> str:
    """``tel:`` link of a phone number as written (``0912 345 678`` -> ``tel:0912345678``)."""
    return "tel:" + "".join(c for c in phone if c.isdigit() or c == "+")


@bp.app_template_global()
def web_link(address: str | None) -> str | None:
    """A website to link to: ``http(s)://`` only (the kernel refuses others; this guards older rows too)."""
    if address and address.lower().startswith(("http://", "https://")) and not any(c.isspace() for c in address):
        return address
    return None
