"""The 34 provinces, read once per process: reference data that only a migration changes; what the first
words of a commune's name say of its kind."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import select

from catalog.kernel.db import db
from catalog.kernel.models.units import Province

#: A town (thị trấn): a kind abolished on 1 July 2025 (towns became communes or wards). Recognised in a name
#: so that it can be matched or refused, never stored.
TOWN = "thi_tran"
#: What a commune's name may start with, and the kind it says (longest first).
COMMUNE_PREFIXES: tuple[tuple[str, str], ...] = (("Đặc khu", "dac_khu"), ("Thị trấn", TOWN), ("Phường", "phuong"),
                                                  ("Xã", "xa"))


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


def _words(text: str) -> list[str]:
    return unicodedata.normalize("NFC", text).lower().split()


def _unaccented(word: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", word) if not unicodedata.combining(ch)).replace("đ", "d")


#: Each prefix as lowercase NFC words, with its kind.
_PREFIX_WORDS = tuple((_words(prefix), kind) for prefix, kind in COMMUNE_PREFIXES)


def split_commune_name(name: str) -> tuple[str, str | None]:
    """``Xã Vĩnh Tuy`` -> (``Vĩnh Tuy``, ``xa``); ``Phượng Sơn`` -> (``Phượng Sơn``, None).

    The kind is read from the first words as written, with their diacritics, in any case and any Unicode
    form (NFC or NFD): folded, "Phượng" and "Phường" are the same letters, so folding is never used to
    decide what a name means. A prefix word typed without any diacritic (``Xa Vinh Tuy``, ``Phuong 1``) is
    read as the prefix; a word with other diacritics (``Phượng``, ``Phương``, ``Xá``) is part of the name.
    The name is returned NFC-normalised, whitespace collapsed; a bare prefix (``Xã``) has no kind."""
    words = unicodedata.normalize("NFC", name).split()
    lowered = [word.lower() for word in words]
    for prefix, kind in _PREFIX_WORDS:
        size = len(prefix)
        if len(words) <= size:
            continue
        if all(typed == word or (typed.isascii() and typed == _unaccented(word))
               for typed, word in zip(lowered[:size], prefix, strict=True)):
            return " ".join(words[size:]), kind
    return " ".join(words), None
