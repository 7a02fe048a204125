"""Who may open what in the admin area: every route, every role, and anonymous; sign-in rules."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from catalog.accounts import operations as accounts
from catalog.accounts.models import User
from catalog.imports import runs
from catalog.kernel import clock
from catalog.platform.job_models import JobFailure
from catalog.trace.models.stamps import Stamp
from tests import factories

ROLES = ("editor", "officer", "admin")
#: What each admin module's pages need, written out here (not read from the code under test).
MODULE_PERMISSION = {
    "catalog.admin.dashboard": "view", "catalog.accounts.signin": "view", "catalog.jobs.views": "users",
    "catalog.records.producer_views": "records", "catalog.records.product_views": "records",
    "catalog.trace.lot_views": "records", "catalog.trace.stamp_views": "records",
    "catalog.recognitions.views": "recognitions", "catalog.violations.views": "violations",
    "catalog.violations.report_views": "violations",
    "catalog.accounts.views": "users", "catalog.partners.views": "users", "catalog.audit.views": "users",
    "catalog.exports.views": "view", "catalog.imports.views": "recognitions",
}
ALLOWED = {"view": {"editor", "officer", "admin"}, "records": {"editor", "officer", "admin"},
           "recognitions": {"officer", "admin"}, "violations": {"officer", "admin"}, "users": {"admin"}}


@pytest.fixture()
def world(session, tmp_path):
    """One of every record an admin URL can point at, keyed by the URL variable's name."""
    from catalog.partners import operations as partners
    from catalog.violations import operations as violations
    from catalog.violations import reports
    product, lot, batch = factories.stamped_product(count=3)
    stamp = session.scalars(select(Stamp).where(Stamp.batch_id == batch.id)).first()
    values = {"product_id": product.id, "producer_id": product.producer_id, "lot_id": lot.id,
              "event_id": lot.events[0].id, "batch_id": batch.id,
              "recognition_id": product.recognitions[0].id, "user_id": factories.user("editor").id}
    values.update(stamp_id=stamp.id, code=stamp.code)
    filed = violations.file_violation(product, actor="test", found_on="2026-05-01", category="labelling",
                                      description="Nhãn thiếu hạn sử dụng", uploads=tmp_path,
                                      evidence=[("bien-ban.pdf", b"%PDF-1.4 minimal")])
    values.update(violation_id=filed.id, evidence_id=filed.evidence[0].id)
    report = reports.file_report("ABC", None, name=None, message="Tem bị bóc, nghi hàng giả", photo=None,
                                 network=None, uploads=None)
    values["report_id"] = report.id
    values["partner_id"] = partners.create_partner(name="Sàn thử nghiệm")[0].id
    failure = JobFailure(name="search.update", args=[], error="boom", tries=6)
    session.add(failure)
    session.flush()
    values["failure_id"] = failure.id
    values["token"] = runs.start("decisions", "qd.csv", b"product_name\n", "officer@test").token
    return values


def admin_rules(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/admin/") and not rule.endpoint.endswith(".static"):
            yield rule


def url_for_rule(rule, world) -> str:
    missing = [arg for arg in rule.arguments if arg not in world]
    assert not missing, f"{rule.rule}: give the walk a sample value for {missing} in the world fixture"
    return rule.build({arg: world[arg] for arg in rule.arguments}, append_unknown=False)[1]


def expected_permission(app, rule) -> str:
    module = app.view_functions[rule.endpoint].__module__
    assert module in MODULE_PERMISSION, f"{rule.endpoint}: which permission does module {module!r} need?"
    return MODULE_PERMISSION[module]


def test_every_admin_route_checks_the_role_on_the_server(app, client, world):
    rules = [rule for rule in admin_rules(app) if rule.endpoint not in ("accounts.login", "accounts.logout")]
    assert len(rules) >= 10
    token = factories.csrf_token(client)
    for rule in rules:                                      # anonymous: sent to sign in, nothing run
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url_for_rule(rule, world), method=method, data={"csrf_token": token})
            assert response.status_code == 302, (method, rule.rule, response.status_code)
            assert "/admin/login" in response.headers["Location"]
    for role in ROLES:
        signed_in = app.test_client()
        factories.sign_in(signed_in, role)
        token = factories.csrf_token(signed_in, "/admin/")
        for rule in rules:
            allowed = role in ALLOWED[expected_permission(app, rule)]
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                response = signed_in.open(url_for_rule(rule, world), method=method, data={"csrf_token": token})
                where = (role, method, rule.rule, response.status_code)
                if allowed:
                    assert response.status_code not in (401, 403) and response.status_code < 500, where
                else:
                    assert response.status_code == 403, where


def test_a_view_without_a_declared_permission_is_closed_to_everyone(app):
    for rule in admin_rules(app):
        view = app.view_functions[rule.endpoint]
        assert getattr(view, "public_admin_view", False) or hasattr(view, "required_permission"), rule.endpoint


def test_sign_in_and_out(client, session):
    account = factories.user("editor")
    page = client.get("/admin/")
    assert page.status_code == 302 and "/admin/login" in page.headers["Location"]
    token = factories.csrf_token(client)
    wrong = client.post("/admin/login", data={"email": account.email, "password": "nope", "csrf_token": token})
    assert wrong.status_code == 401 and "password is wrong" in wrong.get_data(as_text=True).replace(
        "mật khẩu không đúng", "password is wrong")
    right = client.post("/admin/login?next=/admin/products", data={
        "email": account.email.upper(), "password": factories.PASSWORD, "csrf_token": token})
    assert right.status_code == 303 and right.headers["Location"] == "/admin/products"
    cookie = right.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get("/admin/").status_code == 200
    out = client.post("/admin/logout", data={"csrf_token": factories.csrf_token(client, "/admin/")})
    assert out.status_code == 303
    assert client.get("/admin/").status_code == 302


def test_login_form_refuses_an_open_redirect(client, session):
    account = factories.user("editor")
    response = client.post("/admin/login?next=https://evil.example/x", data={
        "email": account.email, "password": factories.PASSWORD, "csrf_token": factories.csrf_token(client)})
    assert response.headers["Location"] == "/admin/"


def test_session_cookie_is_secure_over_https(client, session):
    account = factories.user("editor")
    token = factories.csrf_token(client)
    response = client.post("/admin/login", base_url="https://localhost", data={
        "email": account.email, "password": factories.PASSWORD, "csrf_token": token},
        headers={"Referer": "https://localhost/admin/login"})     # Flask-WTF checks it over HTTPS
    assert response.status_code == 303
    assert "Secure" in response.headers["Set-Cookie"]


def test_forms_without_csrf_token_are_refused(client, session):
    account = factories.user("admin")
    response = client.post("/admin/login", data={"email": account.email, "password": factories.PASSWORD})
    assert response.status_code == 400
    factories.sign_in(client, "admin")
    refused = client.post("/admin/users/new", data={"email": "x@example.vn", "role": "editor",
                                                     "password": "long enough password"})
    assert refused.status_code == 400
    assert session.scalar(select(User).where(User.email == "x@example.vn")) is None


def test_an_account_locks_after_repeated_failures_and_says_until_when(client, session, frozen_clock):
    frozen_clock(dt.datetime(2026, 6, 1, 2, 0, tzinfo=dt.UTC))
    account = factories.user("officer")
    token = factories.csrf_token(client)
    for _ in range(accounts.LOCK_AFTER):
        client.post("/admin/login", data={"email": account.email, "password": "wrong", "csrf_token": token})
    locked = client.post("/admin/login?lang=en", data={"email": account.email, "password": factories.PASSWORD,
                                                       "csrf_token": token})
    text = locked.get_data(as_text=True)
    assert locked.status_code == 401 and "locked until 09:15" in text        # 02:15 UTC in Hà Nội
    frozen_clock(clock.now() + accounts.LOCK_FOR + dt.timedelta(seconds=1))
    again = client.post("/admin/login", data={"email": account.email, "password": factories.PASSWORD,
                                              "csrf_token": token})
    assert again.status_code == 303


def test_login_is_rate_limited_per_network_with_a_clear_message(app, client, session, monkeypatch):
    monkeypatch.setitem(app.config, "CATALOG_LOGIN_RATE_LIMIT", "3 per 15 minutes")
    token = factories.csrf_token(client)
    statuses = [client.post("/admin/login?lang=en", data={"email": "nobody@example.vn", "password": "x",
                                                          "csrf_token": token},
                            environ_base={"REMOTE_ADDR": "198.51.100.9"}) for _ in range(4)]
    assert [s.status_code for s in statuses] == [401, 401, 401, 429]
    assert re.search(r"Wait 15 minutes", statuses[-1].get_data(as_text=True))


def test_users_command_creates_an_account_from_the_environment(app, session, monkeypatch):
    monkeypatch.setenv("CATALOG_NEW_PASSWORD", "a long enough password")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "Officer@Tuyenquang.gov.vn", "--role", "officer"])
    assert result.exit_code == 0, result.output
    created = session.scalar(select(User).where(User.email == "officer@tuyenquang.gov.vn"))
    assert created.role == "officer" and created.password_hash.startswith("scrypt:")
    assert "a long enough password" not in created.password_hash
    refused = runner.invoke(args=["users", "create", "officer@tuyenquang.gov.vn", "--role", "officer"])
    assert refused.exit_code != 0 and "already taken" in refused.output
