"""Write generated demo data in one transaction, in bulk, reporting progress."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import func, select, text

from catalog.kernel import calendar, clock, signals
from catalog.kernel.db import db
from catalog.kernel.models.history import RecognitionEvent
from catalog.kernel.models.producers import Producer
from catalog.kernel.models.products import Product, ProductImage
from catalog.kernel.models.recognitions import Recognition
from catalog.kernel.models.units import Commune, Province
from catalog.platform import bulk
from catalog.records.media import products_folder
from catalog.trace.models.lots import Lot, TraceEvent
from catalog.trace.models.scans import Scan, recount
from catalog.trace.models.stamps import Stamp, StampBatch
from catalog_demo import photos
from catalog_demo.generator import DemoData, Generator
from catalog_demo.generator import Province as DemoProvince
from catalog_demo.places import demo_communes

CHUNK = 2_000


class NotEmpty(RuntimeError):
    """The database already holds producers or products."""


def existing_records() -> int:
    return (db.session.scalar(select(func.count()).select_from(Product))
            + db.session.scalar(select(func.count()).select_from(Producer)))


def generate(n_products: int, seed: int, as_of: dt.date | None = None,
             tick: Callable[[int], None] = lambda n: None) -> DemoData:
    """Build the demo data in memory against the provinces (and communes) in the database."""
    now = clock.now() if as_of is None else calendar.start_of_day(as_of) + dt.timedelta(hours=12)
    communes = [{"code": c.code, "name": c.name, "kind": c.kind, "province_code": c.province_code}
                for c in db.session.scalars(select(Commune).order_by(Commune.code))]
    new_communes = [] if communes else demo_communes()
    by_province: dict[str, list[dict[str, Any]]] = {}
    for commune in communes or new_communes:
        by_province.setdefault(commune["province_code"], []).append(commune)
    provinces = [DemoProvince(p.code, p.name, p.full_name, by_province.get(p.code, []))
                 for p in db.session.scalars(select(Province).order_by(Province.code))]
    generator = Generator(seed, calendar.local_date(now), now, provinces, new_communes)
    return generator.run(n_products, tick)


def write(data: DemoData, tick: Callable[[int], None] = lambda n: None, *, with_photos: bool = True) -> None:
    """Insert everything with the session's connection; the caller commits once. ``with_photos``: draw a
    placeholder photo for most products (:mod:`catalog_demo.photos`), stored as an uploaded one is."""
    images = photos.add(data.products, products_folder(), tick) if with_photos else []
    tables = [
        (Commune, data.communes),
        (Producer, _public(data.producers)),
        (Product, data.products),
        (ProductImage, images),
        (Recognition, _orm_rows(Recognition, data.histories.recognitions)),
        (RecognitionEvent, _orm_rows(RecognitionEvent, data.histories.events)),
        (Lot, data.trace.lots), (TraceEvent, data.trace.events), (StampBatch, data.trace.batches),
        (Stamp, data.trace.stamps), (Scan, data.trace.scans),
    ]
    postgres = db.session.get_bind().dialect.name == "postgresql"
    for model, rows in tables:
        rows = list(rows)
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start:start + CHUNK]
            bulk.insert_rows(model.__table__, chunk)
            tick(len(chunk))
    recount()                               # the scan tallies, from the scans just written
    signals.products_changed.send("demo-data", product_ids=[p["id"] for p in data.products])
    db.session.execute(text("ANALYZE"))     # fresh planner statistics after a bulk load
    if postgres:
        for model in (Producer, Product, Recognition, RecognitionEvent, Lot, TraceEvent, StampBatch, Stamp, Scan):
            table = model.__tablename__
            db.session.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"coalesce((SELECT max(id) FROM {table}), 1))"))


def row_count(data: DemoData, with_photos: bool = True) -> int:
    """What :func:`write` ticks: its rows (and the photos it draws, each counted twice: file and row)."""
    images = sum(photos.wanted(p["id"]) for p in data.products) if with_photos else 0
    return (len(data.communes) + len(data.producers) + len(data.products) + 2 * images
            + len(data.histories.recognitions) + len(data.histories.events) + data.trace.count())


def summary(data: DemoData) -> dict[str, Any]:
    """Counts for the closing line, as of the instant the data was made for."""
    at = data.generated_at
    statuses: Counter[str] = Counter()
    stars_in_force: Counter[int] = Counter()
    for recognition in data.histories.recognitions:
        status = recognition.status_at(at)
        statuses[status] += 1
        if status == "in_force":
            stars_in_force[recognition.stars] += 1
    return {"producers": len(data.producers), "products": len(data.products),
            "recognitions": len(data.histories.recognitions), "statuses": dict(statuses),
            "in_force_by_stars": dict(sorted(stars_in_force.items()))}


def _public(rows: Iterable[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    for row in rows:
        yield {k: v for k, v in row.items() if not k.startswith("_")}


def _orm_rows(model, objects) -> Iterable[dict[str, Any]]:
    keys = [column.key for column in model.__table__.columns]
    for obj in objects:
        yield {key: getattr(obj, key) for key in keys}
