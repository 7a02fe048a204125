"""``flask --app catalog stamps issue | sheet | png`` as staff use them, and issuing under concurrency."""
import datetime as dt
import io
import shutil
import subprocess
import threading
import zipfile

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from catalog import create_app
from catalog.kernel import calendar
from catalog.kernel.db import db
from catalog.trace import codes, stamps
from catalog.trace.models.scans import Scan
from catalog.trace.models.stamps import Stamp
from tests import factories

NOW = calendar.start_of_day(dt.date(2026, 6, 1)) + dt.timedelta(hours=9)


@pytest.fixture()
def product(session, frozen_clock):
    frozen_clock(NOW)
    item, lot, _ = factories.stamped_product(count=1)
    factories.index_now()
    return item


def test_issue_prints_the_batch_id(app, product, session):
    result = app.test_cli_runner().invoke(args=["stamps", "issue", product.slug, "--count", "120", "--lot",
                                                "CS-2026.05"])
    assert result.exit_code == 0, result.output
    batch_id = int(result.output.strip().splitlines()[-1])
    issued = session.scalars(select(Stamp).where(Stamp.batch_id == batch_id)).all()
    assert len(issued) == 120 and {s.lot.code for s in issued} == {"CS-2026.05"}


@pytest.mark.parametrize(("args", "message"), [
    (["nope", "--count", "5"], "no product with slug 'nope'"),
    (["{slug}", "--count", "0"], "count: must be a whole number"),
    (["{slug}", "--count", "5", "--lot", "NOLOT"], "has no lot NOLOT"),
])
def test_issue_refusals_are_clear(app, product, args, message):
    result = app.test_cli_runner().invoke(args=["stamps", "issue", *[a.format(slug=product.slug) for a in args]])
    assert result.exit_code != 0 and message in result.output


def test_sheet_and_png_zip_decode_to_their_urls(app, product, tmp_path):
    import zxingcpp
    from PIL import Image
    batch = stamps.issue_batch(product, 6, actor="t")
    runner = app.test_cli_runner()
    pdf = tmp_path / "sheet.pdf"
    result = runner.invoke(args=["stamps", "sheet", str(batch.id), "-o", str(pdf)])
    assert result.exit_code == 0 and "6 stamps on 1 pages" in result.output
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):  # the codes are text, grouped as on the scan page; the check address is the service's
        text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
        issued = db.session.scalars(select(Stamp.code).where(Stamp.batch_id == batch.id)).all()
        assert len(issued) == 6 and all(codes.grouped(code) in text for code in issued)
        assert text.count("Kiểm tra: 127.0.0.1:5000/s") == 6
    roll = tmp_path / "roll.pdf"
    result = runner.invoke(args=["stamps", "sheet", str(batch.id), "-o", str(roll), "--layout", "roll-40x30"])
    assert result.exit_code == 0 and "6 stamps on 6 pages" in result.output
    assert runner.invoke(args=["stamps", "sheet", str(batch.id), "-o", str(roll), "--layout", "a5"]).exit_code == 2
    archive = tmp_path / "stamps.zip"
    assert runner.invoke(args=["stamps", "png", str(batch.id), "-o", str(archive)]).exit_code == 0
    with zipfile.ZipFile(archive) as files:
        names = sorted(files.namelist())
        assert len(names) == 6
        for name in names:
            code = name.split("-")[1].removesuffix(".png")
            decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(files.read(name))))
            assert [d.text for d in decoded] == [f"HTTP://127.0.0.1:5000/S/{code}"]


@pytest.mark.postgres
def test_concurrent_issuing_and_scanning_on_postgresql(scratch_database, frozen_clock):
    frozen_clock(NOW)
    app = create_app({"DATABASE_URL": scratch_database("postgresql"), "SECRET_KEY": "x",
                      "CATALOG_SCAN_RATE_LIMIT": "100000 per minute"})
    with app.app_context():
        upgrade()
        product_id = factories.stamped_product(count=1)[0].id
        factories.index_now()
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def issue() -> None:
        try:
            with app.app_context():
                from catalog.kernel.models.products import Product
                barrier.wait()
                stamps.issue_batch(db.session.get(Product, product_id), 5000, actor="t")
                db.session.commit()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=issue) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    with app.app_context():
        total, distinct = db.session.execute(select(func.count(Stamp.id), func.count(Stamp.code.distinct()))).one()
        assert total == distinct == 20_001
        duplicates = db.session.execute(select(Stamp.batch_id, Stamp.serial).group_by(Stamp.batch_id, Stamp.serial)
                                        .having(func.count() > 1)).all()
        assert duplicates == []
        code = db.session.scalar(select(Stamp.code).where(Stamp.serial == 1).limit(1))

    client_count, per_client = 4, 25

    def scan_many() -> None:
        client = app.test_client()
        for _ in range(per_client):
            assert client.get(f"/s/{code}", headers={"Accept": "application/json"}).status_code == 200

    threads = [threading.Thread(target=scan_many) for _ in range(client_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    with app.app_context():
        stamp_id = db.session.scalar(select(Stamp.id).where(Stamp.code == code))
        assert db.session.scalar(select(func.count()).select_from(Scan).where(Scan.stamp_id == stamp_id)) == 100
        db.session.remove()
        db.engine.dispose()


def test_recount_rebuilds_the_tallies_after_scan_rows_were_loaded_in_bulk(app, product, session):
    from catalog.trace.models.scans import ScanTally

    stamp = session.scalars(select(Stamp)).first()
    session.add_all([Scan(stamp_id=stamp.id, code=stamp.code, verdict="genuine", network=f"203.0.113.{n}",
                          agent="Chrome/Android", scanned_at=NOW + dt.timedelta(hours=n)) for n in range(3)])
    session.commit()
    assert session.get(ScanTally, stamp.id) is None       # rows loaded behind the scan's back: no tally
    result = app.test_cli_runner().invoke(args=["stamps", "recount"])
    assert result.exit_code == 0, result.output
    session.expire_all()
    tally = session.get(ScanTally, stamp.id)
    assert (tally.scans, tally.clients, tally.first_scan_at) == (3, 3, NOW)
