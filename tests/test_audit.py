"""The audit log: admin and CLI writes are recorded with who, when, what and how; visitors' are not;
administrators browse and filter it; nobody can change or delete an entry, not even with SQL."""
from __future__ import annotations

import datetime as dt
import getpass
import re

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy import select

from catalog import create_app
from catalog.accounts import operations as accounts
from catalog.accounts.models import User
from catalog.audit import operations as audit
from catalog.audit.models import AuditEntry
from catalog.kernel import clock, recognitions
from catalog.kernel.db import db
from catalog.kernel.models.history import AppendOnlyError
from catalog.kernel.models.recognitions import Recognition
from catalog.platform import actor
from catalog.trace import lots
from catalog.trace.models.lots import TraceEvent
from catalog.trace.models.stamps import Stamp
from tests import factories

NOW = dt.datetime(2026, 6, 1, 3, 0, tzinfo=dt.UTC)          # 10:00 in Hà Nội


def entries(session, *where) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).where(*where).order_by(AuditEntry.id)))


def post_form(client, path: str, data: dict, form: str | None = None):
    return client.post(path, data={**data, "csrf_token": factories.csrf_token(client, form or path)})


def signed_in(client, role: str, **kwargs):
    account = factories.sign_in(client, role, **kwargs)
    client.get("/admin/?lang=en")                             # English pages from here on
    return account


# -- what is recorded -----------------------------------------------------------------------------

def test_an_officer_revoking_a_product_shows_in_the_audit_log(client, app, session, frozen_clock):
    frozen_clock(NOW)
    item = factories.recognised_product()
    recognition = item.recognitions[0]
    officer = signed_in(client, "officer", email="can.bo@tuyenquang.gov.vn")
    path = f"/admin/recognitions/{recognition.id}/revoke"
    refused = post_form(client, path, {})                     # refused: rolled back, so nothing recorded
    assert refused.status_code == 422 and entries(session, AuditEntry.object_type != "User") == []
    done = post_form(client, path, {**factories.REVOCATION, "revoked_on": "2026-05-30"})
    assert done.status_code == 303

    [entry] = entries(session, AuditEntry.object_type == "Recognition")
    assert (entry.actor, entry.action, entry.object_id, entry.summary, entry.at) == (
        officer.email, "update", str(recognition.id), "2751/QĐ-UBND", NOW)
    assert entry.changes["revocation_ground"] == [None, "criteria_not_met"]
    assert entry.changes["revocation_decision"] == [None, "118/QĐ-UBND"]
    assert entry.changes["revoked_on"] == [None, "2026-05-30"]
    assert entry.changes["revoked_at"][0] is None and entry.changes["revoked_at"][1].startswith("2026-05-2")
    assert actor.current_actor() is None                  # forgotten when the request ended

    admin = app.test_client()
    signed_in(admin, "admin")
    page = admin.get(f"/admin/audit?object_type=Recognition&object_id={recognition.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert officer.email in html and "changed" in html and "2751/QĐ-UBND" in html
    assert '<time datetime="2026-06-01T03:00:00+00:00">1 Jun 2026 10:00:00</time>' in html     # local time
    row = re.search(r"<code>revocation_ground</code>:\s*<del>(.*?)</del> → <ins>(.*?)</ins>", html)
    assert row and row.groups() == ("—", "criteria_not_met")
    assert re.search(r"<code>revoked_on</code>:\s*<del>—</del> → <ins>30 May 2026</ins>", html)
    assert re.search(r"<code>revoked_at</code>:\s*<del>—</del> → <ins>\d+ May 2026 \d\d:\d\d:\d\d</ins>", html)
    assert f'href="/admin/products/{item.id}"' in html         # a recognition is shown on its product's page


def test_an_editor_editing_a_product_records_the_fields_before_and_after(client, session, frozen_clock):
    frozen_clock(NOW)
    product = factories.product(packaging="hộp 5kg")
    editor = signed_in(client, "editor")
    path = f"/admin/products/{product.id}/edit"
    saved = post_form(client, path, {"name": product.name, "producer_id": str(product.producer_id),
                                     "product_set": "1", "packaging": "thùng 10kg", "standards": ["vietgap"]})
    assert saved.status_code == 303
    [entry] = entries(session, AuditEntry.object_type == "Product")
    assert (entry.actor, entry.action, entry.object_id, entry.summary) == (
        editor.email, "update", str(product.id), product.name)
    assert entry.changes["packaging"] == ["hộp 5kg", "thùng 10kg"]
    assert entry.changes["standards"] == [[], ["vietgap"]]
    assert "name" not in entry.changes                         # unchanged fields are not listed


def test_a_cli_command_is_recorded_as_cli_without_the_password_hash(app, session, monkeypatch):
    monkeypatch.setenv("CATALOG_NEW_PASSWORD", "a long enough password")
    result = app.test_cli_runner().invoke(args=["users", "create", "lan@tuyenquang.gov.vn", "--role", "officer"])
    assert result.exit_code == 0, result.output
    created = session.scalar(select(User).where(User.email == "lan@tuyenquang.gov.vn"))
    [entry] = entries(session, AuditEntry.object_type == "User")
    assert (entry.actor, entry.action, entry.object_id, entry.summary) == (
        f"cli:{getpass.getuser()}", "create", str(created.id), "lan@tuyenquang.gov.vn")
    assert entry.changes["role"] == [None, "officer"] and entry.changes["email"] == [None, created.email]
    assert entry.changes["password_hash"] == "(set)"
    assert created.password_hash not in repr(entry.changes) and "scrypt" not in repr(entry.changes)


def test_public_scans_and_consumer_reports_record_nothing_even_after_an_admin_request(client, app, session):
    _product, _lot, batch = factories.stamped_product()
    code = session.scalars(select(Stamp.code).where(Stamp.batch_id == batch.id)).first()
    admin = app.test_client()
    signed_in(admin, "admin")
    assert admin.get("/admin/audit").status_code == 200         # the actor was set for that request...
    before = len(entries(session))
    assert client.get(f"/s/{code}").status_code == 200         # ...and is not left for the next one
    page = client.get(f"/s/{code}/report").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    sent = client.post(f"/s/{code}/report", data={"csrf_token": token, "message": "Tem bị bóc ra dán lại"})
    assert sent.status_code == 303
    assert len(entries(session)) == before
    assert entries(session, AuditEntry.object_type == "ConsumerReport") == []


def test_creates_and_deletes_record_every_value_json_safe(session, frozen_clock):
    frozen_clock(NOW)
    actor.set_actor("test@ocop.example.vn")
    try:
        item = factories.recognised_product()
        lot = lots.create_lot(item, code="CS-2026.05", production_date="2026-05-02", quantity="1200.5", unit="hộp")
        event = lots.add_event(lot, kind="harvesting", occurred_at="2026-05-01T06:30:00+07:00", place="Vườn cam",
                               actor="HTX Anh Tài")
        session.delete(event)
        session.flush()
    finally:
        actor.set_actor(None)
    [recognition] = entries(session, AuditEntry.object_type == "Recognition")
    assert recognition.action == "create" and recognition.changes["score"] == [None, "65.00"]
    assert recognition.changes["decision_date"] == [None, "2024-12-20"]
    [made_lot] = entries(session, AuditEntry.object_type == "Lot")
    assert made_lot.changes["quantity"] == [None, "1200.500"]
    assert made_lot.changes["production_date"] == [None, "2026-05-02"] and "id" not in made_lot.changes
    created, deleted = entries(session, AuditEntry.object_type == "TraceEvent")
    assert (created.action, deleted.action, deleted.object_id) == ("create", "delete", str(event.id))
    assert deleted.changes["place"] == ["Vườn cam", None]
    assert deleted.changes["occurred_at"] == ["2026-04-30T23:30:00+00:00", None]
    assert session.get(TraceEvent, event.id) is None


def test_nothing_is_recorded_without_an_actor_or_during_a_bulk_load(session):
    factories.recognised_product()                              # no request, no command: nobody to name
    actor.set_actor("test@ocop.example.vn")
    session.info[audit.BULK_LOAD] = True
    try:
        factories.product()
    finally:
        session.info.pop(audit.BULK_LOAD)
        actor.set_actor(None)
    assert entries(session) == []


# -- browsing -------------------------------------------------------------------------------------

@pytest.fixture()
def logged(session):
    """Entries of several kinds, days and people (written as the capture writes them: inserts only)."""
    def add(at, actor, action, object_type, object_id, summary, changes=None):
        session.add(AuditEntry(at=at, actor=actor, action=action, object_type=object_type, object_id=object_id,
                               summary=summary, changes=changes or {}))
    add(dt.datetime(2026, 5, 1, 2, tzinfo=dt.UTC), "lan@ocop.example.vn", "create", "Product", "7",
        "Trà shan tuyết Hợp tâm", {"name": [None, "Trà shan tuyết Hợp tâm"]})
    add(dt.datetime(2026, 5, 3, 2, tzinfo=dt.UTC), "minh@ocop.example.vn", "update", "Product", "7",
        "Trà shan tuyết Hợp tâm", {"packaging": ["gói 100g", "gói 200g"]})
    add(dt.datetime(2026, 5, 5, 2, tzinfo=dt.UTC), "cli:deploy", "update", "Recognition", "3", "118/QĐ-UBND",
        {"revocation_ground": [None, "misuse"]})
    add(dt.datetime(2026, 5, 7, 20, tzinfo=dt.UTC), "lan@ocop.example.vn", "create", "Producer", "2", "HTX Anh Tài")
    session.flush()


def shown(client, query: str) -> list[str]:
    html = client.get(f"/admin/audit?{query}").get_data(as_text=True)
    return re.findall(r"<tr>\s*<td><time datetime=\"([^\"]+)\"", html)


def test_the_log_is_newest_first_and_every_filter_narrows_it(client, session, logged):
    signed_in(client, "admin")
    everything = shown(client, "")
    assert everything == sorted(everything, reverse=True) and len(everything) == 5   # with the admin's sign-in
    assert len(shown(client, "actor=lan@")) == 2
    assert len(shown(client, "actor=cli:")) == 1
    assert len(shown(client, "object_type=Product")) == 2
    assert len(shown(client, "object_type=Product&object_id=7&action=update")) == 1
    assert len(shown(client, "date_from=2026-05-03&date_to=2026-05-05")) == 2
    assert len(shown(client, "date_from=2026-05-08&date_to=2026-05-31")) == 1   # 20:00 UTC on 7 May: 8 May here
    assert len(shown(client, "q=tra+shan")) == 2                 # accent-insensitive
    assert len(shown(client, "q=118")) == 1
    html = client.get("/admin/audit?object_type=Product&object_id=7").get_data(as_text=True)
    assert re.search(r"<code>packaging</code>:\s*<del>gói 100g</del> → <ins>gói 200g</ins>", html)
    bad = client.get("/admin/audit?object_type=Nonsense&date_from=yesterday")
    assert bad.status_code == 422 and 'id="object_type-error"' in bad.get_data(as_text=True)


def test_the_log_is_paged(client, session):
    for number in range(55):
        session.add(AuditEntry(at=NOW + dt.timedelta(seconds=number), actor="cli:deploy", action="create",
                               object_type="Stamp", object_id=str(number), summary=f"S{number:03}", changes={}))
    session.flush()
    signed_in(client, "admin")
    first = client.get("/admin/audit?actor=cli:deploy").get_data(as_text=True)
    assert "S054" in first and "S004" not in first and "page=2" in first
    second = client.get("/admin/audit?actor=cli:deploy&page=2").get_data(as_text=True)
    assert "S004" in second and "S054" not in second


@pytest.mark.parametrize("role", ["editor", "officer"])
def test_only_administrators_may_read_the_log(client, session, role):
    signed_in(client, role)
    assert client.get("/admin/audit").status_code == 403
    assert 'href="/admin/audit"' not in client.get("/admin/").get_data(as_text=True)


def test_the_product_page_links_to_its_history_for_administrators(client, session):
    product = factories.product()
    signed_in(client, "admin")
    html = client.get(f"/admin/products/{product.id}").get_data(as_text=True)
    assert f"/admin/audit?object_type=Product&amp;object_id={product.id}" in html


def test_no_admin_route_can_change_the_log(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/admin/audit"):
            assert rule.methods - {"GET", "HEAD", "OPTIONS"} == set(), rule


# -- append-only ----------------------------------------------------------------------------------

def _one_entry(session) -> AuditEntry:
    entry = AuditEntry(actor="lan@ocop.example.vn", action="update", object_type="Product", object_id="7",
                       summary="Cam sành", changes={"packaging": ["a", "b"]})
    session.add(entry)
    session.flush()
    return entry


def test_entries_cannot_be_changed_or_deleted_through_the_orm(session):
    entry = _one_entry(session)
    entry.actor = "someone.else@ocop.example.vn"
    with pytest.raises(AppendOnlyError, match="never updated"):
        session.flush()
    session.rollback()
    session.delete(_one_entry(session))
    with pytest.raises(AppendOnlyError, match="never deleted"):
        session.flush()
    session.rollback()


@pytest.mark.parametrize("statement", [
    "UPDATE audit_entries SET actor = 'someone.else@ocop.example.vn'",
    "DELETE FROM audit_entries",
])
def test_the_database_refuses_to_change_or_delete_entries(session, statement):
    _one_entry(session)
    with pytest.raises(sa.exc.DatabaseError, match="append-only"):
        with session.begin_nested():
            session.connection().exec_driver_sql(statement)
    assert len(entries(session)) == 1


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_both_databases_refuse_to_change_or_delete_entries(scratch_database, backend):
    app = create_app({"DATABASE_URL": scratch_database(backend), "SECRET_KEY": "x"})
    with app.app_context():
        upgrade()
        with db.engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO audit_entries (at, actor, action, object_type, object_id, summary, changes) "
                "VALUES ('2026-06-01 03:00:00', 'cli:deploy', 'create', 'Product', '7', 'Cam', '{}')")
        statements = ["UPDATE audit_entries SET summary = 'x'", "DELETE FROM audit_entries"]
        if backend == "postgresql":
            statements.append("TRUNCATE audit_entries")
        for statement in statements:
            with pytest.raises(sa.exc.DatabaseError, match="append-only"), db.engine.begin() as connection:
                connection.exec_driver_sql(statement)
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT summary FROM audit_entries").scalar_one() == "Cam"
        db.session.remove()
        db.engine.dispose()


def test_recognitions_revoked_in_the_core_by_hand_are_not_attributed_to_anyone(session):
    """Outside a request or a command (a script, a test) nothing names a person: no entry is invented."""
    item = factories.recognised_product()
    recognitions.revoke(item.recognitions[0], actor="officer@tuyenquang.gov.vn",
                        **{**factories.REVOCATION, "revoked_on": dt.date(2026, 3, 9)})
    assert session.scalar(select(Recognition.revoked_on)) == dt.date(2026, 3, 9)
    assert entries(session) == []


def test_failed_sign_ins_a_lock_and_a_sign_in_are_recorded_against_the_account(client, session, frozen_clock):
    frozen_clock(dt.datetime(2026, 6, 1, 2, 0, tzinfo=dt.UTC))
    account = factories.user("officer")
    token = factories.csrf_token(client)
    for password in ["wrong"] * accounts.LOCK_AFTER:
        client.post("/admin/login", data={"email": account.email, "password": password, "csrf_token": token},
                    environ_base={"REMOTE_ADDR": "203.0.113.7"})
    frozen_clock(clock.now() + accounts.LOCK_FOR + dt.timedelta(seconds=1))
    client.post("/admin/login", data={"email": account.email, "password": factories.PASSWORD, "csrf_token": token},
                environ_base={"REMOTE_ADDR": "203.0.113.7"})
    attempts = entries(session, AuditEntry.object_type == "SignInEvent")
    own = audit.history_of(account)
    assert {entry.actor for entry in attempts + own} == {"sign-in from 203.0.113.7"}
    assert [entry.changes["kind"][1] for entry in attempts] == ["failed"] * accounts.LOCK_AFTER + ["locked"]
    assert {entry.changes["network"][1] for entry in attempts} == {"203.0.113.7"}
    assert {entry.changes["user_id"][1] for entry in attempts} == {account.id}
    assert "last_login_at" in own[-1].changes and "password_hash" not in own[-1].changes
