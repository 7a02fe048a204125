"""Importing a provincial decision's list (recognitions) and a revocation decision: CLI, admin, all or nothing."""
from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

import catalog_demo
from catalog.imports import operations as imports
from catalog.imports import runs
from catalog.imports.models import ImportRun
from catalog.imports.report import ImportReport
from catalog.kernel import calendar
from catalog.kernel.models.history import RecognitionEvent
from catalog.kernel.models.producers import Producer
from catalog.kernel.models.products import Product
from catalog.kernel.models.recognitions import Recognition
from catalog.kernel.models.units import Commune
from tests import factories

NOW = calendar.start_of_day(dt.date(2026, 6, 1)) + dt.timedelta(hours=9)
HEADER = list(imports.DECISION_COLUMNS)
#: product_name, product_set, producer_name, producer_kind, province, commune, score, level, authority,
#: decision_number, decision_date, packaging, gtin, description
ROWS = [
    ["Cam sành Hà Giang (hộp 5kg)", "1", "HTX Anh Tài", "HTX", "Tuyên Quang", "Vĩnh Tuy", "64.5", "province",
     "UBND tỉnh Hà Giang", "2751/QĐ-UBND", "20/12/2024", "hộp 5kg", "8934563138202", "Cam sành thôn Vĩnh Chính"],
    ["Trà shan tuyết Hợp tâm Tương Mai (gói 200 gram)", "Chè tươi, chế biến", "Hộ kinh doanh Phạm Đức Tương",
     "Hộ kinh doanh", "tuyen quang", "xã vinh tuy", "61", "province", "UBND tỉnh Hà Giang", "2751/QĐ-UBND",
     "2024-12-20", "gói 200 gram", "", ""],
    ["Mật ong bạc hà Sủng Là (chai 500 ml)", "Mật ong, mật khác và nông sản thực phẩm khác",
     "HTX Mật ong bạc hà Sủng Là", "Hợp tác xã", "Tuyên Quang", "Xã Sủng Là", "72", "province",
     "UBND tỉnh Tuyên Quang", "1654/QĐ-UBND", "20/11/2025", "chai 500 ml", "", "Mật ong hoa bạc hà"],
    ["Thịt bò khô Quản Bạ (gói 250 gram)", "8", "Hộ kinh doanh Vàng Thị Mai", "household", "Tuyên Quang", "",
     "58", "province", "UBND tỉnh Hà Giang", "1520/QĐ-UBND", "15/10/2021", "", "", ""],
    ["Nước mắm Phú Quốc Thành Đạt", "9", "Công ty TNHH Thành Đạt", "Doanh nghiệp", "An Giang", "Phú Quốc",
     "92", "national", "Bộ Nông nghiệp và Môi trường", "35/QĐ-BNNMT", "05/01/2026", "chai 500 ml", "", ""],
]


@pytest.fixture()
def now(session, frozen_clock):
    frozen_clock(NOW)
    factories.commune("99001", "Vĩnh Tuy", "08")
    factories.commune("99091", "Phú Quốc", "91")
    return NOW


def csv_bytes(rows, header=HEADER, delimiter=",", bom=False) -> bytes:
    import csv
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(rows, header=HEADER) -> bytes:
    """The same rows as Excel holds them: numbers as numbers, one date as a date cell."""
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        cells: list = []
        for name, value in zip(header, row, strict=True):
            if value == "":
                cells.append(None)
            elif name in ("score", "gtin") or (name == "product_set" and value.isdigit()):
                cells.append(float(value) if "." in value else int(value))
            elif name == "decision_date" and "-" in value:
                cells.append(dt.datetime.fromisoformat(value))
            else:
                cells.append(value)
        sheet.append(cells)
    book.create_sheet("Ghi chú").append(["not read"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run(kind: str, data: bytes, filename: str = "file.csv", dry_run: bool = False) -> imports.ImportReport:
    read = imports.read_decisions if kind == "decisions" else imports.read_revocations
    apply = imports.import_decisions if kind == "decisions" else imports.import_revocations
    return apply(read(data, filename), actor="test", dry_run=dry_run)


def snapshot(session) -> list[tuple]:
    rows = session.execute(
        select(Producer.name, Producer.kind, Producer.province_code, Commune.name, Product.name, Product.product_set,
               Product.packaging, Product.gtin, Product.description, Recognition.kind, Recognition.stars,
               Recognition.level, Recognition.decision_number, Recognition.decision_date, Recognition.valid_until)
        .join(Product, Product.producer_id == Producer.id).join(Recognition, Recognition.product_id == Product.id)
        .outerjoin(Commune, Commune.code == Producer.commune_code)).all()
    return sorted(tuple(r) for r in rows)


def counts(session) -> dict[str, int]:
    return {model.__name__: session.scalar(select(func.count()).select_from(model))
            for model in (Producer, Product, Recognition, RecognitionEvent, Commune)}


# --- the core ---------------------------------------------------------------------------------

def test_csv_semicolon_csv_and_xlsx_import_the_same(session, now):
    results = []
    for data, name in ((csv_bytes(ROWS), "qd-2751.csv"), (csv_bytes(ROWS, delimiter=";", bom=True), "qd.csv"),
                       (xlsx_bytes(ROWS), "qd-2751.xlsx")):
        savepoint = session.begin_nested()
        report = run("decisions", data, name)
        assert report.ok, report.problems
        results.append((snapshot(session), report.counts))
        savepoint.rollback()
    assert results[0] == results[1] == results[2]
    state, numbers = results[0]
    assert numbers["producers_created"] == 5 and numbers["products_created"] == 5 and numbers["first"] == 5
    assert ("HTX Anh Tài", "cooperative", "08", "Vĩnh Tuy", "Cam sành Hà Giang (hộp 5kg)", 1, "hộp 5kg",
            "08934563138202", "Cam sành thôn Vĩnh Chính", "first", 3, "province", "2751/QĐ-UBND",
            dt.date(2024, 12, 20), dt.date(2027, 12, 20)) in state
    by_product = {row[4]: row for row in state}
    assert by_product["Trà shan tuyết Hợp tâm Tương Mai (gói 200 gram)"][1:6] == (
        "household", "08", "Vĩnh Tuy", "Trà shan tuyết Hợp tâm Tương Mai (gói 200 gram)", 11)   # set by name
    assert by_product["Mật ong bạc hà Sủng Là (chai 500 ml)"][5] == 4                           # set by name
    assert by_product["Nước mắm Phú Quốc Thành Đạt"][1] == "enterprise"                          # "Doanh nghiệp"
    assert by_product["Nước mắm Phú Quốc Thành Đạt"][10:12] == (5, "national")


def test_existing_producer_and_product_are_matched_never_duplicated(session, frozen_clock):
    frozen_clock(calendar.start_of_day(dt.date(2027, 8, 1)))
    held = factories.recognised_product()                            # 2751/QĐ-UBND of 20/12/2024, until 20/12/2027
    other = factories.recognised_product()
    producer = held.producer
    rows = [
        [held.name.upper(), "1", "hop tac xa " + producer.name.split(" ", 3)[3].lower().replace("à", "a"), "HTX",
         "Tuyên Quang", "Vĩnh Tuy", "66", "province", "UBND tỉnh Tuyên Quang", "1201/QĐ-UBND", "15/07/2027", "",
         "", ""],                                                     # re-recognition, in the window
        [other.name, "1", other.producer.name, "HTX", "Tuyên Quang", "", "75", "province",
         "UBND tỉnh Tuyên Quang", "1202/QĐ-UBND", "16/07/2027", "", "", ""],      # 4 stars while 3 in force: upgrade
    ]
    before = counts(session)
    first = run("decisions", csv_bytes(rows))
    assert first.ok, first.problems
    assert [r.action for r in first.rows] == ["re_recognition", "upgrade"]
    assert first.counts["producers_matched"] == 2 and first.counts["products_matched"] == 2
    assert first.counts["producers_created"] == first.counts["products_created"] == 0
    after = counts(session)
    assert (after["Producer"], after["Product"], after["Commune"]) == (
        before["Producer"], before["Product"], before["Commune"])
    assert after["Recognition"] == before["Recognition"] + 2
    again = run("decisions", csv_bytes(rows))                         # the same file twice: nothing new
    assert again.ok and [r.action for r in again.rows] == ["already_recorded", "already_recorded"]
    assert counts(session) == after
    assert "2 already recorded" in again.summary()


def test_unknown_commune_is_added_to_its_province_with_a_warning(session, now):
    report = run("decisions", csv_bytes(ROWS[:3]))
    assert report.ok
    assert report.counts["communes_added"] == 1 and len(report.warnings) == 1
    warning = report.warnings[0]
    assert (warning.line, warning.name, warning.province) == (4, "Xã Sủng Là", "Tuyên Quang")
    added = session.scalar(select(Commune).where(Commune.name == "Sủng Là"))
    assert added.province_code == "08" and added.kind == "xa" and re.fullmatch(r"9[78]\d{3}", added.code)
    assert added.code == warning.code
    assert session.scalar(select(func.count()).select_from(Commune).where(Commune.name == "Vĩnh Tuy")) == 1
    assert {r.commune for r in report.rows} == {"Xã Vĩnh Tuy", "Xã Sủng Là"}


def test_a_past_decision_is_imported_as_expired_and_is_not_public(client, session, now):
    report = run("decisions", csv_bytes([ROWS[3], ROWS[0]]))
    assert report.ok and report.counts["expired_on_arrival"] == 1
    assert [(r.line, r.status) for r in report.rows] == [(2, "expired"), (3, "in_force")]
    factories.index_now()
    assert "Thịt bò khô" not in client.get("/search?q=thit+bo+kho").get_data(as_text=True)
    assert "Cam sành Hà Giang" in client.get("/search?q=cam+sanh").get_data(as_text=True)
    expired = session.scalar(select(Product).where(Product.name.startswith("Thịt bò khô")))
    assert client.get(f"/products/{expired.slug}").status_code == 410


def test_a_file_with_bad_rows_writes_nothing_and_reports_each_with_line_and_column(session, now):
    good = ROWS[0]
    rows = [
        good,
        [*good[:4], "Tỉnh Hà Tây", *good[5:]],                            # line 3: unknown province
        [*good[:6], "9O,5", *good[7:]],                                     # line 4: bad score
        [*good[:10], "31/02/2025", *good[11:]],                             # line 5: bad date
        good[:8],                                                          # line 6: short row, values missing
        [*good[:4], "Hà Giang", *good[5:]],                                 # line 7: a former province
        [*good[:1], "27", *good[2:3], "Công ty", *good[4:6], "40", *good[7:]],   # line 8: set, kind; score < 3 stars
    ]
    before = counts(session)
    report = run("decisions", csv_bytes(rows))
    assert not report.ok
    assert counts(session) == before
    found = {(p.line, p.column) for p in report.problems}
    assert {(3, "province"), (4, "score"), (5, "decision_date"), (6, "authority"), (6, "decision_number"),
            (6, "decision_date"), (7, "province"), (8, "product_set"), (8, "producer_kind")} <= found
    assert not any(p.line == 2 for p in report.problems)
    messages = {(p.line, p.column): p.message for p in report.problems}
    assert "merged into Tuyên Quang" in messages[(7, "province")]
    assert "not a date" in messages[(5, "decision_date")]


def test_core_refusals_are_bad_rows_too(session, now):
    rows = [[*ROWS[0][:6], "40", *ROWS[0][7:]],                            # 2 stars: not recognisable
            [*ROWS[4][:7], "province", *ROWS[4][8:]],                       # 5 stars are national
            [*ROWS[1][:10], "01/01/2017", *ROWS[1][11:]]]                   # before the programme
    before = counts(session)
    report = run("decisions", csv_bytes(rows))
    assert {(p.line, p.column) for p in report.problems} == {(2, "score"), (3, "level"), (4, "decision_date")}
    assert counts(session) == before


def test_a_header_with_a_missing_or_unknown_column_is_refused(session, now):
    header = [c for c in HEADER if c != "score"] + ["ghi_chu"]
    rows = [[v for c, v in zip(HEADER, ROWS[0], strict=True) if c != "score"] + ["x"]]
    report = run("decisions", csv_bytes(rows, header=header))
    assert {(p.line, p.column) for p in report.problems} == {(1, "score"), (1, "ghi_chu")}
    assert "missing" in str(report.problems[0]) or "missing" in str(report.problems[1])
    not_utf8 = run("decisions", "product_name\nCà phê".encode("cp1258"), "x.csv")
    assert not not_utf8.ok and "UTF-8" in not_utf8.problems[0].message
    not_a_workbook = run("decisions", b"product_name,score\n", "x.xlsx")
    assert not not_a_workbook.ok and "XLSX" in not_a_workbook.problems[0].message


def test_dry_run_writes_nothing_and_reports_the_same(session, now):
    before = counts(session)
    dry = run("decisions", csv_bytes(ROWS), dry_run=True)
    assert dry.ok and dry.dry_run and counts(session) == before
    real = run("decisions", csv_bytes(ROWS))
    assert real.counts == dry.counts and real.warnings == dry.warnings
    assert counts(session)["Product"] == before["Product"] + 5


# --- revocations ------------------------------------------------------------------------------

def three_products():
    made = []
    for name in ("Cam sành Hà Giang (hộp 5kg)", "Trà shan tuyết đặc biệt Tương Mai", "Bưởi Xuân Vân"):
        item = factories.product(name=name)
        from catalog.kernel import recognitions
        recognitions.recognise(item, actor="test", **factories.DECISION)
        made.append(item)
    return made


def revocation_rows(products, unknown: bool = False) -> list[list[str]]:
    rows = [[p.name.lower(), p.producer.name, "118/QĐ-UBND", "15/05/2026", "Chủ tịch UBND tỉnh Tuyên Quang",
             "criteria_not_met", "Kiểm tra sau chứng nhận"] for p in products]
    if unknown:
        rows[1][0] = "Sản phẩm không có"
    return rows


def test_one_decision_revokes_three_products_and_their_pages_answer_410(client, session, now):
    products = three_products()
    report = run("revocations", csv_bytes(revocation_rows(products), header=list(imports.REVOCATION_COLUMNS)))
    assert report.ok, report.problems
    assert report.counts["revoked"] == 3 and [r.recognition for r in report.rows] == ["2751/QĐ-UBND"] * 3
    slugs = [p.slug for p in products]
    decisions = session.scalars(select(Recognition.revocation_decision)
                                .where(Recognition.product_id.in_([p.id for p in products]))).all()
    assert decisions == ["118/QĐ-UBND"] * 3
    factories.index_now()                       # commit as the CLI does: a 410 page rolls back what was not
    assert [client.get(f"/products/{slug}").status_code for slug in slugs] == [410, 410, 410]


def test_a_revocation_file_with_one_unknown_product_revokes_none(client, session, now):
    products = three_products()
    slugs = [p.slug for p in products]
    report = run("revocations", csv_bytes(revocation_rows(products, unknown=True),
                                          header=list(imports.REVOCATION_COLUMNS)))
    assert [(p.line, p.column) for p in report.problems] == [(3, "product_name")]
    assert session.scalar(select(func.count()).select_from(Recognition).where(Recognition.revoked_at.is_not(None))) == 0
    twice = revocation_rows(products[:1]) * 2                     # the same product twice: the second is refused
    report = run("revocations", csv_bytes(twice, header=list(imports.REVOCATION_COLUMNS)))
    assert [(p.line, p.column) for p in report.problems] == [(3, "product_name")]
    assert "already revoked" in report.problems[0].message
    assert [client.get(f"/products/{slug}").status_code for slug in slugs] == [200, 200, 200]


# --- the command line -------------------------------------------------------------------------

def test_cli_imports_dry_runs_and_refuses_with_exit_codes(app, session, now, tmp_path):
    runner = app.test_cli_runner()
    good = tmp_path / "qd-2751.xlsx"
    good.write_bytes(xlsx_bytes(ROWS))
    before = counts(session)
    dry = runner.invoke(args=["import", "decisions", str(good), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "dry run, nothing written" in dry.output and counts(session) == before
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([ROWS[0], [*ROWS[1][:6], "abc", *ROWS[1][7:]]]))
    refused = runner.invoke(args=["import", "decisions", str(bad)])
    assert refused.exit_code == 1 and "line 3, column score" in refused.output
    assert "nothing was imported" in refused.output and counts(session) == before
    done = runner.invoke(args=["import", "decisions", str(good)])
    assert done.exit_code == 0, done.output
    assert "5 first recognitions" in done.output and "Xã Sủng Là" in done.output
    assert counts(session)["Product"] == before["Product"] + 5
    revocations = tmp_path / "thu-hoi.csv"
    revocations.write_bytes(csv_bytes([[ROWS[0][0], ROWS[0][2], "118/QĐ-UBND", "2026-05-15", "Chủ tịch UBND tỉnh",
                                        "mark_misuse", ""]], header=list(imports.REVOCATION_COLUMNS)))
    revoked = runner.invoke(args=["import", "revocations", str(revocations)])
    assert revoked.exit_code == 0 and "1 recognitions revoked" in revoked.output, revoked.output
    assert runner.invoke(args=["import", "revocations", str(revocations)]).exit_code == 1


def test_the_sample_files_import(app, session, now):
    samples = Path(catalog_demo.__file__).parent / "samples"
    decisions = run("decisions", (samples / "decisions.csv").read_bytes())
    assert decisions.ok, decisions.problems
    assert decisions.counts["communes_added"] >= 1 and decisions.counts["expired_on_arrival"] == 1
    revocations = run("revocations", (samples / "revocations.csv").read_bytes())
    assert revocations.ok and revocations.counts["revoked"] == 2, revocations.problems


# --- the admin area ---------------------------------------------------------------------------

def many_rows(count: int) -> list[list[str]]:
    """``count`` rows of new products of one producer (a file too large to import inside the request)."""
    base = dict(zip(imports.DECISION_COLUMNS, ROWS[0], strict=False))
    return [[{**base, "product_name": f"{base['product_name']} {n}", "gtin": ""}.get(c, "")
             for c in imports.DECISION_COLUMNS] for n in range(count)]


def upload(client, path: str, kind: str, data: bytes, filename: str, **extra):
    token = factories.csrf_token(client, "/admin/imports")
    return client.post(path, data={"csrf_token": token, "kind": kind, "file": (io.BytesIO(data), filename), **extra},
                       content_type="multipart/form-data")


def test_admin_preview_then_confirm_for_an_officer(app, client, session, now):
    factories.sign_in(client, "officer")
    assert "Import" in client.get("/admin/?lang=en").get_data(as_text=True)
    before = counts(session)
    preview = upload(client, "/admin/imports/preview?lang=en", "decisions", xlsx_bytes(ROWS), "qd-2751.xlsx")
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200, html[:2000]
    assert counts(session) == before                                        # a preview writes nothing
    assert "Confirm import" in html and "Xã Sủng Là is not in the list of communes of Tuyên Quang" in html
    assert "Thịt bò khô Quản Bạ" in html and "expired" in html
    token = re.search(r'name="token" value="([0-9a-f]{32})"', html).group(1)
    run = session.scalar(select(ImportRun).where(ImportRun.token == token))
    assert run.status == "checked" and run.data[:2] == b"PK"                 # the workbook, kept with the run
    confirm_token = factories.csrf_token(client, "/admin/imports")
    done = client.post("/admin/imports/confirm?lang=en", data={"csrf_token": confirm_token, "kind": "decisions",
                                                               "token": token, "filename": "qd-2751.xlsx"})
    assert done.status_code == 303 and done.headers["Location"].endswith("/admin/imports")
    session.refresh(run)
    assert run.status == "done" and run.data is None                        # the file is not kept
    assert counts(session)["Product"] == before["Product"] + 5
    assert "5 products created" in client.get("/admin/imports?lang=en").get_data(as_text=True)
    again = client.post("/admin/imports/confirm", data={"csrf_token": confirm_token, "kind": "decisions",
                                                        "token": token})
    assert again.status_code == 303 and again.headers["Location"].endswith(f"/admin/imports/runs/{token}")
    assert "already confirmed" in client.get(again.headers["Location"] + "?lang=en").get_data(as_text=True)

    product = session.scalar(select(Product).where(Product.name == ROWS[0][0]))
    rows = [[product.name, product.producer.name, "118/QĐ-UBND", "15/05/2026", "Chủ tịch UBND tỉnh Tuyên Quang",
             "criteria_not_met", "Kiểm tra sau chứng nhận"]]
    preview = upload(client, "/admin/imports/preview?lang=en", "revocations",
                     csv_bytes(rows, header=list(imports.REVOCATION_COLUMNS)), "thu-hoi.csv")
    assert preview.status_code == 200 and "2751/QĐ-UBND" in preview.get_data(as_text=True)
    token = re.search(r'name="token" value="([0-9a-f]{32})"', preview.get_data(as_text=True)).group(1)
    done = client.post("/admin/imports/confirm", data={"csrf_token": confirm_token, "kind": "revocations",
                                                       "token": token})
    assert done.status_code == 303
    assert client.get(f"/products/{product.slug}").status_code == 410


def test_admin_bad_file_is_422_listing_every_bad_row_and_writes_nothing(client, session, now):
    factories.sign_in(client, "officer")
    before = counts(session)
    rows = [ROWS[0], [*ROWS[1][:4], "Atlantis", *ROWS[1][5:]], [*ROWS[2][:6], "x", *ROWS[2][7:]]]
    answer = upload(client, "/admin/imports/preview?lang=en", "decisions", csv_bytes(rows), "bad.csv")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422 and "Nothing was imported" in html
    cells = re.findall(r"<tr><td>(\d+)</td><td><code>(\w+)</code></td>", html)
    assert cells == [("3", "province"), ("4", "score")]
    assert counts(session) == before
    assert 'name="token"' not in html


def test_admin_upload_checks(client, session, now):
    factories.sign_in(client, "officer")
    assert upload(client, "/admin/imports/preview", "decisions", b"a,b\n", "list.txt").status_code == 400
    assert upload(client, "/admin/imports/preview", "decisions", b"not a zip", "list.xlsx").status_code == 400
    assert upload(client, "/admin/imports/preview", "decisions", "a\nCà".encode("cp1258"), "l.csv").status_code == 400
    big = b"product_name\n" + b"x" * imports.MAX_BYTES
    assert upload(client, "/admin/imports/preview", "decisions", big, "big.csv").status_code == 400
    assert upload(client, "/admin/imports/preview", "nonsense", b"a\n", "l.csv").status_code == 400
    token = factories.csrf_token(client, "/admin/imports")
    for bad in ("../../etc/passwd", "ABC", "0" * 31):
        answer = client.post("/admin/imports/confirm", data={"csrf_token": token, "kind": "decisions", "token": bad})
        assert answer.status_code == 400
    missing = client.post("/admin/imports/confirm", data={"csrf_token": token, "kind": "decisions", "token": "0" * 32})
    assert missing.status_code == 404


def test_a_large_file_is_checked_and_applied_by_jobs_with_a_page_that_follows_them(client, session, now):
    """Past a small size the upload answers at once with the run's page; jobs check and apply it (here at once,
    the suite's immediate mode; tests/test_jobs.py runs a real worker)."""
    factories.sign_in(client, "officer")
    before = counts(session)
    data = csv_bytes(many_rows(220))
    assert len(data) > runs.SMALL_BYTES
    answer = upload(client, "/admin/imports/preview?lang=en", "decisions", data, "qd-lon.csv")
    assert answer.status_code == 303 and "/admin/imports/runs/" in answer.headers["Location"]
    page = client.get(answer.headers["Location"] + "?lang=en").get_data(as_text=True)
    assert "Confirm import" in page and "220 rows" in page
    assert counts(session) == before
    token = re.search(r'name="token" value="([0-9a-f]{32})"', page).group(1)
    confirm_token = factories.csrf_token(client, "/admin/imports")
    done = client.post("/admin/imports/confirm", data={"csrf_token": confirm_token, "token": token})
    assert done.status_code == 303 and done.headers["Location"].endswith(f"/admin/imports/runs/{token}")
    result = client.get(done.headers["Location"] + "?lang=en").get_data(as_text=True)
    assert "Imported qd-lon.csv: 220 rows" in result
    assert counts(session)["Product"] == before["Product"] + 220


def test_a_running_import_shows_its_progress_and_refreshes_itself(client, session, now):
    factories.sign_in(client, "officer")
    run = runs.start("decisions", "qd.csv", csv_bytes(ROWS), "officer@test")
    run.rows_total = 5
    session.flush()
    page = client.get(f"/admin/imports/runs/{run.token}?lang=en").get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="2">' in page and "Checking every row" in page
    run.error = "OperationalError: database is locked"
    session.flush()
    page = client.get(f"/admin/imports/runs/{run.token}?lang=en").get_data(as_text=True)
    assert 'http-equiv="refresh"' not in page and "database is locked" in page
    assert client.get(f"/admin/imports/runs/{'0' * 32}").status_code == 404
    assert client.get("/admin/imports/runs/nonsense").status_code == 404


def test_the_report_of_a_run_survives_being_kept_as_json(session, now):
    report = imports.import_decisions(imports.read_decisions(csv_bytes(ROWS), "qd.csv"), actor="t", dry_run=True)
    bad = imports.import_decisions(imports.read_decisions(csv_bytes([[*ROWS[0][:6], "x", *ROWS[0][7:]]]), "b.csv"),
                                   actor="t", dry_run=True)
    for original in (report, bad):
        again = ImportReport.from_dict(json.loads(json.dumps(original.to_dict())))
        assert again == original
        assert [p.message.template for p in again.problems] == [p.message.template for p in original.problems]


def test_editors_may_not_import(client, session, now):
    factories.sign_in(client, "editor")
    assert client.get("/admin/imports").status_code == 403
    token = factories.csrf_token(client, "/admin/")
    answer = client.post("/admin/imports/preview", data={"csrf_token": token, "kind": "decisions",
                                                         "file": (io.BytesIO(csv_bytes(ROWS)), "qd.csv")},
                         content_type="multipart/form-data")
    assert answer.status_code == 403
    assert "/admin/imports" not in client.get("/admin/").get_data(as_text=True)
