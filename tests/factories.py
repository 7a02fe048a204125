"""Builders for test data, going through the core's services like every surface does."""
from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from catalog.kernel import catalogue, recognitions
from catalog.kernel.db import db
from catalog.kernel.models.products import Product
from catalog.kernel.models.units import Commune

_counter = itertools.count(1)

DECISION = {
    "score": Decimal("65"),
    "level": "province",
    "authority": "UBND tỉnh Tuyên Quang",
    "decision_number": "2751/QĐ-UBND",
    "decision_date": dt.date(2024, 12, 20),
}

REVOCATION = {
    "decision_number": "118/QĐ-UBND",
    "authority": "Chủ tịch UBND tỉnh Tuyên Quang",
    "ground": "criteria_not_met",
    "reason": "Kiểm tra sau chứng nhận: chỉ tiêu chất lượng không đạt",
}


def commune(code: str = "99001", name: str = "Vĩnh Tuy", province_code: str = "08") -> Commune:
    found = db.session.get(Commune, code)
    if found is None:
        found = Commune(code=code, name=name, kind="xa", province_code=province_code)
        db.session.add(found)
        db.session.flush()
    return found


def producer(**overrides):
    fields = {"name": f"Hợp tác xã Anh Tài {next(_counter)}", "kind": "cooperative",
              "commune_code": commune().code, "address": "thôn Vĩnh Chính"}
    fields.update(overrides)
    return catalogue.create_producer(**fields)


def product(**overrides) -> Product:
    fields = {"name": "Cam sành Hà Giang (hộp 5kg)", "product_set": 1, "packaging": "hộp 5kg"}
    fields.update(overrides)
    if "producer_id" not in fields:
        fields["producer_id"] = producer().id
    return catalogue.create_product(**fields)


def recognised_product(decision_date: dt.date = DECISION["decision_date"], **decision) -> Product:
    item = product()
    recognitions.recognise(item, actor="test", **{**DECISION, "decision_date": decision_date, **decision})
    return item


def index_now() -> None:
    """Commit as a request would, so the after-commit hook drains the search outbox."""
    from catalog.platform import transaction
    transaction.commit()


def catalog_products() -> dict[str, Product]:
    """A small catalog around DOMAIN.md's Vĩnh Tuy example, recognised and indexed."""
    anh_tai = producer(name="HTX Anh Tài", address="thôn Vĩnh Chính")
    tuong = producer(name="Hộ kinh doanh Phạm Đức Tương", kind="household", address="thôn Tự Lập")
    do_khoa = producer(name="Cơ sở sản xuất chè Độ Khoa", kind="other", address="thôn Tân Lập")
    dak_lak = producer(name="HTX Cà phê Ea Tu", commune_code=commune("99066", "Ea Tu", "66").code)
    an_giang = producer(name="Công ty TNHH Thành Đạt", kind="enterprise",
                        commune_code=commune("99091", "Phú Quốc", "91").code)
    hanoi = producer(name="HTX Gốm Bát Tràng", commune_code=commune("99010", "Bát Tràng", "01").code)
    specs = {
        "cam": ("Cam sành Hà Giang (hộp 5kg)", 1, anh_tai, "65"),
        "hop_tam": ("Trà shan tuyết Hợp tâm Tương Mai (gói 200 gram)", 11, tuong, "61"),
        "dac_biet": ("Trà shan tuyết đặc biệt Tương Mai", 11, tuong, "63.5"),
        "do_khoa": ("Trà San tuyết công phu Độ Khoa (Hộp 200 gram)", 11, do_khoa, "62"),
        "ca_phe": ("Cà phê rang xay Ea Tu", 13, dak_lak, "78"),
        "nuoc_mam": ("Nước mắm Phú Quốc Thành Đạt", 9, an_giang, "92"),
        "gom": ("Bình gốm men lam Phương Nguyên", 21, hanoi, "72"),
        "mat_ong": ("Mật ong hoa bạc hà", 4, tuong, "55"),
    }
    made = {}
    for key, (name, product_set, owner, score) in specs.items():
        item = product(name=name, product_set=product_set, producer_id=owner.id,
                       description="Sản phẩm của thôn Tự Lập, gần vườn chè Tương Mai." if key == "mat_ong" else None)
        stars_level = "national" if float(score) >= 90 else "province"
        recognitions.recognise(item, actor="test", **{**DECISION, "score": score, "level": stars_level,
                                                      "decision_number": f"{len(made) + 100}/QĐ-UBND"})
        made[key] = item
    index_now()
    return made


def stamped_product(count: int = 5, gtin: str = "8934563138165"):
    """A recognised product with a GTIN, a lot with its events, and a batch of stamps bound to the lot."""
    from catalog.trace import lots, stamps
    item = product(gtin=gtin)
    recognitions.recognise(item, actor="test", **DECISION)
    lot = lots.create_lot(item, code="CS-2026.05", production_date="2026-05-02", expiry_date="2026-06-15",
                          quantity="1200", unit="hộp", origin_area_code="VT-HG-0012",
                          origin_place="Vườn cam thôn Vĩnh Chính", standards=["vietgap"])
    lots.add_event(lot, kind="harvesting", occurred_at="2026-05-01T06:30:00+07:00", place="Vườn cam Vĩnh Chính",
                   location_code="VT-HG-0012", actor="HTX Anh Tài", details="Thu hái 1,2 tấn cam sành")
    lots.add_event(lot, kind="inspecting", occurred_at="2026-05-02T09:00:00+07:00", place="Trung tâm kiểm nghiệm",
                   actor="Trung tâm Kỹ thuật TCĐLCL", document_title="Phiếu kết quả thử nghiệm",
                   document_ref="KQ-2026-0412")
    batch = stamps.issue_batch(item, count, actor="test", lot=lot)
    return item, lot, batch


PASSWORD = "correct horse battery staple"
_password_hash: list[str] = []


def user(role: str = "officer", email: str | None = None):
    """An active account; the password is :data:`PASSWORD` (hashed once per run: scrypt is slow on purpose)."""
    from werkzeug.security import generate_password_hash

    from catalog.accounts.models import User
    if not _password_hash:
        _password_hash.append(generate_password_hash(PASSWORD))
    account = User(email=email or f"{role}{next(_counter)}@ocop.example.vn", role=role,
                   password_hash=_password_hash[0], active=True)
    db.session.add(account)
    db.session.flush()
    return account


def sign_in(client, role: str = "officer", **kwargs):
    """Sign ``client`` in through the login form, as a person would, and return the account."""
    account = user(role, **kwargs)
    response = client.post("/admin/login", data={"email": account.email, "password": PASSWORD,
                                                 "csrf_token": csrf_token(client)})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return account


def post_form(client, path: str, data: dict, *, form: str | None = None, **kwargs):
    """Submit ``data`` to ``path`` as a person would: with the CSRF token of the form at ``form`` (default ``path``)."""
    return client.post(path, data={**data, "csrf_token": csrf_token(client, form or path)}, **kwargs)


def csrf_token(client, path: str = "/admin/login") -> str:
    """The CSRF token the form at ``path`` carries for this client's session."""
    import re

    page = client.get(path).get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, f"no CSRF token in {path}"
    return found.group(1)
