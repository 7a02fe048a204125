"""Links that result pages print dozens of times, built from one ``url_for`` per request.

A search page carries some 40 links (facets, cards, pager); routing each through
``url_for`` cost about a millisecond a page. The prefix comes from the router
once per request, so script roots and proxies are still honoured.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from flask import g, url_for

from catalog.public.blueprint import bp


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
def product_url(slug: str) -> str:
    marker = _prefix("public.product", slug="-")
    return marker[:-1] + quote(slug)
