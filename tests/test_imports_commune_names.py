"""Commune names survive an import as written: the kind prefix is read with its diacritics, never on folded text.

A decision row naming the commune "Phượng Sơn" (Bắc Ninh) was stored as the ward "Sơn" and shown as "Phường Sơn":
folded, "Phượng" and "Phường" are the same letters.
"""
from __future__ import annotations

import unicodedata

import pytest
from sqlalchemy import select

from catalog.imports import operations as imports
from catalog.kernel import units
from catalog.kernel.models.units import Commune, commune_full_name
from catalog_demo.vocabulary import COMMUNES
from tests.test_imports import ROWS, csv_bytes, now  # noqa: F401  (the fixture)

#: Names of the official list (July 2025) whose first word folds to a prefix: the ones folding got wrong.
OFFICIAL = {
    "24": (("xa", "Phượng Sơn"), ("xa", "Phương Sơn"), ("phuong", "Phương Liễu")),
    "01": (("xa", "Phượng Dực"), ("phuong", "Phương Liệt")),
    "40": (("xa", "Xá Lượng"),),
    "08": (("xa", "Xà Phìn"), ("xa", "Phương Tiến")),
}
ALL = sorted({(code, kind, name) for source in (COMMUNES, OFFICIAL) for code, communes in source.items()
              for kind, name in communes})
NFD = {"NFC": lambda text: text, "NFD": lambda text: unicodedata.normalize("NFD", text)}


@pytest.mark.parametrize("form", sorted(NFD))
def test_every_demo_and_official_name_splits_back_into_its_name_and_kind(form):
    written = NFD[form]
    for _, kind, name in ALL:
        full = commune_full_name(name, kind)
        assert units.split_commune_name(written(full)) == (name, kind), full
        assert units.split_commune_name(written(full.upper())) == (name.upper(), kind), full
        assert units.split_commune_name(written(name)) == (name, None), name


def test_a_prefix_is_read_with_its_diacritics():
    assert units.split_commune_name("Phượng Sơn") == ("Phượng Sơn", None)
    assert units.split_commune_name("Phường Sơn") == ("Sơn", "phuong")
    assert units.split_commune_name(unicodedata.normalize("NFD", "Phường  Sơn")) == ("Sơn", "phuong")
    assert units.split_commune_name("Xa Vinh Tuy") == ("Vinh Tuy", "xa")           # typed without any accent
    assert units.split_commune_name("Dac khu Phu Quoc") == ("Phu Quoc", "dac_khu")
    assert units.split_commune_name("Thị trấn Yên Minh") == ("Yên Minh", units.TOWN)
    assert units.split_commune_name("Xã") == ("Xã", None)


def decision_rows(communes: list[tuple[str, str, str]], write) -> list[list[str]]:
    """One decision row per commune (code, kind, name), its commune cell ``write(kind, name)``."""
    provinces = {code: info.name for code, info in units.provinces().items()}
    rows = []
    for n, (code, kind, name) in enumerate(communes):
        row = dict(zip(imports.DECISION_COLUMNS, ROWS[0], strict=True))
        row.update(product_name=f"Sản phẩm {n}", producer_name=f"HTX số {n}", province=provinces[code],
                   commune=write(kind, name), gtin="")
        rows.append([row[c] for c in imports.DECISION_COLUMNS])
    return rows


WRITTEN = {
    "full": lambda kind, name: commune_full_name(name, kind),
    "full-nfd": lambda kind, name: unicodedata.normalize("NFD", commune_full_name(name, kind)),
    "bare": lambda kind, name: name,
}


@pytest.mark.usefixtures("now")
@pytest.mark.parametrize("written", ["full", "full-nfd"])
def test_every_name_imported_into_an_empty_list_is_added_as_written(session, written):
    """No commune known: each is added, its name and kind as the file wrote them (the preview's warnings)."""
    known = set(session.scalars(select(Commune.province_code + "/" + Commune.name)))
    communes = [c for c in ALL if f"{c[0]}/{c[2]}" not in known]
    report = imports.import_decisions(imports.read_decisions(csv_bytes(decision_rows(communes, WRITTEN[written])),
                                                             "qd.csv"), actor="test", dry_run=True)
    assert report.ok, report.problems[:5]
    added = {w.line: w.name for w in report.warnings}
    assert [added.get(line) for line in range(2, len(communes) + 2)] == \
        [commune_full_name(name, kind) for _, kind, name in communes]


@pytest.mark.usefixtures("now")
@pytest.mark.parametrize("written", sorted(WRITTEN))
def test_every_known_name_is_matched_never_added(session, written):
    """The demo's and official communes in the list (with a ward "Sơn" beside the commune "Phượng Sơn"): each
    row finds its own commune, however the name is written."""
    existing = {(c.province_code, c.name): c for c in session.scalars(select(Commune))}
    for n, (code, kind, name) in enumerate([*ALL, ("24", "phuong", "Sơn")]):
        if (code, name) in existing:
            existing[code, name].kind = kind                    # the fixture's "Phú Quốc" is a special zone
        else:
            session.add(Commune(code=f"96{n:03d}", name=name, kind=kind, province_code=code))
    session.flush()
    report = imports.import_decisions(imports.read_decisions(csv_bytes(decision_rows(ALL, WRITTEN[written])),
                                                             "qd.csv"), actor="test", dry_run=True)
    assert report.ok, report.problems[:5]
    assert report.counts["communes_added"] == 0
    assert [row.commune for row in report.rows] == [commune_full_name(name, kind) for _, kind, name in ALL]
    phuong_son = ALL.index(("24", "xa", "Phượng Sơn"))
    assert report.rows[phuong_son].commune == "Xã Phượng Sơn"


@pytest.mark.usefixtures("now")
def test_a_town_is_matched_by_its_name_or_refused(session):
    rows = decision_rows([("08", "xa", "Vĩnh Tuy"), ("08", "xa", "Không Có")],
                         lambda kind, name: f"Thị trấn {name}")
    report = imports.import_decisions(imports.read_decisions(csv_bytes(rows), "qd.csv"), actor="test", dry_run=True)
    assert [str(p) for p in report.problems] == [
        "line 3, column commune: 'Thị trấn Không Có': towns (thị trấn) were abolished on 1 July 2025; write the "
        "commune (xã) or ward (phường) it is part of now"]


@pytest.mark.usefixtures("now")
def test_the_commune_phuong_son_is_stored_as_written(session):
    """The issue's row: "Phượng Sơn" (Bắc Ninh) was stored as the ward "Sơn", shown "Phường Sơn"."""
    from catalog.kernel.models.producers import Producer

    rows = decision_rows([("24", "xa", "Phượng Sơn")], lambda kind, name: name)
    report = imports.import_decisions(imports.read_decisions(csv_bytes(rows), "qd.csv"), actor="test")
    assert report.ok, report.problems
    commune = session.scalar(select(Producer).where(Producer.name == "HTX số 0")).commune
    assert (commune.name, commune.kind, commune.full_name) == ("Phượng Sơn", "xa", "Xã Phượng Sơn")
