"""What a catalog search asks for, checked field by field."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from catalog.kernel import taxonomy
from catalog.kernel.errors import InvalidInput
from catalog.kernel.i18n import N_, Message
from catalog.kernel.inputs import longer_than, one_of
from catalog.kernel.text import is_digits
from catalog.search.service import ProductQuery

SORTS = ("relevance", "stars", "newest", "name")
PER_PAGE = 20
MAX_PAGE = 500
MAX_QUERY_LENGTH = 200
FIELDS = ("q", "sector", "group", "stars", "province", "sort", "page")


@dataclass(frozen=True)
class SearchQuery:
    q: str = ""
    sector: str | None = None
    group: str | None = None
    stars: int | None = None
    province: str | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = PER_PAGE

    def product_query(self) -> ProductQuery:
        """The catalog's product query for this search (visible products only)."""
        return ProductQuery(q=self.q, sector=self.sector, group=self.group, stars=self.stars,
                            province=self.province, sort=self.sort)

    def with_(self, **changes) -> SearchQuery:
        return replace(self, **changes)

    def args(self, **changes) -> dict[str, str]:
        """URL arguments for this query (with ``changes``), defaults left out."""
        query = self.with_(**changes)
        args = {"q": query.q, "sector": query.sector, "group": query.group, "stars": query.stars,
                "province": query.province, "sort": None if query.sort == "relevance" else query.sort,
                "page": None if query.page == 1 else query.page}
        return {k: str(v) for k, v in args.items() if v not in (None, "")}


def parse(args: Mapping[str, str], province_codes: frozenset[str]) -> SearchQuery:
    """Read URL arguments; every bad one is reported, naming the field and the problem."""
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    q = " ".join((args.get("q") or "").split())
    if len(q) > MAX_QUERY_LENGTH:
        errors["q"] = [longer_than(MAX_QUERY_LENGTH)]
    values["q"] = q[:MAX_QUERY_LENGTH]
    _choice(args, "sector", taxonomy.SECTORS_BY_CODE, values, errors)
    _choice(args, "group", taxonomy.GROUPS_BY_CODE, values, errors)
    _choice(args, "province", province_codes, values, errors)
    sort = args.get("sort") or "relevance"
    if sort not in SORTS:
        errors["sort"] = [one_of(SORTS)]
    values["sort"] = sort if sort in SORTS else "relevance"
    values["stars"] = _integer(args, "stars", 3, 5, errors)
    values["page"] = _integer(args, "page", 1, MAX_PAGE, errors) or 1
    if errors:
        raise InvalidInput(errors)
    return SearchQuery(**values)


def _choice(args, field, allowed, values, errors) -> None:
    value = (args.get(field) or "").strip() or None
    if value is not None and value not in allowed:
        errors[field] = [Message(N_("%(value)s is not one of the choices"), value=repr(value))]
        value = None
    values[field] = value


def _integer(args, field, low, high, errors) -> int | None:
    raw = (args.get(field) or "").strip()
    if not raw:
        return None
    if not is_digits(raw) or len(raw) > len(str(high)) or not low <= int(raw) <= high:
        errors[field] = [Message(N_("must be a whole number from %(low)s to %(high)s"), low=low, high=high)]
        return None
    return int(raw)
