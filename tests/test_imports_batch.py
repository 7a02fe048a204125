"""The decision import as one batch: what its speed must not change, its progress, and its report as JSON."""
from __future__ import annotations

import datetime as dt
import json
import re
import sys
import unicodedata
from decimal import Decimal

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from catalog.audit.models import AuditEntry
from catalog.imports import communes
from catalog.imports import operations as imports
from catalog.kernel import calendar, lifecycle, recognitions
from catalog.kernel.i18n import Message
from catalog.kernel.models.history import RecognitionEvent
from catalog.kernel.models.producers import Producer
from catalog.kernel.models.products import Product
from catalog.kernel.models.recognitions import Recognition
from catalog.kernel.text import _without_controls
from catalog.platform import actor
from catalog.platform.i18n import translate
from catalog.search.models import SearchOutboxEntry
from tests import factories, test_imports
from tests.test_imports import HEADER, ROWS, counts, csv_bytes, xlsx_bytes

now = test_imports.now                  # the fixture: the same day and communes as the importer's tests


def row(base: int = 0, **values: str) -> list[str]:
    """ROWS[base] with some columns changed."""
    fields = dict(zip(HEADER, ROWS[base], strict=True)) | values
    return [fields[name] for name in HEADER]


def run(rows, dry_run: bool = False, **progress) -> imports.ImportReport:
    return imports.import_decisions(imports.read_decisions(csv_bytes(rows), "qd.csv"), actor="test",
                                    dry_run=dry_run, **progress)


# --- what the batch must decide as the row-by-row import did ------------------------------------

def test_a_product_twice_in_one_file_is_recognised_then_upgraded_then_already_recorded(session, now):
    rows = [row(score="60", decision_number="100/QĐ-UBND", gtin=""),
            row(score="75", decision_number="101/QĐ-UBND", gtin=""),
            row(score="75", decision_number="101/QĐ-UBND", gtin="")]
    report = run(rows)
    assert report.ok, report.problems
    assert [(r.action, r.product, r.stars) for r in report.rows] == [
        ("first", "created", 3), ("upgrade", "matched", 4), ("already_recorded", "matched", 4)]
    assert report.counts["products_created"] == 1 and report.counts["products_matched"] == 0
    product = session.scalar(select(Product).where(Product.name == ROWS[0][0]))
    first, upgrade = sorted(product.recognitions, key=lambda r: r.decision_number)
    assert upgrade.supersedes_id == first.id and first.superseded_at == upgrade.starts_at
    events = recognitions.history(product)
    assert sorted((e.kind, e.recognition_id) for e in events) == sorted(
        [("recognised", first.id), ("upgraded", upgrade.id), ("superseded", first.id)])
    assert {e.product_id for e in events} == {product.id}


def test_a_gtin_given_twice_in_one_file_or_held_already_is_refused_with_the_holders_id(session, now):
    held = factories.product(name="Mật ong bạc hà", gtin="8934563138165")
    before = counts(session)
    report = run([row(gtin="8934563138202"),
                  row(2, gtin="8934563138202"),                        # line 3: the same GTIN as line 2
                  row(4, gtin="8934563138165")])                       # line 4: the GTIN of a product held
    assert [(p.line, p.column) for p in report.problems] == [(3, "gtin"), (4, "gtin")]
    assert re.fullmatch(r"GTIN 08934563138202 already belongs to product \d+", report.problems[0].message)
    assert report.problems[1].message == f"GTIN 08934563138165 already belongs to product {held.id}"
    assert counts(session) == before


def test_new_records_take_slugs_free_in_the_catalog_and_in_the_file(session, now):
    factories.producer(name="HTX Anh Tài")
    rows = [row(producer_name="HTX Anh Tài", province="An Giang", commune="Phú Quốc"),
            row(producer_name="HTX Anh Tài", province="Hà Nội", commune="", gtin="")]
    report = run(rows)
    assert report.ok, report.problems
    slugs = session.scalars(select(Producer.slug).where(Producer.name == "HTX Anh Tài")).all()
    assert sorted(slugs) == ["htx-anh-tai", "htx-anh-tai-2", "htx-anh-tai-3"]
    product_slugs = session.scalars(select(Product.slug).where(Product.name == ROWS[0][0])).all()
    assert sorted(product_slugs) == ["cam-sanh-ha-giang-hop-5kg", "cam-sanh-ha-giang-hop-5kg-2"]


def test_a_first_recognition_on_the_day_one_was_revoked_is_what_the_next_row_follows(session, now):
    held = factories.recognised_product()                   # 2751/QĐ-UBND of 20/12/2024, 3 stars
    recognition = held.recognitions[0]
    recognitions.revoke(recognition, actor="test", revoked_on=dt.date(2024, 12, 20), **factories.REVOCATION)
    rows = [[held.name, "1", held.producer.name, "HTX", "Tuyên Quang", "", score, "province",
             "UBND tỉnh Tuyên Quang", number, "20/12/2024", "", "", ""]
            for score, number in (("60", "300/QĐ-UBND"), ("75", "301/QĐ-UBND"))]
    report = run(rows)
    assert report.ok, report.problems
    assert [r.action for r in report.rows] == ["first", "upgrade"]


def test_head_puts_a_recognition_not_saved_yet_after_the_saved_ones_of_the_same_instant():
    start = calendar.start_of_day(dt.date(2024, 12, 20))
    saved, earlier = Recognition(id=7, starts_at=start), Recognition(id=3, starts_at=start)
    new = Recognition(starts_at=start)
    assert lifecycle.head([saved, new, earlier]) is new
    assert lifecycle.head([saved, earlier]) is saved
    assert lifecycle.head([saved, Recognition(starts_at=start - dt.timedelta(days=1))]) is saved


def test_the_batch_is_written_by_one_flush_and_a_dry_run_by_none(session, now):
    flushes: list[int] = []

    def count(session, flush_context):
        if session.new:                                 # not the change feed's own flush, at the savepoint's end
            flushes.append(len(session.new))

    event.listen(Session, "after_flush", count)
    try:
        dry = run(ROWS, dry_run=True)
        assert dry.ok and flushes == []
        real = run(ROWS)
    finally:
        event.remove(Session, "after_flush", count)
    assert real.ok and real.counts == dry.counts
    assert len(flushes) == 1 and flushes[0] >= 16      # 5 producers, 5 products, 5 recognitions, a commune


def test_the_audit_log_and_the_search_outbox_follow_every_record_of_the_batch(session, now):
    actor.set_actor("officer@example.org")
    try:
        report = run(ROWS)
    finally:
        actor.set_actor(None)
    assert report.ok
    logged = dict(session.execute(
        select(AuditEntry.object_type, func.count())
        .where(AuditEntry.actor == "officer@example.org", AuditEntry.action == "create")
        .group_by(AuditEntry.object_type)).all())
    assert logged == {"Commune": 1, "Producer": 5, "Product": 5, "Recognition": 5}
    made = set(session.scalars(select(Product.id).where(Product.name.in_([r[0] for r in ROWS]))))
    assert made <= set(session.scalars(select(SearchOutboxEntry.product_id)))
    assert session.scalar(select(func.count()).select_from(RecognitionEvent).where(
        RecognitionEvent.product_id.in_(made))) == 5


def test_added_communes_take_distinct_codes_before_they_are_written(session, now):
    taken = communes.provisional_codes()
    with session.no_autoflush:                          # as the import runs
        first = communes.add_commune("Xã Sủng Là", "08", taken=taken)
        second = communes.add_commune("Phường Mới", "08", taken=taken)
    assert first.code != second.code and {first.code, second.code} <= taken
    assert first in session.new and second in session.new and second.kind == "phuong"


# --- progress ---------------------------------------------------------------------------------

@pytest.mark.parametrize("make, name", [(csv_bytes, "qd.csv"), (xlsx_bytes, "qd.xlsx")])
def test_reading_checking_and_applying_each_report_every_row(session, now, make, name):
    seen: list[str] = []
    table = imports.read_decisions(make(ROWS), name, progress=lambda n: seen.extend(["read"] * n))
    report = imports.import_decisions(table, actor="test", progress=lambda n: seen.extend(["apply"] * n),
                                      check_progress=lambda n: seen.extend(["check"] * n))
    assert report.ok
    assert seen == ["read"] * 5 + ["check"] * 5 + ["apply"] * 5


def test_revocations_report_checking_and_applying_too(session, now):
    seen: list[str] = []
    data = csv_bytes([[ROWS[0][0], ROWS[0][2], "118/QĐ-UBND", "15/05/2026", "UBND", "mark_misuse", ""]],
                     header=list(imports.REVOCATION_COLUMNS))
    report = imports.import_revocations(imports.read_revocations(data, "r.csv"), actor="test",
                                        progress=lambda n: seen.append("apply"),
                                        check_progress=lambda n: seen.append("check"))
    assert not report.ok and seen == ["check", "apply"]


# --- the report as JSON -----------------------------------------------------------------------

def same_message(a: Message, b: Message) -> bool:
    """Equal text, template and values, values that are messages compared the same way."""
    if a != b or a.template != b.template or a.params.keys() != b.params.keys():
        return False
    return all(same_message(v, b.params[k]) if isinstance(v, Message) else
               (type(v) is type(b.params[k]) and v == b.params[k]) for k, v in a.params.items())


def round_trip(report: imports.ImportReport) -> imports.ImportReport:
    return imports.ImportReport.from_dict(json.loads(json.dumps(report.to_dict())))


def test_a_preview_goes_to_json_and_back_equal(session, now):
    report = run(ROWS, dry_run=True)
    assert report.ok and report.rows and report.warnings
    data = report.to_dict()
    assert data["rows"][0]["decision_date"] == "2024-12-20" and data["rows"][0]["valid_until"] == "2027-12-20"
    assert data["kind"] == "decisions" and data["dry_run"] is True
    again = round_trip(report)
    assert again == report
    assert again.counts == report.counts and list(again.counts) == list(report.counts)
    assert str(again.warnings[0]) == str(report.warnings[0])


def test_problems_go_to_json_and_back_translatable(app, session, now):
    bad = [row(province="Hà Giang"), row(score="40"), row(2, decision_date="01/01/2017"), row(3, score="9O,5"),
           row(4, level="province"), row(1, product_set="27", producer_kind="Công ty")]
    reports = [run(bad), imports.import_decisions(imports.read_decisions(csv_bytes([]), "qd.csv"), actor="test")]
    synthetic = imports.ImportReport("decisions", False, problems=[imports.Problem(2, "x", Message(
        "%(a)s %(b)s %(c)s %(d)s %(e)s %(f)s %(g)s", a=Message("expired"), b=dt.date(2025, 1, 2),
        c=dt.datetime(2025, 1, 2, 3, 4, tzinfo=dt.UTC), d=Decimal("64.50"), e=None, f=3, g=2.5))])
    for report in (*reports, synthetic):
        assert report.problems
        again = round_trip(report)
        assert again == report
        assert all(same_message(a.message, b.message) for a, b in zip(report.problems, again.problems, strict=True))
        for language in ("vi", "en"):
            with app.test_request_context(f"/?lang={language}"):
                assert [translate(p.message) for p in again.problems] == [translate(p.message) for p in report.problems]
    nested = reports[1].problems[0].message
    assert isinstance(nested.params["problem"], Message)
    with app.test_request_context("/?lang=vi"):
        assert translate(round_trip(reports[1]).problems[0].message) != str(nested)    # Vietnamese, not English


# --- the text every row goes through ----------------------------------------------------------

def test_control_characters_are_dropped_as_the_definition_says_for_every_code_point():
    from catalog.kernel.text import MAX_MARKS
    invisible = {0xAD, 0x61C, 0x180E, *range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2060, 0x2065),
                 *range(0x2066, 0x2070), 0xFEFF}
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    kept = [ch for ch in every if ch.isspace() or (unicodedata.category(ch) != "Cc" and ord(ch) not in invisible)]
    expected, run = [], 0
    for ch in kept:                                   # and no more than MAX_MARKS combining marks in a row
        run = run + 1 if unicodedata.category(ch) in ("Mn", "Me") else 0
        if run <= MAX_MARKS:
            expected.append(ch)
    assert _without_controls(every) == "".join(expected)
