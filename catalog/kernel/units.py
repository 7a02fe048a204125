"""The 34 provinces, read once per process: reference data that only a migration changes."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import select

from catalog.kernel.db import db
from catalog.kernel.models.units import Province


@dataclass(frozen=True)
class ProvinceInfo:
    code: str
    name: str
    slug: str


def provinces() -> dict[str, ProvinceInfo]:
    """Code -> province, in alphabetical (folded) order."""
    return _load(db.session.get_bind().engine.url.render_as_string(hide_password=True))


@lru_cache(maxsize=8)
def _load(database: str) -> dict[str, ProvinceInfo]:
    rows = db.session.execute(select(Province.code, Province.name, Province.slug).order_by(Province.slug)).all()
    return {code: ProvinceInfo(code, name, slug) for code, name, slug in rows}
