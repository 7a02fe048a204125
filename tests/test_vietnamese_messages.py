"""Every message a person reads is in their language: on Vietnamese pages no refusal, form or import problem,
or Digital Link error is left in English.

Each message is raised for real (through the core's services, the importer, the Digital Link parser), then
rendered in Vietnamese: its template and every template among its values must have a Vietnamese translation,
the Vietnamese must differ from the English, and the page must show the Vietnamese and not the English.
"""
from __future__ import annotations

import ast
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from flask_babel import force_locale
from markupsafe import escape
from sqlalchemy import select

from catalog.imports import operations as imports
from catalog.kernel import calendar, catalogue, errors, recognitions, workflow
from catalog.kernel.i18n import Message
from catalog.kernel.models.recognitions import STATUS_TERMS
from catalog.platform.i18n import _gettext, translate
from catalog.trace import digital_link
from catalog.trace.models.stamps import Stamp
from catalog.violations.reports import file_report
from tests import factories
from tests.factories import DECISION, REVOCATION

ROOT = Path(__file__).parent.parent
NOW = calendar.start_of_day(dt.date(2026, 6, 1)) + dt.timedelta(hours=9)
_PLACEHOLDER = re.compile(r"%\(\w+\)s")
_WORDS = re.compile(r"[A-Za-z]{2,}")


# -- rendering one message -----------------------------------------------------------------------

def templates(message: Message) -> Iterator[str]:
    """The templates with words in ``message`` and in the messages among its values (other values are names,
    numbers and dates, shown as they are)."""
    if _WORDS.search(_PLACEHOLDER.sub("", message.template)):
        yield message.template
    for value in message.params.values():
        if isinstance(value, Message):
            yield from templates(value)


def vietnamese(message: object) -> str:
    with force_locale("vi"):
        return translate(message)


def untranslated(message: Message) -> list[str]:
    with force_locale("vi"):
        return [template for template in templates(message) if _gettext(template) == template]


def assert_vietnamese(message: object) -> str:
    """``message`` in Vietnamese, checked: every template translated and the whole unlike the English."""
    assert isinstance(message, Message), f"not a Message: {message!r}"
    assert untranslated(message) == [], f"no Vietnamese for {untranslated(message)} in {message!r}"
    text = vietnamese(message)
    assert text != str(message), f"shown in English: {message!r}"
    return text


def assert_shown_in_vietnamese(page: str, messages: list[str]) -> None:
    """Each message is on the (Vietnamese) page in Vietnamese, and its English is not."""
    assert messages
    for message in messages:
        text = assert_vietnamese(message)
        assert str(escape(text)) in page, f"{text!r} not on the page"
        assert str(escape(str(message))) not in page, f"{str(message)!r} on the Vietnamese page"


def raised(action: Callable[[], object], error: type[Exception] = errors.DomainError) -> Exception:
    with pytest.raises(error) as caught:
        action()
    return caught.value


def all_messages(exc: errors.DomainError) -> list[str]:
    return [m for messages in exc.errors.values() for m in messages]


def marked(module: str) -> set[str]:
    """The strings a module marks with ``N_`` (what pybabel extracts from it)."""
    return {text for _, text, _, _ in extract_from_file("python", str(ROOT / module), keywords={"N_": None})}


@pytest.fixture()
def request_context(app, session, frozen_clock):
    frozen_clock(NOW)
    with app.test_request_context("/"):
        yield


# -- the lifecycle's refusals ----------------------------------------------------------------------

def at(day: dt.date) -> dict:
    return {**DECISION, "decision_number": f"{day:%j}/QĐ-UBND", "decision_date": day}


def lifecycle_refusals() -> list[errors.DomainError]:
    """Every refusal :mod:`catalog.kernel.lifecycle` makes, raised through the core's services (today 01/06/2026)."""
    in_force = factories.recognised_product()                         # 20/12/2024, 3 stars, valid until 20/12/2027
    lapsed = factories.recognised_product(dt.date(2022, 1, 10))       # valid until 10/01/2025
    future = factories.recognised_product(dt.date(2026, 7, 1))        # takes effect on 01/07/2026
    followed = factories.recognised_product(dt.date(2023, 1, 5))      # valid until 05/01/2026 ...
    recognitions.re_recognise(followed, actor="t", **at(dt.date(2025, 12, 1)))   # ... superseded on 01/12/2025
    revoked = factories.recognised_product()
    recognitions.revoke(revoked.recognitions[0], actor="t", **{**REVOCATION, "revoked_on": dt.date(2026, 3, 10)})
    never = factories.product()
    refusals = [
        raised(lambda: recognitions.recognise(never, actor="t", **{**DECISION, "score": "45"})),
        raised(lambda: recognitions.recognise(never, actor="t", **{**DECISION, "score": "92"})),
        raised(lambda: recognitions.recognise(never, actor="t", **{**DECISION, "score": "75", "level": "national"})),
        raised(lambda: recognitions.recognise(never, actor="t", **at(dt.date(2017, 12, 31)))),
        raised(lambda: recognitions.recognise(in_force, actor="t", **at(dt.date(2026, 5, 1)))),
        raised(lambda: recognitions.recognise(revoked, actor="t", **at(dt.date(2024, 12, 1)))),
        raised(lambda: recognitions.re_recognise(never, actor="t", **at(dt.date(2026, 5, 1)))),
        raised(lambda: recognitions.upgrade(never, actor="t", **at(dt.date(2026, 5, 1)))),
        raised(lambda: recognitions.re_recognise(revoked, actor="t", **at(dt.date(2026, 5, 1)))),
        raised(lambda: recognitions.re_recognise(in_force, actor="t", **at(dt.date(2024, 12, 1)))),
        raised(lambda: recognitions.re_recognise(in_force, actor="t", **at(dt.date(2026, 5, 1)))),
        raised(lambda: recognitions.upgrade(lapsed, actor="t", **{**at(dt.date(2026, 5, 1)), "score": "80"})),
        raised(lambda: recognitions.upgrade(in_force, actor="t", **{**at(dt.date(2026, 5, 1)), "score": "69"})),
    ]
    revoke = {**REVOCATION, "revoked_on": dt.date(2026, 5, 1)}
    refusals += [
        raised(lambda: recognitions.revoke(revoked.recognitions[0], actor="t", **revoke)),
        raised(lambda: recognitions.revoke(future.recognitions[0], actor="t", **revoke)),
        raised(lambda: recognitions.revoke(min(followed.recognitions, key=lambda r: r.decision_date), actor="t",
                                           **revoke)),
        raised(lambda: recognitions.revoke(lapsed.recognitions[0], actor="t", **revoke)),
        raised(lambda: recognitions.revoke(in_force.recognitions[0], actor="t",
                                           **{**revoke, "revoked_on": dt.date(2026, 6, 10)})),
    ]
    return refusals


def test_every_lifecycle_refusal_is_translated(request_context):
    refusals = lifecycle_refusals()
    shown = [m for exc in refusals for m in all_messages(exc)]
    for message in shown:
        assert_vietnamese(message)
    found = {t for m in shown for t in templates(m)}
    statuses = set(STATUS_TERMS.values())
    assert marked("catalog/kernel/lifecycle.py") - statuses <= found, "a lifecycle refusal was not raised here"
    for status in statuses:                                       # the statuses a refusal may name
        assert_vietnamese(Message(status))
    assert {type(exc) for exc in refusals} == {
        errors.ScoreTooLow, errors.LevelMismatch, errors.InvalidInput, errors.AlreadyRecognised,
        errors.DecisionOutOfOrder, errors.NothingToSupersede, errors.RevocationIsFinal,
        errors.OutsideReRecognitionWindow, errors.NotInForce, errors.NotAnUpgrade}
    assert {exc.code for exc in refusals} == {                       # each refusal named, some more finely
        "score_too_low", "level_mismatch", "invalid_input", "already_recognised", "decision_out_of_order",
        "nothing_to_supersede", "revocation_is_final", "already_revoked", "outside_re_recognition_window",
        "upgrade_needs_recognition_in_force", "not_an_upgrade", "not_yet_in_force", "superseded", "expired"}


def test_a_refusal_keeps_its_english_code_and_values(request_context):
    product = factories.product()
    exc = raised(lambda: recognitions.recognise(product, actor="t", **{**DECISION, "score": "45"}),
                 errors.ScoreTooLow)
    assert exc.code == "score_too_low" and exc.field == "score"
    assert str(exc) == ("a score of 45.00 gives 2 stars; 2 stars or fewer cannot be recognised "
                        "(at least 50 is needed)")
    assert {k: str(v) for k, v in exc.params.items()} == {"score": "45.00", "stars": "2", "most": "2",
                                                          "needed": "50"}
    assert vietnamese(exc.message) == ("điểm 45.00 tương ứng 2 sao; sản phẩm từ 2 sao trở xuống không được công "
                                       "nhận (cần đạt tối thiểu 50 điểm)")
    with force_locale("en"):
        assert translate(exc.message) == str(exc)


def test_dates_in_a_message_are_written_as_the_language_writes_them(request_context):
    product = factories.recognised_product()
    exc = raised(lambda: recognitions.recognise(product, actor="t", **at(dt.date(2026, 5, 1))),
                 errors.AlreadyRecognised)
    assert "valid until 20/12/2027" in str(exc)
    assert "hiệu lực đến 20/12/2027" in vietnamese(exc.message)
    with force_locale("en"):
        assert "valid until 20 Dec 2027" in translate(exc.message)


# -- form problems on the admin pages and the public report form -----------------------------------

@pytest.fixture()
def officer(client, session, frozen_clock):
    frozen_clock(NOW)
    factories.sign_in(client, "officer")
    client.get("/admin/?lang=vi")                                 # Vietnamese pages, as by default
    return client


def test_a_recognition_form_shows_its_problems_in_vietnamese(officer):
    product = factories.product()
    path = f"/admin/products/{product.id}/recognitions/new?kind=first"
    bad = {"score": "9O,5", "level": "regional", "authority": " ", "decision_number": "QĐ-UBND",
           "decision_date": "31/02/2026", "certificate_number": "X" * 61}
    expected = all_messages(raised(lambda: recognitions.recognise(product, actor="t", **bad)))
    page = factories.post_form(officer, path, bad)
    assert page.status_code == 422
    assert_shown_in_vietnamese(page.get_data(as_text=True), expected)
    low = {**{k: str(v) for k, v in DECISION.items()}, "score": "45"}
    expected = all_messages(raised(lambda: recognitions.recognise(product, actor="t", **low)))
    page = factories.post_form(officer, path, low)
    assert page.status_code == 422
    assert_shown_in_vietnamese(page.get_data(as_text=True), expected)


def test_the_offer_says_in_vietnamese_why_an_action_is_not_available(officer):
    never = factories.product()
    held = factories.recognised_product()
    for product in (never, held):
        refused = list(workflow.offer(product).refused.values())
        page = officer.get(f"/admin/products/{product.id}/recognitions").get_data(as_text=True)
        assert_shown_in_vietnamese(page, refused)


def test_a_producer_form_shows_its_problems_in_vietnamese(officer):
    bad = {"name": "HTX " + "A" * 200, "kind": "cooperative", "registration_number": "số 1", "province_code": "8",
           "commune_code": "123", "phone": "gọi tôi", "email": "không phải e-mail", "address": "", "representative": ""}
    expected = all_messages(raised(lambda: catalogue.create_producer(**bad)))
    page = factories.post_form(officer, "/admin/producers/new", bad)
    assert page.status_code == 422
    assert_shown_in_vietnamese(page.get_data(as_text=True), expected)
    unknown = {**bad, "name": "HTX Anh Tài", "registration_number": "", "province_code": "", "commune_code": "99999",
               "phone": "", "email": ""}
    expected = all_messages(raised(lambda: catalogue.create_producer(**unknown)))
    page = factories.post_form(officer, "/admin/producers/new", unknown)
    assert_shown_in_vietnamese(page.get_data(as_text=True), expected)


def test_the_public_report_form_shows_its_problems_in_vietnamese(client, session, frozen_clock):
    frozen_clock(NOW)
    _, _, batch = factories.stamped_product()
    code = session.scalars(select(Stamp.code).where(Stamp.batch_id == batch.id)).first()
    expected = all_messages(raised(lambda: file_report(code, None, name="Lan", message=" ", photo=None,
                                                       network=None, uploads=Path("/nonexistent"))))
    page = factories.post_form(client, f"/s/{code}/report", {"name": "Lan", "message": " "})
    assert page.status_code == 422
    text = page.get_data(as_text=True)
    assert_shown_in_vietnamese(text, expected)
    assert "Nội dung: bắt buộc phải nhập" in text


# -- import problems ------------------------------------------------------------------------------

HEADER = list(imports.DECISION_COLUMNS)
GOOD = ["Cam sành Hà Giang (hộp 5kg)", "1", "HTX Anh Tài", "HTX", "Tuyên Quang", "", "64.5", "province",
        "UBND tỉnh Hà Giang", "2751/QĐ-UBND", "20/12/2024", "hộp 5kg", "", ""]


def csv_bytes(rows: list[list[str]], header: list[str] = HEADER) -> bytes:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def row(**cells: str) -> list[str]:
    return [cells.get(name, value) for name, value in zip(HEADER, GOOD, strict=True)]


def preview(client, kind: str, data: bytes, filename: str = "qd.csv"):
    token = factories.csrf_token(client, "/admin/imports")
    return client.post("/admin/imports/preview", data={"csrf_token": token, "kind": kind,
                                                       "file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


def test_import_problems_are_listed_in_vietnamese(officer):
    factories.producer(name="HTX Trùng Tên")
    factories.producer(name="HTX Trùng Tên")
    files = {
        "decisions": csv_bytes([
            GOOD,
            row(province="Tỉnh Hà Tây"),                               # not a province
            row(province="Hà Giang"),                                  # merged into Tuyên Quang
            row(score="9O,5"), row(score="101"), row(score="64.555"),  # not a number, outside 0-100, decimals
            row(decision_date="31/02/2025"),                           # not a date
            row(product_set="27"), row(product_set=""),                # unknown product sets
            row(producer_kind="Công ty"),                              # unknown kind
            row(level="regional"),                                     # not a level
            row(decision_number="QĐ-UBND"),                            # no number
            row(gtin="8934563138164"), row(gtin="12345"),              # check digit, length
            GOOD[:8],                                                  # values missing
            [*GOOD, "thừa"],                                           # one value too many
            row(score="40", product_name="Mật ong"),                   # 2 stars: not recognisable
            row(score="92", product_name="Nước mắm"),                  # 5 stars are national
            row(decision_date="01/01/2017", product_name="Gạo"),       # before the programme
            row(producer_name="HTX Trùng Tên", product_name="Chè"),    # two producers of that name
        ]),
        "revocations": csv_bytes([
            ["Cam sành", "HTX Không Có", "118/QĐ-UBND", "10/03/2026", "Chủ tịch UBND tỉnh", "mark_misuse", ""],
            ["Không có", "HTX Trùng Tên", "118/QĐ-UBND", "10/03/2026", "Chủ tịch UBND tỉnh", "mark_misuse", ""],
            ["Cam sành", "HTX Trùng Tên", "118/QĐ-UBND", "10/03/2026", "Chủ tịch UBND tỉnh", "bad_taste", ""],
            ["Cam sành", "HTX Trùng Tên", "118/QĐ-UBND", "10/03/2026", "Chủ tịch UBND tỉnh", "mark_misuse", ""],
            ["Chè xanh", "HTX Trùng Tên", "118/QĐ-UBND", "10/03/2026", "Chủ tịch UBND tỉnh", "mark_misuse", ""],
        ], header=list(imports.REVOCATION_COLUMNS)),
    }
    twin = factories.producer(name="HTX Trùng Tên")
    factories.product(name="Cam sành", producer_id=twin.id)                  # never recognised
    factories.product(name="Chè xanh", producer_id=twin.id)
    factories.product(name="Chè xanh", producer_id=factories.producer(name="HTX Trùng Tên").id)
    for kind, data in files.items():
        read = imports.read_decisions if kind == "decisions" else imports.read_revocations
        apply = imports.import_decisions if kind == "decisions" else imports.import_revocations
        report = apply(read(data, "qd.csv"), actor="t", dry_run=True)
        assert len({p.message.template for p in report.problems}) >= (17 if kind == "decisions" else 5)
        page = preview(officer, kind, data)
        assert page.status_code == 422
        assert_shown_in_vietnamese(page.get_data(as_text=True), [p.message for p in report.problems])


@pytest.mark.parametrize(("data", "filename"), [
    (csv_bytes([GOOD], header=[*(c for c in HEADER if c != "authority"), "ghi_chu", "score"]), "qd.csv"),
    (b"\n", "qd.csv"),                                                            # no header
    (csv_bytes([]), "qd.csv"),                                                    # no rows
    (b"PK\x03\x04 not a workbook", "qd.xlsx"),                                    # unreadable workbook
])
def test_file_problems_are_listed_in_vietnamese(officer, data, filename):
    report = imports.import_decisions(imports.read_decisions(data, filename), actor="t", dry_run=True)
    page = preview(officer, "decisions", data, filename)
    assert page.status_code == 422
    assert_shown_in_vietnamese(page.get_data(as_text=True), [p.message for p in report.problems])


# -- Digital Link 400s ----------------------------------------------------------------------------

GTIN = "08934563138165"
MALFORMED = [                                   # each answered 400 with its reason
    "/01/08934563138164/10/CS-2026.05", "/01/8934563138165", "/01/123456789", "/01/0893456313816A",
    "/01/0893456313816%35", f"/01/{GTIN}/21/X/10/Y", f"/01/{GTIN}/10/LOT1/22/V1", f"/01/{GTIN}/10/A/10/B",
    f"/01/{GTIN}/17/260101", f"/01/{GTIN}/10", f"/01/{GTIN}/10/{'L' * 21}", f"/01/{GTIN}/10/LOT1/21/A+B",
    f"/01/{GTIN}/10/A%2FB", f"/01/{GTIN}/%31%30/LOT1", f"/01/{GTIN}/22/V%31",
]
PARSED_ONLY = ["01/x", "/", "/01", f"/01/{GTIN}//10/LOT1", "/21/X"]  # refused by the parser; never routed to it


def malformed(path: str) -> digital_link.DigitalLinkError:
    with pytest.raises(digital_link.DigitalLinkError) as caught:
        digital_link.parse_path(path)
    return caught.value


def test_digital_link_errors_are_shown_in_vietnamese(client, session):
    found = set()
    for path in MALFORMED:
        exc = malformed(path)
        found.update(templates(exc.message))
        page = client.get(path)
        assert page.status_code == 400
        assert_shown_in_vietnamese(page.get_data(as_text=True), [exc.message])
        answer = client.get(path, headers={"Accept": "application/json"})      # the API reads English
        assert answer.status_code == 400 and answer.get_json()["detail"] == str(exc)
    with client.application.test_request_context("/"):
        for path in PARSED_ONLY:
            exc = malformed(path)
            found.update(templates(exc.message))
            assert_vietnamese(exc.message)
        exc = raised(lambda: digital_link.format_uri("ocop.example.vn", GTIN), digital_link.DigitalLinkError)
        found.update(templates(exc.message))
        assert_vietnamese(exc.message)
    assert marked("catalog/trace/digital_link.py") <= found, "a Digital Link error was not raised here"


# -- no message escapes extraction ----------------------------------------------------------------

def test_every_message_template_is_marked_for_translation():
    """``Message(template, ...)``: the template is ``N_("...")`` (or a choice of them), a name holding one, or
    punctuation around values; so pybabel extracts every template with words, and the catalog test checks it
    has its Vietnamese."""
    def acceptable(node: ast.expr) -> bool:
        if isinstance(node, ast.Call):
            return isinstance(node.func, ast.Name) and node.func.id == "N_"
        if isinstance(node, ast.IfExp):
            return acceptable(node.body) and acceptable(node.orelse)
        if isinstance(node, ast.Constant):
            return isinstance(node.value, str) and not _WORDS.search(_PLACEHOLDER.sub("", node.value))
        return isinstance(node, (ast.Name, ast.Subscript, ast.Attribute))
    wrong = []
    for source in (ROOT / "catalog").rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Message"
                    and node.args and not acceptable(node.args[0])):
                wrong.append(f"{source.relative_to(ROOT)}:{node.lineno}")
    assert wrong == []


def test_search_problems_are_vietnamese_with_the_fields_named(client):
    """A refused search parameter is named as the form names it and explained in Vietnamese."""
    html = client.get("/search?stars=9&sort=gia&sector=xyz&q=" + "a" * 201).get_data(as_text=True)
    assert "Hạng sao: phải là số nguyên từ 3 đến 5" in html
    assert "Sắp xếp: phải là một trong" in html or "Sắp xếp:" in html
    assert "Ngành: &#39;xyz&#39; không có trong danh sách" in html
    for english in ("must be", "is longer than", "unknown sector"):
        assert english not in html
    english_page = client.get("/search?stars=9&lang=en").get_data(as_text=True)
    assert "Stars: must be a whole number from 3 to 5" in english_page
