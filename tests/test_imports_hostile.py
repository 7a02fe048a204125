"""Hostile import files: bounded reading, clear refusals naming the limit, never a 500, quickly and in bounded memory.

The workbooks are written by hand here (zipfile and XML) so that they can be what Excel never writes.
"""
from __future__ import annotations

import io
import re
import struct
import time
import tracemalloc
import zipfile
from collections.abc import Iterable

import openpyxl
import pytest

from catalog.imports import operations as imports
from catalog.imports.reading import Limits
from tests import factories
from tests.test_imports import HEADER, ROWS, csv_bytes, now, upload, xlsx_bytes  # noqa: F401  (the fixture)

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '</Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="xl/workbook.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
        '</Relationships>')
WORKBOOK = (f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = ('<?xml version="1.0" encoding="UTF-8"?>'
                 '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
                 'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
                 '<Relationship Id="rId2" Target="sharedStrings.xml" '
                 'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
                 '</Relationships>')
SHEET_START = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'
SHEET_END = "</sheetData></worksheet>"


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def header_row() -> str:
    letters = [chr(65 + i) for i in range(len(HEADER))]
    return '<row r="1">' + "".join(_cell(f"{c}1", name) for c, name in zip(letters, HEADER, strict=True)) + "</row>"


def workbook(sheet: str | Iterable[bytes] = "", *, prolog: str = "", shared: str = "",
             parts: dict[str, str] | None = None) -> bytes:
    """A workbook of one sheet: ``sheet`` is the XML inside ``<sheetData>`` (or chunks of it, streamed into
    the ZIP), ``prolog`` comes before ``<worksheet>`` (a DTD), ``shared`` is the shared strings part."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in (parts if parts is not None else {
                "[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": RELS, "xl/workbook.xml": WORKBOOK,
                "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
                "xl/sharedStrings.xml": shared or f'<?xml version="1.0"?><sst xmlns="{MAIN}" count="0"/>'}).items():
            archive.writestr(name, text)
        if parts is None:
            with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
                part.write(SHEET_START.replace("<worksheet", prolog + "<worksheet").encode())
                for chunk in [sheet.encode()] if isinstance(sheet, str) else sheet:
                    part.write(chunk)
                part.write(SHEET_END.encode())
    return buffer.getvalue()


def refused(data: bytes, filename: str = "hostile.xlsx", limits: Limits | None = None) -> str:
    """Read ``data`` as a decision list: it must be refused, fast and in bounded memory; the problems, in English."""
    tracemalloc.start()
    started = time.monotonic()
    try:
        table = imports.read_decisions(data, filename, limits=limits)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    elapsed = time.monotonic() - started
    assert table.problems and not table.rows, table.rows[:3]
    assert elapsed < 10, elapsed
    assert peak < 80 * 2**20, f"{peak / 2**20:.0f} MB"
    return " | ".join(str(p) for p in table.problems)


def test_a_hand_written_workbook_reads(session):
    """The helper's workbook is a real one: its rows are read (so the refusals below are of what they add)."""
    row = '<row r="2">' + "".join(_cell(f"{chr(65 + i)}2", value) for i, value in enumerate(ROWS[0])) + "</row>"
    table = imports.read_decisions(workbook(header_row() + row), "ok.xlsx")
    assert not table.problems and table.rows[0][1]["product_name"] == ROWS[0][0]
    assert openpyxl.DEFUSEDXML                                          # openpyxl parses with defusedxml


def test_a_huge_cell_is_refused_by_what_the_file_unpacks_to(session):
    """The issue's 307 KB workbook with one 300 MB cell (35 s, 3.5 GB): refused from the ZIP's directory."""
    def chunks():
        yield (b'<row r="2"><c r="A2" t="inlineStr"><is><t>')
        block = b"A" * 2**20
        for _ in range(300):
            yield block
        yield b"</t></is></c></row>"

    data = workbook(chunks())
    assert len(data) < 1_000_000
    problems = refused(data)
    assert "unpacks to more than 50 MB, the most an import reads" in problems


def test_a_long_cell_within_the_size_is_refused_naming_its_line_column_and_the_limit(session):
    row = '<row r="2">' + _cell("A2", "Mật ong") + _cell("B2", "x" * 20_001) + "</row>"
    problems = refused(workbook(header_row() + row))
    assert problems == "line 2, column product_set: holds 20001 characters, more than the 20000 a cell may hold"
    csv_problems = refused(csv_bytes([[ROWS[0][0], "x" * 20_001, *ROWS[0][2:]]]), "long.csv")
    assert "line 2, column product_set: holds 20001 characters, more than the 20000" in csv_problems
    csv_huge = refused(csv_bytes([[ROWS[0][0], "x" * 200_000, *ROWS[0][2:]]]), "huge.csv")
    assert "line 2: holds more than 20000 characters in one cell" in csv_huge


def test_millions_of_rows_are_refused(session):
    """The issue's 429 KB workbook of 3 million one-cell rows (2.6 GB in 4 minutes), here 1.5 million."""
    def chunks():
        yield header_row().encode()
        for start in range(2, 1_500_002, 100_000):
            yield "".join(f'<row r="{n}"><c r="A{n}"><v>1</v></c></row>' for n in range(start, start + 100_000)
                          ).encode()

    problems = refused(workbook(chunks()))
    assert "unpacks to more than 50 MB" in problems


def test_rows_past_the_limit_are_refused_naming_it(session):
    assert Limits().rows == 50_000
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>1</v></c></row>' for n in range(2, 2_003))
    assert "has more than 2000 rows, the most an import reads: split it" in refused(workbook(header_row() + rows),
                                                                                    limits=Limits(rows=2000))
    assert "has more than 10 rows" in refused(csv_bytes([ROWS[0]] * 11), "many.csv", Limits(rows=10))
    assert not imports.read_decisions(csv_bytes([ROWS[0]] * 10), "ten.csv", limits=Limits(rows=10)).problems


def test_a_row_a_million_lines_down_and_cells_far_right_are_refused_quickly(session):
    """Far-off cells make openpyxl fill the gap (a million empty rows, 16,384 columns): bounded. Only the first 51
    columns are read (a value in the 51st is refused; the file's 14 columns are all in the first 50)."""
    column_51 = '<row r="2"><c r="AY2"><v>1</v></c></row>'
    assert "line 2: has a value in column 51, past the 50 columns an import reads" in refused(
        workbook(header_row() + column_51))
    far_right = "".join(f'<row r="{n}"><c r="XFD{n}"><v>1</v></c></row>' for n in range(2, 5000))
    assert "has a header but no rows" in refused(workbook(header_row() + far_right))
    far_down = '<row r="1048576"><c r="A1048576"><v>1</v></c></row>'
    started = time.monotonic()
    table = imports.read_decisions(workbook(header_row() + far_down), "far.xlsx")
    assert time.monotonic() - started < 10
    assert [line for line, _ in table.rows] == [1_048_576]


XXE = '<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>'
LAUGHS = ('<!DOCTYPE sst [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n > 1 else "&lol;" * 10}">' for n in range(1, 10))
          + "]>")


def test_external_entities_and_entity_bombs_are_refused(session, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    xxe = XXE.replace("file:///etc/hostname", secret.as_uri())
    row = '<row r="2"><c r="A2" t="inlineStr"><is><t>&xxe;</t></is></c></row>'
    problems = refused(workbook(header_row() + row, prolog=xxe))
    assert "declares a DTD (entities) in xl/worksheets/sheet1.xml" in problems and "TOP-SECRET" not in problems
    bomb = (f'<?xml version="1.0"?>{LAUGHS}<sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>&lol9;</t></si>'
            '</sst>')
    problems = refused(workbook(header_row() + '<row r="2"><c r="A2" t="s"><v>0</v></c></row>', shared=bomb))
    assert "declares a DTD (entities) in xl/sharedStrings.xml" in problems


def test_the_parser_itself_refuses_entities(session, tmp_path):
    """Behind the DTD check, openpyxl parses with defusedxml: an entity in a part the check let through (here
    UTF-16 XML under a name that is not .xml) is still refused, never expanded."""
    from defusedxml import EntitiesForbidden
    from openpyxl.xml.functions import fromstring

    with pytest.raises(EntitiesForbidden):
        fromstring(f'<?xml version="1.0"?>{LAUGHS}<sst xmlns="{MAIN}"><si><t>&lol9;</t></si></sst>')


@pytest.mark.parametrize("data, expected", [
    (b"PK\x03\x04 this is not a zip at all", "is a damaged or truncated ZIP archive"),
    (xlsx_bytes(ROWS)[:3000], "is a damaged or truncated ZIP archive"),
    (workbook(parts={"[Content_Types].xml": CONTENT_TYPES}), "is not an XLSX workbook that can be read"),
    (workbook(parts={"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": RELS, "xl/workbook.xml": "<workbook"}),
     "is not an XLSX workbook that can be read"),
    (workbook(parts={"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": RELS, "xl/workbook.xml": WORKBOOK,
                     "xl/_rels/workbook.xml.rels": WORKBOOK_RELS}), "is not an XLSX workbook that can be read"),
    (workbook("<row r='2'><c r='A2'><v>1</v></c>"), "is not an XLSX workbook that can be read"),
], ids=["not-a-zip", "truncated", "no-workbook", "broken-workbook-xml", "no-sheet", "broken-sheet-xml"])
def test_a_damaged_file_is_an_import_problem(session, data, expected):
    assert expected in refused(data)


def lying(data: bytes, name: str, size: int) -> bytes:
    """``data`` with the sizes of the part ``name`` rewritten to ``size`` in its local header and the directory."""
    out = bytearray(data)
    encoded = name.encode()
    local = out.index(b"PK\x03\x04" + b"", 0)
    while True:
        local = out.index(b"PK\x03\x04", local)
        length = struct.unpack_from("<H", out, local + 26)[0]
        if bytes(out[local + 30:local + 30 + length]) == encoded:
            struct.pack_into("<I", out, local + 22, size)
            break
        local += 4
    central = out.index(b"PK\x01\x02")
    while True:
        central = out.index(b"PK\x01\x02", central)
        length = struct.unpack_from("<H", out, central + 28)[0]
        if bytes(out[central + 46:central + 46 + length]) == encoded:
            struct.pack_into("<I", out, central + 24, size)
            break
        central += 4
    return bytes(out)


def test_a_zip_that_lies_about_its_sizes_is_refused(session):
    def chunks():
        yield header_row().encode()
        for start in range(2, 300_002, 100_000):
            yield "".join(f'<row r="{n}"><c r="A{n}"><v>1</v></c></row>' for n in range(start, start + 100_000)
                          ).encode()

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in {"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": RELS, "xl/workbook.xml": WORKBOOK,
                           "xl/_rels/workbook.xml.rels": WORKBOOK_RELS}.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w") as part:
            part.write(SHEET_START.encode())
            for chunk in chunks():
                part.write(chunk)
            part.write(SHEET_END.encode())
    data = lying(buffer.getvalue(), "xl/worksheets/sheet1.xml", 4000)
    assert "is a damaged or truncated ZIP archive" in refused(data)


def test_the_time_limit_is_named(session):
    assert "took more than 0 seconds to read, the most an import may take" in refused(
        xlsx_bytes(ROWS), limits=Limits(seconds=0))


def test_the_limits_come_from_the_configuration(app, session, monkeypatch):
    monkeypatch.setitem(app.config, "CATALOG_IMPORT_MAX_ROWS", 3)
    assert "has more than 3 rows" in refused(csv_bytes(ROWS), "five.csv")
    assert Limits.configured().rows == 3 and Limits.configured().unpacked_bytes == 50 * 2**20


# --- the page and the command -------------------------------------------------------------------

HOSTILE = {
    "bomb.xlsx": workbook(header_row() + '<row r="2"><c r="A2" t="s"><v>0</v></c></row>', shared=(
        f'<?xml version="1.0"?>{LAUGHS}<sst xmlns="{MAIN}" count="1"><si><t>&lol9;</t></si></sst>')),
    "truncated.xlsx": xlsx_bytes(ROWS)[:3000],
    "nosheet.xlsx": workbook(parts={"[Content_Types].xml": CONTENT_TYPES}),
    "far.xlsx": workbook(header_row() + "".join(f'<row r="{n}"><c r="AY{n}"><v>1</v></c></row>'
                                                for n in range(2, 400))),
}


@pytest.mark.parametrize("filename", sorted(HOSTILE))
def test_the_page_answers_a_hostile_file_with_the_problem(client, session, filename):
    factories.sign_in(client, "officer")
    answer = upload(client, "/admin/imports/preview?lang=en", "decisions", HOSTILE[filename], filename)
    if answer.status_code == 303:                                     # a larger file: checked by a job
        answer = client.get(answer.headers["Location"] + "?lang=en")
    html = answer.get_data(as_text=True)
    assert answer.status_code in (400, 422), html[:1000]
    assert "Nothing was imported" in html or "not an XLSX workbook" in html
    assert "Confirm import" not in html


@pytest.mark.parametrize("filename", sorted(HOSTILE))
def test_the_command_answers_a_hostile_file_with_the_problem(app, session, tmp_path, filename):
    path = tmp_path / filename
    path.write_bytes(HOSTILE[filename])
    result = app.test_cli_runner().invoke(args=["import", "decisions", str(path), "--dry-run"])
    assert result.exit_code == 1, result.output
    assert "nothing was imported" in result.output and "Traceback" not in result.output


# --- many problems --------------------------------------------------------------------------------

@pytest.mark.usefixtures("now")
def test_many_bad_rows_list_the_first_few_hundred_and_every_one_as_csv(client, session):
    """The issue's preview of 60,000 bad rows was a 45 MB page: the page lists 300, the CSV all of them."""
    factories.sign_in(client, "officer")
    bad = [[*ROWS[0][:6], "x", *ROWS[0][7:]] for _ in range(2000)]
    answer = upload(client, "/admin/imports/preview?lang=en", "decisions", csv_bytes(bad), "qd-sai.csv")
    if answer.status_code == 303:
        answer = client.get(answer.headers["Location"] + "?lang=en")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422 and "qd-sai.csv has 2000 problems" in html
    assert "The first 300 of 2000 problems are listed below." in html
    assert html.count("<tr><td>") == 300 and len(html) < 200_000
    link = re.search(r'href="(/admin/imports/runs/[0-9a-f]{32}/problems\.csv)"', html).group(1)
    download = client.get(link + "?lang=en")
    assert download.status_code == 200 and download.mimetype == "text/csv"
    assert 'filename="qd-sai-problems.csv"' in download.headers["Content-Disposition"]
    lines = download.get_data().decode("utf-8-sig").splitlines()
    assert lines[0] == "Line,Column,Problem" and len(lines) == 2001
    assert lines[1].startswith("2,score,") and lines[-1].startswith("2001,score,")
    vietnamese = client.get(link + "?lang=vi").get_data().decode("utf-8-sig").splitlines()
    assert vietnamese[0] != lines[0] and len(vietnamese) == 2001
    assert client.get(link.replace(link.split("/")[-2], "0" * 32)).status_code == 404


def test_a_problem_that_looks_like_a_formula_is_written_as_text():
    from catalog.imports.reading import Problem
    from catalog.imports.report import problems_csv

    data = problems_csv([Problem(3, "=cmd", "=HYPERLINK(\"http://x\")")], str, ("line", "column", "problem"))
    assert data.decode("utf-8-sig").splitlines()[1] == "3,'=cmd,\"'=HYPERLINK(\"\"http://x\"\")\""
