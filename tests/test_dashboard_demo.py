"""The dashboard's numbers match the database for the demo data at a fixed instant.

The demo generator fills the test database (300 products, seed 1) as of a fixed day and the
clock is frozen there; every figure of :mod:`catalog.admin.figures` is then recomputed here
in plain Python over the raw tables (read with plain SQL, not through the core's queries or
its visibility rule), and the rendered ``/admin/`` page must show the same numbers.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest
from sqlalchemy import text

from catalog import trace
from catalog.admin import figures
from catalog.kernel import calendar, programme
from catalog.kernel.models.products import Product
from catalog.violations import figures as violation_figures
from catalog.violations import operations as violations
from catalog.violations import reports
from catalog_demo import loader
from tests import factories

AS_OF = dt.date(2026, 6, 1)
#: English sector names by product set (1-26, DOMAIN.md), written out here rather than read from the taxonomy.
SECTOR_OF_SET = {**dict.fromkeys(range(1, 14), "Food"), **dict.fromkeys(range(14, 18), "Beverages"),
                 **dict.fromkeys(range(18, 21), "Herbal products"), **dict.fromkeys(range(21, 23), "Handicrafts"),
                 **dict.fromkeys(range(23, 26), "Ornamentals"), 26: "Tourism services"}


def instant(value) -> dt.datetime | None:
    """A raw timestamp column as an aware UTC datetime (SQLite gives naive UTC text, PostgreSQL aware values)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def day(value) -> dt.date:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


@pytest.fixture()
def demo(session, frozen_clock, tmp_path):
    """The demo catalogue as of AS_OF, the clock frozen at the generator's own instant, plus two open
    violations, a new consumer report, a dismissed one, and two products expiring within 30 days."""
    at = frozen_clock(calendar.start_of_day(AS_OF) + dt.timedelta(hours=12))
    assert loader.existing_records() == 0
    loader.write(loader.generate(300, seed=1, as_of=AS_OF))
    session.flush()
    product_ids = session.execute(text("SELECT id FROM products ORDER BY id LIMIT 2")).scalars().all()
    for product_id in product_ids:
        violations.file_violation(session.get(Product, product_id), actor="test", found_on="2026-05-20",
                                  category="labelling", description="Nhãn thiếu hạn sử dụng", uploads=tmp_path)
    reports.file_report("ABC", None, name=None, message="Tem bị bóc, nghi hàng giả", photo=None, network=None,
                        uploads=None)
    dismissed = reports.file_report("XYZ", None, name=None, message="Không quét được tem", photo=None, network=None,
                                    uploads=None)
    violations.dismiss_report(dismissed, actor="test", note="Tem thật, quét lại được")
    # The demo decides products in force at least a month before its day, so none expires within
    # 30 days: two recorded through the core put something on that list.
    for days_left in (0, 20):
        last_day = AS_OF + dt.timedelta(days=days_left)
        factories.recognised_product(decision_date=calendar.add_months(last_day, -programme.VALIDITY_MONTHS))
    session.flush()
    return at


class Raw:
    """The raw tables and the figures recomputed from them, independently of the core."""

    def __init__(self, session, at: dt.datetime):
        self.at = at
        self.today = at.astimezone(calendar.zone()).date()
        self.recognitions = [
            {"id": r.id, "product_id": r.product_id, "stars": r.stars, "valid_until": day(r.valid_until),
             "starts_at": instant(r.starts_at), "ends_at": instant(r.ends_at),
             "superseded_at": instant(r.superseded_at), "revoked_at": instant(r.revoked_at)}
            for r in session.execute(text(
                "SELECT id, product_id, stars, valid_until, starts_at, ends_at, superseded_at, revoked_at "
                "FROM recognitions"))]
        self.products = {row.id: row for row in session.execute(text(
            "SELECT p.id, p.product_set, pr.province_code, pv.name AS province FROM products p "
            "JOIN producers pr ON pr.id = p.producer_id JOIN provinces pv ON pv.code = pr.province_code"))}
        self.in_force = {r["product_id"]: r for r in self.recognitions if self.valid(r)}

    def valid(self, r) -> bool:
        at = self.at
        return (r["starts_at"] <= at < r["ends_at"] and (r["superseded_at"] is None or at < r["superseded_at"])
                and (r["revoked_at"] is None or at < r["revoked_at"]))

    def by_stars(self) -> list[tuple[int, int]]:
        counts = Counter(r["stars"] for r in self.in_force.values())
        return [(stars, counts[stars]) for stars in (3, 4, 5)]

    def by_sector(self) -> dict[str, int]:
        counts = dict.fromkeys(dict.fromkeys(SECTOR_OF_SET.values()), 0)
        for product_id in self.in_force:
            counts[SECTOR_OF_SET[self.products[product_id].product_set]] += 1
        return counts

    def by_province(self) -> dict[str, int]:
        return dict(Counter(self.products[product_id].province for product_id in self.in_force))

    def days_left(self, r) -> int:
        return (r["valid_until"] - self.today).days

    def window(self) -> set[tuple[int, int]]:
        return {(r["product_id"], self.days_left(r)) for r in self.in_force.values() if 120 <= self.days_left(r) <= 180}

    def expiring(self) -> set[tuple[int, int]]:
        return {(r["product_id"], self.days_left(r)) for r in self.in_force.values() if self.days_left(r) <= 30}

    def lapsed(self) -> set[tuple[int, int]]:
        found = set()
        for r in self.recognitions:
            later = any(o["product_id"] == r["product_id"] and o["starts_at"] > r["starts_at"]
                        for o in self.recognitions)
            if (self.at - dt.timedelta(days=90) < r["ends_at"] <= self.at and r["revoked_at"] is None
                    and r["superseded_at"] is None and not later and r["product_id"] not in self.in_force):
                found.add((r["product_id"], self.days_left(r)))
        return found

    def scans(self, session) -> list[tuple[dt.date, dict[str, int]]]:
        days = [self.today - dt.timedelta(days=n) for n in reversed(range(30))]
        counts: dict[dt.date, Counter] = {d: Counter() for d in days}
        for scanned_at, verdict in session.execute(text("SELECT scanned_at, verdict FROM scans")):
            when = instant(scanned_at)
            local = when.astimezone(calendar.zone()).date()
            if when <= self.at and local in counts:
                counts[local][verdict] += 1
        return [(d, dict(counts[d])) for d in days]


def due(items) -> set[tuple[int, int]]:
    return {(item.product.id, item.days) for item in items}


def test_every_dashboard_figure_matches_the_raw_tables(demo, session):
    at, raw = demo, Raw(session, demo)
    assert len(raw.products) == 302 and len(raw.in_force) > 150
    assert figures.in_force_total(at) == len(raw.in_force)
    assert figures.in_force_by_stars(at) == raw.by_stars()
    sectors = dict(figures.in_force_by_sector(at))
    english = {"food": "Food", "beverages": "Beverages", "herbal": "Herbal products", "handicrafts": "Handicrafts",
               "ornamentals": "Ornamentals", "tourism": "Tourism services"}
    assert {english[code]: count for code, count in sectors.items()} == raw.by_sector()
    provinces = figures.in_force_by_province(at)
    assert {name: count for _code, name, count in provinces} == raw.by_province()
    assert [count for *_name, count in provinces] == sorted((count for *_n, count in provinces), reverse=True)
    assert due(figures.re_recognition_window(at)) == raw.window()
    assert due(figures.expiring_soon(at)) == raw.expiring()
    assert due(figures.lapsed_not_renewed(at)) == raw.lapsed()
    assert violation_figures.open_violations(at) == session.execute(text(
        "SELECT count(*) FROM violations WHERE status = 'open'")).scalar() == 2
    assert violation_figures.new_reports(at) == session.execute(text(
        "SELECT count(*) FROM consumer_reports WHERE status = 'new'")).scalar() == 1
    assert trace.scans_per_day(at) == raw.scans(session)
    # The demo exercises every list: none of these comparisons is between two empty things.
    assert raw.window() and raw.expiring() and raw.lapsed()
    assert sum(sum(v.values()) for _d, v in raw.scans(session)) > 0
    assert all(count for _stars, count in raw.by_stars()[:2])


def test_the_dashboard_page_shows_those_numbers(demo, session, app):
    at, raw = demo, Raw(session, demo)
    client = app.test_client()
    factories.sign_in(client, "officer")
    page = client.get("/admin/?lang=en").get_data(as_text=True)

    def row(label, *values) -> str:
        return f'<th scope="row">{label}</th>' + "".join(f'<td class="number">{v}</td>' for v in values)

    def section(anchor: str) -> str:
        return page.split(f'id="{anchor}"')[1].split("</section>")[0]

    assert f"<b>{len(raw.in_force)}</b> products in force" in page
    for stars, count in raw.by_stars():
        assert row(f"{stars} stars", count) in page
    for name, count in raw.by_sector().items():
        assert row(name, count) in page
    for name, count in raw.by_province().items():
        assert row(name, count) in page
    for anchor, expected in (("re-recognition", raw.window()), ("expiring", raw.expiring()),
                             ("lapsed", raw.lapsed())):
        html = section(anchor)
        assert f'<span class="count">({len(expected)})</span>' in html, anchor
        shown = [int(n) for n in re.findall(r'<td class="number">(-?\d+)</td></tr>', html)]
        sign = -1 if anchor == "lapsed" else 1          # "days since" for lapsed ones
        assert shown == sorted(sign * days for _product, days in expected)[:20], anchor      # soonest first
    assert re.search(r'href="/admin/violations"><b>2</b> open violations', page)
    assert re.search(r'href="/admin/reports"><b>1</b> new consumer reports', page)
    scans = raw.scans(session)
    assert f"<b>{sum(sum(v.values()) for _d, v in scans)}</b> scans in the last 30 days" in page
    for when, verdicts in scans:
        not_genuine = sum(n for verdict, n in verdicts.items() if verdict != "genuine")
        assert row(f"{when:%d/%m}", sum(verdicts.values()), not_genuine) in page
    assert at.astimezone(calendar.zone()).strftime("%H:%M") in page
