"""Benchmark: importing a provincial decision list of N rows (preview, then confirm) on SQLite and PostgreSQL.

Builds a catalog with `demo-data` (the products some rows re-recognise or upgrade), generates a
realistic decision file against it (new producers with one to four products each, producers
already in the catalog with new products, re-recognitions and upgrades of products in it, a
few rows already recorded, decisions already expired or not yet in force, communes missing
from the list), then times in process what the admin flow does:

- **check**: read the file and check every row, then the dry run (the preview);
- **apply**: read and check again, apply for real, commit (the feed's events are reconciled
  just before it), then the after-commit hook that brings the search index up to date.

Next to them, a bare baseline measured in the same run: the driver's executemany of as many
three-column rows as the import wrote into the core tables, into one table of the same database.

    PYTHONPATH=. .venv/bin/python bench/imports.py [--rows 10000] [--existing 2000] [--xlsx] [--postgres URL]
                                                   [--profile DIR] [--keep FILE]

PYTHONPATH names the checkout measured (the virtualenv may have another one installed); the first
line printed says which code ran.
"""
from __future__ import annotations

import argparse
import cProfile
import csv
import datetime as dt
import io
import os
import random
import re
import sys
import tempfile
import time
import uuid
import zipfile
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from common import baseline, build_demo

import catalog
from catalog import create_app
from catalog.imports import operations as imports
from catalog.kernel import calendar, clock, gtin, lifecycle, programme, taxonomy, units
from catalog.kernel.db import db
from catalog.kernel.models.producers import Producer
from catalog.kernel.models.products import Product
from catalog.kernel.models.recognitions import Recognition
from catalog.kernel.models.units import Commune
from catalog.kernel.text import fold
from catalog.platform import actor, transaction
from catalog_demo.places import PROVINCE_WEIGHTS
from catalog_demo.vocabulary import (
    BRAND_WORDS,
    FAMILY_NAMES,
    GIVEN_NAMES,
    MIDDLE_NAMES,
    PRODUCER_TEMPLATES,
    PRODUCT_BASES,
    SPECIALTIES,
    VILLAGES,
    packagings_for,
)

#: The checkout whose code runs (set PYTHONPATH to it: the virtualenv may have another one installed).
CODE = Path(catalog.__file__).resolve().parent.parent
CORE_TABLES = ("communes", "producers", "products", "recognitions", "recognition_events")
#: How a decision list writes a producer's kind: codes, the Vietnamese names and the usual short forms.
KIND_SPELLINGS = {"cooperative": ("HTX", "Hợp tác xã", "cooperative"),
                  "enterprise": ("Doanh nghiệp", "DN", "enterprise"),
                  "household": ("Hộ kinh doanh", "HKD", "household"),
                  "cooperative_group": ("Tổ hợp tác", "THT"), "other": ("Khác", "other")}
KIND_WEIGHTS = {"cooperative": 40, "enterprise": 28, "household": 22, "cooperative_group": 5, "other": 5}
COMMUNE_PREFIX = {"xa": "Xã", "phuong": "Phường", "dac_khu": "Đặc khu"}
MINISTRY = "Bộ Nông nghiệp và Môi trường"
ACTOR = "officer@bench.example"


# --- the decision file ----------------------------------------------------------------------

class DecisionFile:
    """Rows of a decision list against the catalog in the database, every one valid (the file imports)."""

    def __init__(self, rng: random.Random, today: dt.date):
        self.rng, self.today = rng, today
        self.provinces = units.provinces()
        communes: dict[str, list[Commune]] = {}
        for commune in db.session.scalars(sa.select(Commune).order_by(Commune.code)):
            communes.setdefault(commune.province_code, []).append(commune)
        self.communes = communes
        self.codes = [code for code in self.provinces if communes.get(code)]
        self.weights = [PROVINCE_WEIGHTS.get(code, 1.0) for code in self.codes]
        self.producer_names: dict[tuple[str, str], int] = {}     # (province, folded name) -> producers so named
        for province, name in db.session.execute(sa.select(Producer.province_code, Producer.name)):
            key = (province, fold(name))
            self.producer_names[key] = self.producer_names.get(key, 0) + 1
        self.gtins = set(db.session.scalars(sa.select(Product.gtin).where(Product.gtin.is_not(None))))
        self.decisions: dict[tuple[str, str], tuple[str, dt.date]] = {}   # (province, level) -> current decision
        self.serial = 0
        self.rows: list[dict[str, str]] = []

    # -- producers already in the catalog: their products re-recognised, upgraded, already recorded --

    def existing(self, wanted: int) -> None:
        """Rows for products of the catalog: re-recognitions, upgrades, and a few already recorded."""
        producers = {p.id: p for p in db.session.scalars(sa.select(Producer).order_by(Producer.id))}
        products: dict[int, list[Product]] = {}
        for product in db.session.scalars(sa.select(Product).order_by(Product.id)):
            products.setdefault(product.producer_id, []).append(product)
        history: dict[int, list[Recognition]] = {}
        for recognition in db.session.scalars(sa.select(Recognition).order_by(Recognition.id)):
            history.setdefault(recognition.product_id, []).append(recognition)
        now = clock.now()
        candidates = []
        for producer_id, items in products.items():
            producer = producers[producer_id]
            if self.producer_names[(producer.province_code, fold(producer.name))] > 1:
                continue                                    # an ambiguous name: the import would refuse the row
            names = [fold(p.name) for p in items]
            candidates.extend((producer, p) for p in items if names.count(fold(p.name)) == 1)
        self.rng.shuffle(candidates)
        made = 0
        for producer, product in candidates:
            if made >= wanted:
                break
            row = self._follow_up(producer, product, history.get(product.id, []), now)
            if row is not None:
                self.rows.append(row)
                made += 1

    def _follow_up(self, producer: Producer, product: Product, history: list[Recognition],
                   now: dt.datetime) -> dict[str, str] | None:
        latest = lifecycle.head(history)
        if latest is None or latest.is_revoked or latest.status_at(now) == "not_yet_in_force":
            return None
        base = {"product_name": self._respell(product.name), "product_set": str(product.product_set),
                "producer_name": self._respell(producer.name), "producer_kind": self._kind(producer.kind),
                "province": self.provinces[producer.province_code].name, "commune": "",
                "packaging": product.packaging or "", "gtin": "", "description": ""}
        if self.rng.random() < 0.06:                        # the same decision listed again: already recorded
            return {**base, "score": format(latest.score, "f"), "level": latest.level,
                    "authority": latest.authority, "decision_number": latest.decision_number,
                    "decision_date": f"{latest.decision_date:%d/%m/%Y}"}
        in_force = latest.in_force_at(calendar.start_of_day(self.today))
        if in_force and latest.stars < 5 and self.rng.random() < 0.5:
            stars = latest.stars + 1                        # an upgrade: more stars while one is in force
        elif not in_force or self.today >= programme.earliest_re_recognition(latest.valid_until):
            stars = latest.stars                            # a re-recognition: lapsed, or in its window
        else:
            return None
        return {**base, **self._decision(producer.province_code, stars, self.today)}

    # -- new producers, each with one to four products -------------------------------------------

    def new(self, wanted: int) -> None:
        made = 0
        while made < wanted:
            province = self.rng.choices(self.codes, self.weights)[0]
            commune = self.rng.choice(self.communes[province])
            kind = self.rng.choices(list(KIND_WEIGHTS), list(KIND_WEIGHTS.values()))[0]
            name = self._producer_name(kind, province, commune.name)
            count = min(wanted - made, self.rng.choice((1, 1, 1, 2, 2, 2, 3, 3, 4)))
            decided = self._decision_date()
            taken: set[str] = set()
            for _ in range(count):
                stars = self.rng.choices((3, 4, 5), (60, 35, 5))[0]
                product_set, product, packaging = self._product(province, commune.name, taken)
                self.rows.append({
                    "product_name": product, "product_set": self._set(product_set),
                    "producer_name": name, "producer_kind": self._kind(kind),
                    "province": self._province(province), "commune": self._commune(commune),
                    **self._decision(province, stars, decided),
                    "packaging": packaging, "gtin": self._gtin(),
                    "description": f"{product} của {name}, sản xuất tại {commune.full_name}." if
                    self.rng.random() < 0.6 else "",
                })
            made += count

    def _producer_name(self, kind: str, province: str, place: str) -> str:
        for attempt in range(50):
            person = " ".join((self.rng.choice(FAMILY_NAMES), self.rng.choice(MIDDLE_NAMES),
                               self.rng.choice(GIVEN_NAMES)))
            template = self.rng.choice(PRODUCER_TEMPLATES[kind])
            name = template.format(brand=self.rng.choice(BRAND_WORDS), person=person, place=place)
            if attempt > 10:
                name = f"{name} {self.rng.choice(VILLAGES).split(' ', 1)[1]}"
            key = (province, fold(name))
            if key not in self.producer_names:
                self.producer_names[key] = 1
                return name
        raise RuntimeError("no free producer name")

    def _product(self, province: str, place: str, taken: set[str]) -> tuple[int, str, str]:
        while True:
            specialties = SPECIALTIES.get(province, ())
            if specialties and self.rng.random() < 0.4:
                product_set, base, brand = self.rng.choice(specialties)
                packaging = self.rng.choice(packagings_for(product_set, base))
            else:
                product_set = self.rng.choice(list(PRODUCT_BASES))
                base, packagings = self.rng.choice(PRODUCT_BASES[product_set])
                packaging = self.rng.choice(packagings)
                brand = self.rng.choice((self.rng.choice(BRAND_WORDS), place))
            name = f"{base} {brand}" + (f" ({packaging})" if self.rng.random() < 0.3 else "")
            if fold(name) not in taken:
                taken.add(fold(name))
                return product_set, name, packaging

    def _decision_date(self) -> dt.date:
        roll = self.rng.random()
        if roll < 0.04:                                     # an old decision, expired on arrival
            return self.today - dt.timedelta(days=self.rng.randint(1150, 1800))
        if roll < 0.05:                                     # decided, in force from a later date
            return self.today + dt.timedelta(days=self.rng.randint(1, 60))
        return self.today - dt.timedelta(days=self.rng.randint(0, 700))

    def _decision(self, province: str, stars: int, decided: dt.date) -> dict[str, str]:
        level = programme.required_level(stars)
        key = (province, level)
        if key not in self.decisions or self.rng.random() < 0.03:      # a new decision every ~30 rows
            self.serial += 1
            suffix = "QĐ-BNNMT" if level == programme.LEVEL_NATIONAL else "QĐ-UBND"
            self.decisions[key] = (f"{self.serial + 100}/{suffix}", decided)
        number, _ = self.decisions[key]
        low = {3: 50, 4: 70, 5: 90}[stars]
        score = Decimal(self.rng.randint(low * 2, (low + 9) * 2 + 1)) / 2
        authority = MINISTRY if level == programme.LEVEL_NATIONAL else \
            f"UBND {self._full_name(province)}"
        date = f"{decided:%d/%m/%Y}" if self.rng.random() < 0.8 else decided.isoformat()
        return {"score": format(score.normalize(), "f"), "level": self.rng.choice(
                    (level, level, {"province": "cấp tỉnh", "national": "quốc gia"}[level])),
                "authority": authority, "decision_number": number, "decision_date": date}

    def _full_name(self, province: str) -> str:
        name = self.provinces[province].name
        return name if name.startswith("Thành phố") else f"tỉnh {name}"

    def _province(self, code: str) -> str:
        name = self.provinces[code].name
        return self.rng.choice((name, name, name, fold(name), f"Tỉnh {name}"))

    def _commune(self, commune: Commune) -> str:
        roll = self.rng.random()
        if roll < 0.005:                                    # missing from the list: added, with a warning
            return f"Xã {self.rng.choice(BRAND_WORDS)} {self.rng.randint(1, 9)}"
        if roll < 0.1:
            return ""
        if roll < 0.55:
            return commune.name
        return f"{COMMUNE_PREFIX[commune.kind]} {commune.name}"

    def _set(self, number: int) -> str:
        return taxonomy.SETS_BY_NUMBER[number].name if self.rng.random() < 0.2 else str(number)

    def _kind(self, kind: str) -> str:
        return self.rng.choice(KIND_SPELLINGS[kind])

    def _respell(self, name: str) -> str:
        """A name as another office types it: case and spacing aside, the same (matched by its folded form)."""
        roll = self.rng.random()
        return name.upper() if roll < 0.05 else name.lower() if roll < 0.1 else name

    def _gtin(self) -> str:
        if self.rng.random() >= 0.3:
            return ""
        while True:
            body = f"8938{self.rng.randint(0, 99_999_999):08d}"
            digits = body + str(gtin.check_digit(body))
            if digits.zfill(14) not in self.gtins:
                self.gtins.add(digits.zfill(14))
                return digits

    def csv(self) -> bytes:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=imports.DECISION_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(self.rows)
        return buffer.getvalue().encode("utf-8")

    def xlsx(self) -> bytes:
        from openpyxl import Workbook
        book = Workbook(write_only=True)
        sheet = book.create_sheet()
        sheet.append(list(imports.DECISION_COLUMNS))
        for row in self.rows:
            sheet.append([_excel(name, row[name]) for name in imports.DECISION_COLUMNS])
        buffer = io.BytesIO()
        book.save(buffer)
        return _shared_strings(buffer.getvalue())


_INLINE = re.compile(r'<c r="([A-Z]+[0-9]+)" t="inlineStr"><is><t>(.*?)</t></is></c>')


def _shared_strings(workbook: bytes) -> bytes:
    """The workbook with its text in a shared-strings table, as Excel and LibreOffice save it (openpyxl writes
    each text in its cell, which openpyxl then reads twice as slowly)."""
    strings: dict[str, int] = {}

    def shared(match: re.Match) -> str:
        index = strings.setdefault(match.group(2), len(strings))
        return f'<c r="{match.group(1)}" t="s"><v>{index}</v></c>'

    source = zipfile.ZipFile(io.BytesIO(workbook))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for name in source.namelist():
            data = source.read(name)
            if name.startswith("xl/worksheets/"):
                data = _INLINE.sub(shared, data.decode("utf-8")).encode("utf-8")
            elif name == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
            elif name == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdStrings" Type="http://schemas.'
                                    b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
                                    b'Target="sharedStrings.xml"/></Relationships>')
            out.writestr(name, data)
        out.writestr("xl/sharedStrings.xml", '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.'
                     f'openxmlformats.org/spreadsheetml/2006/main" count="{len(strings)}" uniqueCount='
                     f'"{len(strings)}">' + "".join(f"<si><t>{text}</t></si>" for text in strings) + "</sst>")
    return buffer.getvalue()


def _excel(name: str, value: str):
    """A cell as Excel holds it: numbers as numbers, dates as dates, blanks empty."""
    if value == "":
        return None
    if name in ("score", "gtin") or (name == "product_set" and value.isdigit()):
        return float(value) if "." in value else int(value)
    if name == "decision_date":
        return dt.datetime.strptime(value, "%d/%m/%Y") if "/" in value else dt.datetime.fromisoformat(value)
    return value


def make_file(rows: int, seed: int, xlsx: bool) -> tuple[bytes, str]:
    file = DecisionFile(random.Random(seed), calendar.local_date(clock.now()))
    file.existing(rows // 7)
    file.new(rows - len(file.rows))
    random.Random(seed).shuffle(file.rows)
    return (file.xlsx(), "decisions.xlsx") if xlsx else (file.csv(), "decisions.csv")


# --- timing ---------------------------------------------------------------------------------

class Phases:
    def __init__(self, profile: Path | None, label: str):
        self.times: dict[str, float] = {}
        self.profile, self.label = profile, label

    def run(self, name: str, work):
        profiler = cProfile.Profile() if self.profile else None
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        try:
            return work()
        finally:
            if profiler:
                profiler.disable()
            self.times[name] = time.perf_counter() - started
            if profiler and self.profile:
                self.profile.mkdir(parents=True, exist_ok=True)
                profiler.dump_stats(self.profile / f"{self.label}-{name}.prof")


def core_rows(connection) -> int:
    return sum(connection.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar() for t in CORE_TABLES)


def _driver_url(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


def bench(label: str, url: str, args: argparse.Namespace) -> None:
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench", "PYTHONPATH": str(CODE)}
    setup = build_demo(args.existing, env)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"})
    phases = Phases(args.profile, label.lower())
    with app.app_context():
        actor.set_actor(ACTOR)                              # as the admin area does: the audit log names who
        data, filename = make_file(args.rows, args.seed, args.xlsx)
        if args.keep:
            args.keep.write_bytes(data)
        db.session.rollback()
        before = core_rows(db.session.connection())
        db.session.rollback()
        preview = phases.run("check", lambda: imports.import_decisions(
            imports.read_decisions(data, filename), actor=ACTOR, dry_run=True))
        db.session.rollback()
        if not preview.ok:
            sys.exit("the generated file does not import:\n" + "\n".join(map(str, preview.problems[:20])))
        report = phases.run("apply", lambda: imports.import_decisions(
            imports.read_decisions(data, filename), actor=ACTOR))
        phases.run("commit", db.session.commit)              # the feed reconciles its events just before
        phases.run("index", transaction.commit)             # nothing left to commit: the after-commit hooks
        assert report.ok and report.counts == preview.counts, (report.counts, preview.counts)
        written = core_rows(db.session.connection()) - before
        db.session.rollback()
    bare = baseline(url, written)
    t = phases.times
    total = sum(t.values())
    rows = report.counts["rows"]
    print(f"{label:<11} {rows} decision rows ({filename}; catalog of {args.existing} demo products, "
          f"built in {setup:.1f} s; code from {CODE})")
    print(f"            check + dry run (the preview): {t['check']:6.2f} s   {rows / t['check']:7,.0f} rows/s")
    print(f"            apply: {t['apply']:6.2f} s   commit (with the feed's events): {t['commit']:5.2f} s   "
          f"search index after commit: {t['index']:5.2f} s   together {t['apply'] + t['commit'] + t['index']:6.2f} s")
    print(f"            total {total:6.2f} s (target < 60 s)   {rows / total:6,.0f} rows/s   "
          f"{written} core rows written; bare executemany of {written} rows: {bare:5.2f} s   "
          f"ratio {total / bare:5.0f}x")
    print(f"            {report.summary()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--existing", type=int, default=2_000, help="demo products in the catalog beforehand")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--xlsx", action="store_true", help="an XLSX workbook instead of CSV")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres",
                        help="server to make a scratch database on (skipped if unreachable; '' to skip)")
    parser.add_argument("--profile", type=Path, help="write a cProfile file of each phase into this folder")
    parser.add_argument("--keep", type=Path, help="also write the generated file here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bench("SQLite", f"sqlite:///{tmp}/bench.sqlite3", args)
    if not args.postgres:
        return
    admin = sa.create_engine(_driver_url(args.postgres), isolation_level="AUTOCOMMIT")
    name = f"catalog_bench_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except sa.exc.OperationalError as exc:
        print(f"PostgreSQL  skipped: {str(exc.orig).splitlines()[0]}")
        return
    try:
        bench("PostgreSQL", admin.url.set(database=name).render_as_string(hide_password=False)
              .replace("postgresql+psycopg://", "postgresql://"), args)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


if __name__ == "__main__":
    main()
