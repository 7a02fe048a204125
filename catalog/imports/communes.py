"""Loading the official list of communes and wards (about 3,300 since July 2025).

The file is CSV with a header: ``code,name,kind,province_code`` (kind ``xa``,
``phuong`` or ``dac_khu``; "Xã"/"Phường"/"Đặc khu" are accepted too). Every row
is checked before anything is written, and the whole file is one change: a
bad line leaves the table as it was.

A commune that a decision import had to add (under a provisional code, see
:func:`add_commune`) is merged into the official one of the same name in the
same province once the list holds it: its producers move to the official code
and the provisional row goes.
"""
from __future__ import annotations

import csv
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

from sqlalchemy import select

from catalog.kernel import units
from catalog.kernel.db import db
from catalog.kernel.errors import InvalidInput
from catalog.kernel.i18n import N_, Message
from catalog.kernel.inputs import longer_than
from catalog.kernel.models.producers import Producer
from catalog.kernel.models.units import Commune, Province
from catalog.kernel.text import clean_line, fold, is_digits

KINDS = {"xa": "xa", "phuong": "phuong", "dac khu": "dac_khu", "dac_khu": "dac_khu"}
COLUMNS = ("code", "name", "kind", "province_code")


@dataclass(frozen=True)
class Loaded:
    added: int
    updated: int
    merged: int          # provisional communes replaced by their official row


def import_communes(source: IO[str], progress: Callable[[int], None] = lambda n: None) -> Loaded:
    """Insert new communes, update the names and kinds of known ones, merge provisional ones."""
    reader = csv.DictReader(source)
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise InvalidInput({"file": [f"missing column(s): {', '.join(missing)} (need {','.join(COLUMNS)})"]})
    provinces = set(db.session.scalars(select(Province.code)))
    rows: list[dict[str, Any]] = []
    errors: dict[str, list[str]] = {}
    seen: set[str] = set()
    for line, raw in enumerate(reader, start=2):
        problem, row = _check(raw, provinces, seen)
        if problem:
            errors[f"line {line}"] = [problem]
        else:
            rows.append(row)
            seen.add(row["code"])
    if errors:
        raise InvalidInput(dict(list(errors.items())[:20]))
    known = {c.code: c for c in db.session.scalars(select(Commune))}
    added = updated = 0
    for row in rows:
        existing = known.get(row["code"])
        if existing is None:
            db.session.add(Commune(**row))
            added += 1
        elif (existing.name, existing.kind, existing.province_code) != (row["name"], row["kind"], row["province_code"]):
            existing.name, existing.kind, existing.province_code = row["name"], row["kind"], row["province_code"]
            updated += 1
        progress(1)
    db.session.flush()
    return Loaded(added, updated, _merge_provisional(rows))


def _merge_provisional(rows: list[dict]) -> int:
    """Move the producers of each provisional commune the official rows name to that row; drop the former."""
    official: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        official.setdefault((row["province_code"], fold(row["name"])), []).append(row)
    merged = 0
    for commune in db.session.scalars(select(Commune).where(_is_provisional())):
        candidates = official.get((commune.province_code, fold(commune.name)), [])
        same_kind = [row for row in candidates if row["kind"] == commune.kind]
        match = same_kind if len(same_kind) == 1 else candidates
        if len(match) != 1:
            continue
        for producer in db.session.scalars(select(Producer).where(Producer.commune_code == commune.code)):
            producer.commune_code = match[0]["code"]
        db.session.flush()
        db.session.delete(commune)
        merged += 1
    db.session.flush()
    return merged


def _is_provisional():
    return Commune.code.startswith(ADDED_CODE_PREFIXES[0]) | Commune.code.startswith(ADDED_CODE_PREFIXES[1])


def _check(raw: dict, provinces: set[str], seen: set[str]) -> tuple[str | None, dict]:
    code = (raw.get("code") or "").strip()
    name = clean_line(raw.get("name"))
    kind = KINDS.get(fold(raw.get("kind") or "").replace("_", " ")) or KINDS.get((raw.get("kind") or "").strip())
    province = (raw.get("province_code") or "").strip().zfill(2)
    if not (is_digits(code) and len(code) == 5):
        return f"code {code!r} is not a 5-digit commune code", {}
    if code in seen:
        return f"code {code} appears twice", {}
    if not name:
        return "name is empty", {}
    if kind is None:
        return f"kind {raw.get('kind')!r} is not xa, phuong or dac_khu", {}
    if province not in provinces:
        return f"province_code {province!r} is not one of the 34 provinces", {}
    return None, {"code": code, "name": name, "kind": kind, "province_code": province}


#: Codes for communes added by hand or by a decision import (the reference list was incomplete): no province
#: has code 97 or 98, so they clash neither with the official codes nor with the demo's (province code + serial).
ADDED_CODE_PREFIXES = ("98", "97")


def split_kind(name: str) -> tuple[str, str | None]:
    """``Xã Vĩnh Tuy`` -> (``Vĩnh Tuy``, ``xa``); a name without ``Xã``/``Phường``/``Đặc khu``/``Thị trấn``
    has no kind. Read with diacritics (:func:`catalog.kernel.units.split_commune_name`): ``Phượng Sơn`` is a
    commune's name, not the ward ``Sơn``."""
    return units.split_commune_name(clean_line(name) or "")


#: The five tone marks (combining): grave, acute, tilde, hook above, dot below.
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")


def spelling(name: str) -> str:
    """``name`` as spelled, whatever its case, Unicode form or tone marks' place: "Hòa An" and "Hoà An" are one
    spelling, "Phượng Sơn" and "Phương Sơn" two (folded, they are the same letters)."""
    words = []
    for word in unicodedata.normalize("NFD", name).lower().split():
        tones = "".join(sorted(ch for ch in word if ch in _TONES))
        words.append(unicodedata.normalize("NFC", "".join(ch for ch in word if ch not in _TONES)) + tones)
    return " ".join(words)


def same_name(candidates: list[Commune], typed: str) -> list[Commune]:
    """The communes of ``candidates`` (found by folded name) that ``typed`` names: those spelled the same,
    or all of them when ``typed`` has no diacritics at all (typed without accents, folding finds it)."""
    if typed.isascii():
        return candidates
    wanted = spelling(typed)
    return [c for c in candidates if spelling(c.name) == wanted]


def add_commune(name: str, province_code: str, kind: str | None = None, *,
                taken: set[str] | None = None) -> Commune:
    """Add a commune missing from the reference list, under a free code of :data:`ADDED_CODE_PREFIXES`.

    ``taken``: the codes already given to added communes (:func:`provisional_codes`), kept up to date
    by the caller's many calls; the commune is then added to the session and not flushed."""
    bare, named_kind = split_kind(name)
    kind = kind or named_kind or "xa"
    if not bare or len(bare) > 100:
        raise InvalidInput({"name": [Message(N_("is required")) if not bare else longer_than(100)]})
    if kind == units.TOWN:
        raise InvalidInput({"kind": [Message(N_("%(name)s: towns (thị trấn) were abolished on 1 July 2025; write the "
                                                "commune (xã) or ward (phường) it is part of now"), name=repr(name))]})
    if kind not in KINDS.values():
        raise InvalidInput({"kind": [Message(N_("kind %(kind)s is not xa, phuong or dac_khu"), kind=repr(kind))]})
    if db.session.get(Province, province_code) is None:
        raise InvalidInput({"province_code": [Message(N_("no province with code %(code)s"), code=province_code)]})
    codes = provisional_codes() if taken is None else taken
    code = next((f"{prefix}{n:03d}" for prefix in ADDED_CODE_PREFIXES for n in range(1000)
                 if f"{prefix}{n:03d}" not in codes), None)
    if code is None:
        raise InvalidInput({"code": [Message(N_("no free code is left for added communes: load the official list"))]})
    commune = Commune(code=code, name=bare, kind=kind, province_code=province_code)
    db.session.add(commune)
    if taken is None:
        db.session.flush()
    else:
        taken.add(code)
    return commune


def provisional_codes() -> set[str]:
    """The codes given to communes added by hand or by an import."""
    return set(db.session.scalars(select(Commune.code).where(_is_provisional())))
