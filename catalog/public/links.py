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
