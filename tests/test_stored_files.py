"""Uploaded files follow their rows' transaction: kept on commit, deleted on rollback, for every kind."""
from __future__ import annotations

import io

from PIL import Image

from catalog.violations import operations as violations
from catalog.violations import reports
from tests import factories


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 40), "orange").save(out, "JPEG")
    return out.getvalue()


def test_a_consumer_report_photo_rolled_back_leaves_no_file(session, tmp_path):
    reports.file_report("ABC", None, name=None, message="Tem bị bóc, nghi hàng giả", photo=_jpeg(),
                        network=None, uploads=tmp_path)
    assert len(list(tmp_path.iterdir())) == 1
    session.rollback()
    assert list(tmp_path.iterdir()) == []


def test_a_consumer_report_photo_committed_stays(session, tmp_path):
    report = reports.file_report("ABC", None, name=None, message="Tem bị bóc, nghi hàng giả", photo=_jpeg(),
                                 network=None, uploads=tmp_path)
    session.commit()
    assert [path.name for path in tmp_path.iterdir()] == [report.photo]


def test_violation_evidence_rolled_back_leaves_no_file(session, tmp_path):
    product = factories.recognised_product()
    violations.file_violation(product, actor="test", found_on="2026-05-01", category="labelling",
                              description="Nhãn thiếu hạn sử dụng", uploads=tmp_path,
                              evidence=[("bien-ban.pdf", b"%PDF-1.4 minimal"), ("anh.jpg", _jpeg())])
    assert len(list(tmp_path.iterdir())) == 2
    session.rollback()
    assert list(tmp_path.iterdir()) == []
