"""Exports: products in force (CSV, XLSX) at an instant, and the PTNT_OCOP record for a period."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re

import openpyxl
import pytest

from catalog.exports import operations as exports
from catalog.kernel import calendar, programme, recognitions
from catalog.kernel.errors import InvalidInput
from tests import factories

TODAY = dt.date(2026, 6, 1)
MIDNIGHT = calendar.start_of_day(TODAY)           # the lapse and the revocation below take effect here
AFTER, BEFORE = MIDNIGHT + dt.timedelta(seconds=1), MIDNIGHT - dt.timedelta(seconds=1)
Q2 = exports.Period(dt.date(2026, 4, 1), dt.date(2026, 6, 30))


def valid_until(day: dt.date, **decision):
    """A product whose recognition's last valid day is ``day``."""
    product = factories.recognised_product(decision_date=calendar.add_months(day, -programme.VALIDITY_MONTHS),
                                           **decision)
    assert product.recognitions[0].valid_until == day
    return product


def revoked_on(day: dt.date, decision_date: dt.date = factories.DECISION["decision_date"]):
    product = factories.recognised_product(decision_date=decision_date)
    recognitions.revoke(product.recognitions[0], actor="test", revoked_on=day, **factories.REVOCATION)
    return product


def read_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")                 # the BOM Excel needs to read UTF-8
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def read_xlsx(data: bytes) -> tuple[tuple, list[tuple]]:
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    header, *rows = sheet.iter_rows(values_only=True)
    return header, rows


def as_text(value) -> str:
    """An XLSX cell as the CSV writes it."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value)


def export(fmt: str, columns, rows) -> bytes:
    target = io.BytesIO()
    exports.write(target, fmt, columns, rows)
    return target.getvalue()


@pytest.fixture()
def world(session, frozen_clock):
    """The Vĩnh Tuy catalog, a product lapsing and one revoked at MIDNIGHT, one re-recognised."""
    frozen_clock(AFTER)
    made = factories.catalog_products()
    made["lapsing"] = valid_until(TODAY - dt.timedelta(days=1), decision_number="9/QĐ-UBND")
    made["revoked"] = revoked_on(TODAY)
    renewed = valid_until(dt.date(2026, 6, 9), decision_number="10/QĐ-UBND")
    recognitions.re_recognise(renewed, actor="test", **{**factories.DECISION, "decision_date": dt.date(2026, 5, 20),
                                                         "decision_number": "55/QĐ-UBND"})
    made["renewed"] = renewed
    return made


def test_products_in_force_csv_is_exactly_the_visible_products_to_the_second(world):
    ids = {key: product.id for key, product in world.items()}
    after = read_csv(export("csv", exports.PRODUCT_COLUMNS, exports.product_rows(AFTER)))
    before = read_csv(export("csv", exports.PRODUCT_COLUMNS, exports.product_rows(BEFORE)))
    in_force = {ids[key] for key in ids if key not in ("lapsing", "revoked")}
    assert [int(row["product_id"]) for row in after] == sorted(in_force)             # by id, once each
    assert {int(row["product_id"]) for row in before} == in_force | {ids["lapsing"], ids["revoked"]}
    assert exports.count_products(AFTER) == len(in_force) and exports.count_products(BEFORE) == len(in_force) + 2
    renewed = next(row for row in after if int(row["product_id"]) == ids["renewed"])
    assert (renewed["decision_number"], renewed["decision_date"]) == ("55/QĐ-UBND", "2026-05-20")
    assert list(after[0]) == list(exports.PRODUCT_COLUMNS)


def test_products_csv_keeps_vietnamese_and_describes_the_product(world):
    rows = read_csv(export("csv", exports.PRODUCT_COLUMNS, exports.product_rows(AFTER)))
    tea = next(row for row in rows if row["product_name"] == "Trà shan tuyết Hợp tâm Tương Mai (gói 200 gram)")
    assert tea == tea | {
        "product_set": "11", "product_set_name": "Chè tươi, chế biến", "sector": "food", "sector_name": "Thực phẩm",
        "producer": "Hộ kinh doanh Phạm Đức Tương", "producer_kind": "household",
        "producer_kind_name": "Hộ kinh doanh", "commune_code": "99001", "commune": "Xã Vĩnh Tuy",
        "province_code": "08", "province": "Tuyên Quang", "stars": "3", "level": "province",
        "authority": "UBND tỉnh Tuyên Quang", "decision_date": "2024-12-20", "valid_until": "2027-12-20",
        "gtin": "", "packaging": "hộp 5kg"}
    fish_sauce = next(row for row in rows if row["product_name"] == "Nước mắm Phú Quốc Thành Đạt")
    assert (fish_sauce["stars"], fish_sauce["level"], fish_sauce["province"]) == ("5", "national", "An Giang")


def test_products_xlsx_opens_and_has_the_same_rows(world):
    csv_rows = read_csv(export("csv", exports.PRODUCT_COLUMNS, exports.product_rows(AFTER)))
    data = export("xlsx", exports.PRODUCT_COLUMNS, exports.product_rows(AFTER))
    header, rows = read_xlsx(data)
    assert header == exports.PRODUCT_COLUMNS
    assert [[as_text(value) for value in row] for row in rows] == [list(row.values()) for row in csv_rows]
    decided = rows[0][exports.PRODUCT_COLUMNS.index("decision_date")]
    assert isinstance(decided, dt.datetime)                  # a real date cell, not text


def test_text_that_looks_like_a_formula_stays_text(session, frozen_clock):
    frozen_clock(AFTER)
    product = factories.product(name="=1+2 Mật ong", packaging="@lọ 500ml")
    recognitions.recognise(product, actor="test", **factories.DECISION)
    rows = read_csv(export("csv", exports.PRODUCT_COLUMNS, exports.product_rows(AFTER)))
    assert (rows[0]["product_name"], rows[0]["packaging"]) == ("'=1+2 Mật ong", "'@lọ 500ml")
    sheet = openpyxl.load_workbook(io.BytesIO(export("xlsx", exports.PRODUCT_COLUMNS, exports.product_rows(AFTER))))
    cell = sheet.worksheets[0].cell(row=2, column=2)
    assert (cell.value, cell.data_type) == ("=1+2 Mật ong", "s")


# -- PTNT_OCOP ----------------------------------------------------------------------------

@pytest.fixture()
def quarter(session, frozen_clock):
    """Products around the second quarter of 2026, by what happened to them."""
    frozen_clock(calendar.start_of_day(dt.date(2026, 7, 5)))
    made = {
        "throughout": factories.recognised_product(),
        "national": factories.recognised_product(score="92", level="national", decision_number="1/QĐ-BNNMT"),
        "expired_in": valid_until(dt.date(2026, 5, 31)),
        "expired_before": valid_until(dt.date(2026, 3, 31)),
        "last_day": valid_until(dt.date(2026, 6, 30)),
        "revoked_in": revoked_on(dt.date(2026, 6, 1)),
        "revoked_before": revoked_on(dt.date(2026, 3, 31)),
        "revoked_after": revoked_on(dt.date(2026, 7, 3)),
        "decided_in": factories.recognised_product(decision_date=dt.date(2026, 5, 15)),
        "decided_after": factories.recognised_product(decision_date=dt.date(2026, 7, 2)),
    }
    upgraded = factories.recognised_product()
    recognitions.upgrade(upgraded, actor="test", **{**factories.DECISION, "score": "75",
                                                     "decision_date": dt.date(2026, 5, 10),
                                                     "decision_number": "60/QĐ-UBND"})
    made["upgraded"] = upgraded
    no_commune = factories.producer(commune_code=None, province_code="66", name="HTX Cà phê Buôn Ma Thuột")
    made["no_commune"] = factories.product(producer_id=no_commune.id, name="Cà phê bột nguyên chất")
    recognitions.recognise(made["no_commune"], actor="test", **factories.DECISION)
    return made


def ptnt(period: exports.Period) -> dict[int, dict[str, str]]:
    rows = read_csv(export("csv", exports.PTNT_OCOP_COLUMNS, exports.ptnt_ocop_rows(period)))
    assert len({row["product_code"] for row in rows}) == len(rows)            # one row per product
    assert exports.count_ptnt_ocop(period) == len(rows)
    return {int(row["product_code"]): row for row in rows}


def test_ptnt_ocop_lists_the_products_in_force_during_the_period_with_their_status_at_its_end(quarter):
    rows = ptnt(Q2)
    status = {key: rows[product.id]["status"] for key, product in quarter.items() if product.id in rows}
    assert status == {
        "throughout": "in_force", "national": "in_force", "expired_in": "expired", "last_day": "in_force",
        "revoked_in": "revoked", "revoked_after": "in_force", "decided_in": "in_force", "upgraded": "in_force",
        "no_commune": "in_force"}
    ratings = {key: rows[quarter[key].id]["rating"] for key in ("throughout", "national", "upgraded")}
    assert ratings == {"throughout": "3*", "national": "5*", "upgraded": "4*"}          # the latest decision
    assert {row["rating"] for row in rows.values()} <= {"3*", "4*", "5*"}


def test_ptnt_ocop_record_fields(quarter):
    product = quarter["throughout"]
    row = ptnt(Q2)[product.id]
    assert list(row) == list(exports.PTNT_OCOP_COLUMNS)
    assert row == {"ocop_code": f"OCOP-08-{product.id:06d}", "admin_unit_code": "99001", "period": "2026-Q2",
                   "product_code": str(product.id), "product_name": "Cam sành Hà Giang (hộp 5kg)", "rating": "3*",
                   "producer": product.producer.name, "yearly_revenue": "", "status": "in_force"}
    assert re.fullmatch(r"OCOP-08-\d{6}", row["ocop_code"])
    other = ptnt(Q2)[quarter["no_commune"].id]
    assert (other["ocop_code"][:8], other["admin_unit_code"]) == ("OCOP-66-", "66")      # no commune: the province


def test_ptnt_ocop_other_periods_and_xlsx(quarter):
    q3 = ptnt(exports.Period.quarter(2026, 3))
    assert quarter["last_day"].id not in q3 and quarter["expired_in"].id not in q3
    assert q3[quarter["decided_after"].id]["status"] == "in_force"
    assert q3[quarter["revoked_after"].id]["status"] == "revoked"
    year = exports.Period.year(2026)
    assert ptnt(year)[quarter["expired_before"].id] == ptnt(year)[quarter["expired_before"].id] | {
        "period": "2026", "status": "expired"}
    header, rows = read_xlsx(export("xlsx", exports.PTNT_OCOP_COLUMNS, exports.ptnt_ocop_rows(Q2)))
    assert header == exports.PTNT_OCOP_COLUMNS
    assert {row[3]: as_text(row[8]) for row in rows} == {pid: row["status"] for pid, row in ptnt(Q2).items()}


def test_periods_are_named_and_checked():
    assert exports.Period(dt.date(2026, 1, 1), dt.date(2026, 6, 30)).label == "2026-01-01/2026-06-30"
    assert exports.Period.quarter(2026, 4) == exports.Period(dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert exports.Period.quarter_of(dt.date(2026, 5, 17)).label == "2026-Q2"
    assert exports.parse_period("2026-01-01", "2026-12-31").label == "2026"
    assert exports.ptnt_ocop_file_name(exports.parse_period("2026-01-01", "2026-02-15"), "xlsx") == \
        "ptnt-ocop-2026-01-01_2026-02-15.xlsx"
    for first, last, field in (("2026-13-01", "2026-12-31", "from"), ("2026-07-01", "2026-06-30", "to"),
                               ("1/7/2026", "2026-06-30", "from"), ("2026-01-01", None, "to")):
        with pytest.raises(InvalidInput) as refused:
            exports.parse_period(first, last)
        assert list(refused.value.errors) == [field]
    with pytest.raises(InvalidInput) as refused:
        exports.parse_format("pdf")
    assert refused.value.errors == {"format": ["must be csv or xlsx"]}


# -- CLI and admin ------------------------------------------------------------------------

def test_cli_writes_the_products_file(app, world, tmp_path):
    runner = app.test_cli_runner()
    products = tmp_path / "products.csv"
    result = runner.invoke(args=["export", "products", "-o", str(products), "--at", "2026-06-01"])
    assert result.exit_code == 0, result.output
    rows = read_csv(products.read_bytes())
    assert world["lapsing"].id not in {int(r["product_id"]) for r in rows}
    assert f"{products}: {len(rows)} rows (csv)" in result.output
    earlier = runner.invoke(args=["export", "products", "-o", str(tmp_path / "may.xlsx"), "--at", "2026-05-31"])
    assert earlier.exit_code == 0, earlier.output
    _header, may = read_xlsx((tmp_path / "may.xlsx").read_bytes())
    assert {world["lapsing"].id, world["revoked"].id} <= {row[0] for row in may}
    assert len(may) == len(rows) + 2
    assert not list(tmp_path.glob("*.part"))


def test_cli_writes_the_ptnt_ocop_file(app, quarter, tmp_path):
    runner = app.test_cli_runner()
    report = tmp_path / "q2.xlsx"
    result = runner.invoke(args=["export", "ptnt-ocop", "--from", "2026-04-01", "--to", "2026-06-30",
                                 "--format", "xlsx", "-o", str(report)])
    assert result.exit_code == 0, result.output
    header, rows = read_xlsx(report.read_bytes())
    assert header == exports.PTNT_OCOP_COLUMNS and {row[2] for row in rows} == {"2026-Q2"}
    assert {row[3]: row[8] for row in rows}[quarter["revoked_in"].id] == "revoked"
    assert not list(tmp_path.glob("*.part"))
    refused = runner.invoke(args=["export", "ptnt-ocop", "--from", "2026-07-01", "--to", "2026-06-30",
                                  "-o", str(tmp_path / "bad.csv")])
    assert refused.exit_code == 2 and "--to must not be before" in refused.output
    assert not (tmp_path / "bad.csv").exists()
    wrong_day = runner.invoke(args=["export", "products", "--at", "31/05/2026", "-o", str(tmp_path / "bad.csv")])
    assert wrong_day.exit_code == 2 and "--at is not a date such as 2026-06-30" in wrong_day.output


def test_admin_downloads_for_an_editor(client, world):
    factories.sign_in(client, "editor")
    page = client.get("/admin/exports?lang=en")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and 'href="/admin/exports"' in text                 # in the menu
    assert "2026-Q2" in text and 'value="2026-04-01"' in text and 'value="2026-06-30"' in text
    response = client.get("/admin/exports/products?format=csv")
    assert response.status_code == 200 and response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == "attachment; filename=ocop-products-20260601.csv"
    rows = read_csv(response.data)
    assert {int(r["product_id"]) for r in rows} == {p.id for k, p in world.items() if k not in ("lapsing", "revoked")}
    earlier = client.get("/admin/exports/products?format=xlsx&at=2026-05-31")
    assert earlier.status_code == 200 and earlier.headers["Content-Disposition"].endswith("20260531.xlsx")
    assert len(read_xlsx(earlier.data)[1]) == len(rows) + 2
    report = client.get("/admin/exports/ptnt-ocop?from=2026-04-01&to=2026-06-30&format=xlsx")
    assert report.status_code == 200
    assert report.headers["Content-Disposition"] == "attachment; filename=ptnt-ocop-2026-Q2.xlsx"
    header, report_rows = read_xlsx(report.data)
    statuses = {row[3]: row[8] for row in report_rows}
    assert statuses[world["lapsing"].id] == "expired" and statuses[world["revoked"].id] == "revoked"
    default = client.get("/admin/exports/ptnt-ocop")                                    # the current quarter
    assert default.status_code == 200 and default.headers["Content-Disposition"].endswith("ptnt-ocop-2026-Q2.csv")


def test_admin_refuses_bad_parameters_naming_the_field(client, session, frozen_clock):
    frozen_clock(AFTER)
    factories.sign_in(client, "officer")
    for url, field in (("/admin/exports/ptnt-ocop?from=2026-13-01&to=2026-06-30", "from"),
                       ("/admin/exports/ptnt-ocop?from=2026-04-01", "to"),
                       ("/admin/exports/ptnt-ocop?from=0001-01-01&to=9999-12-31", "from"),
                       ("/admin/exports/ptnt-ocop?from=2026-04-01&to=2026-06-30&format=pdf", "ptnt-format"),
                       ("/admin/exports/products?format=pdf", "format"),
                       ("/admin/exports/products?at=yesterday", "at")):
        response = client.get(url + ("&" if "?" in url else "?") + "lang=en")
        text = response.get_data(as_text=True)
        assert response.status_code == 422, url
        assert "No file was made" in text and f'id="{field}" ' in text
        assert re.search(rf'id="{field}"[^>]*aria-invalid="true"', text), url
