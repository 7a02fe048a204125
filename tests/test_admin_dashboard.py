"""The admin dashboard: products in force (the core's visibility rule), recognitions to watch, queues, scans."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from catalog import trace
from catalog.admin import charts, figures
from catalog.kernel import calendar, programme, recognitions
from catalog.trace.models.scans import Scan
from catalog.violations import figures as violation_figures
from catalog.violations import operations as violations
from catalog.violations import reports
from tests import factories

TODAY = dt.date(2026, 6, 1)
NOW = calendar.start_of_day(TODAY) + dt.timedelta(hours=9)


def expiring_on(valid_until: dt.date, **decision):
    """A product recognised 36 months before ``valid_until`` (its last valid day)."""
    decided = calendar.add_months(valid_until, -programme.VALIDITY_MONTHS)
    product = factories.recognised_product(decision_date=decided, **decision)
    assert product.recognitions[0].valid_until == valid_until
    return product


def in_days(days: int) -> dt.date:
    return TODAY + dt.timedelta(days=days)


@pytest.fixture()
def now(session, frozen_clock):
    return frozen_clock(NOW)


def test_counts_follow_the_visibility_rule_to_the_second(client, now, frozen_clock):
    factories.catalog_products()
    lapsing = expiring_on(in_days(10), score="75", decision_number="9/QĐ-UBND")
    ends = lapsing.recognitions[0].ends_at
    before, after = ends - dt.timedelta(seconds=1), ends
    assert figures.in_force_total(before) == 9 and figures.in_force_total(after) == 8
    assert figures.in_force_by_stars(before) == [(3, 5), (4, 3), (5, 1)]
    assert figures.in_force_by_stars(after) == [(3, 5), (4, 2), (5, 1)]
    assert dict(figures.in_force_by_sector(before)) == {"food": 8, "beverages": 0, "herbal": 0, "handicrafts": 1,
                                                        "ornamentals": 0, "tourism": 0}
    assert dict(figures.in_force_by_sector(after))["food"] == 7
    provinces = {name: count for _code, name, count in figures.in_force_by_province(before)}
    assert provinces == {"Tuyên Quang": 6, "Đắk Lắk": 1, "An Giang": 1, "Hà Nội": 1}
    assert figures.in_force_by_province(after)[0][1:] == ("Tuyên Quang", 5)
    factories.sign_in(client, "editor")
    frozen_clock(before)
    page = client.get("/admin/?lang=en").get_data(as_text=True)
    assert "<b>9</b> products in force" in page and '<th scope="row">4 stars</th><td class="number">3</td>' in page
    frozen_clock(after)
    page = client.get("/admin/?lang=en").get_data(as_text=True)
    assert "<b>8</b> products in force" in page and '<th scope="row">4 stars</th><td class="number">2</td>' in page
    assert '<th scope="row">Tuyên Quang</th><td class="number">5</td>' in page


def test_watch_lists_re_recognition_window_expiring_and_lapsed(client, now):
    def named(due):
        return {item.product.id for item in due}

    at_150, at_100 = expiring_on(in_days(150)), expiring_on(in_days(100))
    at_180, at_181, at_120, at_119 = (expiring_on(in_days(n)) for n in (180, 181, 120, 119))
    soon = expiring_on(in_days(20))
    lapsed, long_gone = expiring_on(in_days(-10)), expiring_on(in_days(-100))
    renewed = expiring_on(in_days(-12))
    recognitions.re_recognise(renewed, actor="test", **{**factories.DECISION, "decision_date": in_days(-2),
                                                        "decision_number": "77/QĐ-UBND"})
    revoked = expiring_on(in_days(200))
    recognitions.revoke(revoked.recognitions[0], actor="test", revoked_on=in_days(-5), **factories.REVOCATION)
    window = figures.re_recognition_window(NOW)
    assert named(window) == {at_150.id, at_180.id, at_120.id}
    assert [item.days for item in window] == [120, 150, 180]
    assert at_100.id not in named(window) and {at_181.id, at_119.id}.isdisjoint(named(window))
    assert named(figures.expiring_soon(NOW)) == {soon.id}
    assert named(figures.lapsed_not_renewed(NOW)) == {lapsed.id}            # not long_gone, renewed, revoked
    assert named(figures.lapsed_not_renewed(NOW, days=120)) == {lapsed.id, long_gone.id}
    factories.sign_in(client, "officer")
    page = client.get("/admin/?lang=en").get_data(as_text=True)
    window_html = page.split('id="re-recognition"')[1].split("</section>")[0]
    assert "(3)" in window_html and f"{at_150.recognitions[0].valid_until.day} " in window_html
    assert '<td class="number">150</td>' in window_html and '<td class="number">100</td>' not in window_html
    lapsed_html = page.split('id="lapsed"')[1].split("</section>")[0]
    assert "(1)" in lapsed_html and '<td class="number">10</td>' in lapsed_html


def test_scans_per_day_in_the_local_time_zone(client, now, session):
    local = calendar.zone()

    def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=local).astimezone(dt.UTC)

    rows = [(at(in_days(-1), 23, 30), "genuine"), (at(TODAY, 0, 30), "genuine"), (at(TODAY, 8), "expired"),
            (at(in_days(-29), 1), "unknown"), (at(in_days(-30), 23), "genuine"), (at(TODAY, 10), "genuine")]
    for when, verdict in rows:
        session.add(Scan(code="X", verdict=verdict, scanned_at=when))
    session.flush()
    days = dict(trace.scans_per_day(NOW))
    assert len(days) == 30 and min(days) == in_days(-29) and max(days) == TODAY
    assert days[TODAY] == {"genuine": 1, "expired": 1}          # 10:00 is after NOW (09:00): not yet
    assert days[in_days(-1)] == {"genuine": 1} and days[in_days(-29)] == {"unknown": 1}
    assert sum(sum(v.values()) for v in days.values()) == 4
    factories.sign_in(client, "editor")
    page = client.get("/admin/?lang=en").get_data(as_text=True)
    assert "<b>4</b> scans in the last 30 days" in page
    assert '<th scope="row">01/06</th><td class="number">2</td><td class="number">1</td>' in page
    assert re.search(r'<svg [^>]*role="img" aria-labelledby="chart-scans-title"', page)
    assert '<title id="chart-scans-title">Scans per day, last 30 days</title>' in page


def test_open_violations_and_new_reports_are_counted(client, now, tmp_path):
    product = factories.recognised_product()
    violations.file_violation(product, actor="test", found_on="2026-05-01", category="labelling",
                              description="Nhãn thiếu hạn sử dụng", uploads=tmp_path)
    reports.file_report("ABC", None, name=None, message="Tem bị bóc", photo=None, network=None, uploads=None)
    assert violation_figures.open_violations(NOW) == 1 and violation_figures.new_reports(NOW) == 1
    factories.sign_in(client, "officer")
    page = client.get("/admin/?lang=en").get_data(as_text=True)
    assert re.search(r'href="/admin/violations"><b>1</b> open violations', page)
    assert re.search(r'href="/admin/reports"><b>1</b> new consumer reports', page)


def test_every_role_sees_the_dashboard_and_only_its_own_links(app, now):
    factories.catalog_products()
    for role, sees_violations in (("editor", False), ("officer", True), ("admin", True)):
        client = app.test_client()
        factories.sign_in(client, role)
        response = client.get("/admin/?lang=en")
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and "Products in force by sector" in page
        assert ('href="/admin/violations"' in page) is sees_violations
        assert 'href="/admin/stamps/suspicious"' in page                  # editors manage stamps (records)
        assert "cdn" not in page.lower() and "<script" not in page
    assert app.test_client().get("/admin/").status_code == 302


def test_charts_escape_their_labels_and_scale_bars():
    svg = str(charts.bars("c1", "Sản phẩm <b>", [("<script>alert(1)</script>", 4), ("Hà Nội & Huế", 2), ("x", 0)]))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "Hà Nội &amp; Huế" in svg
    assert '<title id="c1-title">Sản phẩm &lt;b&gt;</title>' in svg and 'role="img"' in svg
    widths = [int(w) for w in re.findall(r'<rect x="0" y="\d+" width="(\d+)"', svg)]
    assert widths == [300, 150]                                          # the empty bar is not drawn
    columns = str(charts.columns("c2", "t", [("01/06", 0), ("02/06", 5)], note="<max>"))
    assert "&lt;max&gt;" in columns and columns.count("<rect") == 1
