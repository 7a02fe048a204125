"""E-mail: always sent by a job, to a real SMTP server on loopback (aiosmtpd) or, without one, to a folder;
and its first use, the notice to an account whose sign-in was locked."""
from __future__ import annotations

import datetime as dt
import email
import email.policy
import logging
import socket
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from catalog.accounts import operations as accounts
from catalog.platform import jobs, mail, transaction
from catalog.platform.job_models import JobFailure
from tests import factories
from tests.test_accounts_security import ATTACKER, OFFICE, post_login

SUBJECT = "Thông báo: sản phẩm OCOP “Mắm tôm Hậu Lộc” sắp hết hạn công nhận"
BODY = "Kính gửi Hợp tác xã Đồng Tiến,\n\nGiấy chứng nhận 4 sao hết hiệu lực ngày 01/06/2026.\n"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        parsed = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 OK"


@pytest.fixture()
def smtp_server(app, monkeypatch):
    """A real SMTP server on loopback, and the app configured to send through it."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", controller.port)
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture()
def mail_folder(app, monkeypatch, tmp_path) -> Path:
    folder = tmp_path / "mail"
    monkeypatch.setitem(app.config, "MAIL_SERVER", None)
    monkeypatch.setitem(app.config, "MAIL_FOLDER", str(folder))
    return folder


def written(folder: Path) -> list[email.message.EmailMessage]:
    return [email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            for path in sorted(folder.glob("*.eml"))] if folder.exists() else []


def test_the_job_delivers_a_utf8_vietnamese_message_with_its_headers_to_the_server(session, smtp_server):
    mail.send_after_commit("Chị Lan <lan@htx-dongtien.example.vn>", SUBJECT, BODY)
    assert smtp_server.messages == []                         # nothing before the commit
    transaction.commit()
    [(sender, recipients, message)] = smtp_server.messages
    assert (sender, recipients) == ("no-reply@localhost", ["lan@htx-dongtien.example.vn"])
    assert message["Subject"] == SUBJECT and message["From"] == "OCOP <no-reply@localhost>"
    assert message["To"] == "Chị Lan <lan@htx-dongtien.example.vn>"
    assert message["Date"] and message["Message-ID"].endswith("@localhost>")
    assert message.get_content_type() == "text/plain" and message.get_content_charset() == "utf-8"
    assert message.get_content().replace("\r\n", "\n") == BODY
    raw = message.as_bytes()
    assert "Thông báo".encode() not in raw.split(b"\n\n")[0]   # the header is encoded (RFC 2047), not raw UTF-8


def test_nothing_is_sent_when_the_transaction_rolls_back(session, smtp_server):
    factories.user("officer")
    mail.send_after_commit("lan@htx-dongtien.example.vn", SUBJECT, BODY)
    session.rollback()
    transaction.commit()
    assert smtp_server.messages == []


def test_an_address_or_subject_a_message_cannot_carry_is_refused_at_once(session, mail_folder):
    for to, subject in (("a@x.vn, b@x.vn", "x"), ("not an address", "x"), ("a@x.vn\r\nBcc: b@x.vn", "x"),
                        ("a@x.vn", "one\r\nBcc: b@x.vn")):
        with pytest.raises(ValueError):
            mail.send_after_commit(to, subject, BODY)
    transaction.commit()
    assert written(mail_folder) == []


def test_without_a_server_each_message_is_written_to_the_folder_and_logged(session, mail_folder, caplog):
    caplog.set_level(logging.INFO, logger="catalog.platform.mail")
    mail.send_after_commit("lan@htx-dongtien.example.vn", SUBJECT, BODY)
    transaction.commit()
    [path] = mail_folder.glob("*.eml")
    [message] = written(mail_folder)
    assert message["Subject"] == SUBJECT and message.get_content().replace("\r\n", "\n") == BODY
    assert [r for r in caplog.records if r.levelno == logging.INFO and str(path) in r.getMessage()]


def _scheduled_mail() -> list:
    huey = jobs.queue().huey
    return [task for task in huey.scheduled() if task.name == mail.SEND_JOB]


def test_a_server_that_is_down_fails_no_request_and_the_job_is_retried_then_listed(app, client, session,
                                                                                   monkeypatch, frozen_clock):
    frozen_clock(dt.datetime(2026, 6, 1, 2, 0, tzinfo=dt.UTC))
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())         # nobody listens there
    huey = jobs.queue().huey
    huey.storage.flush_schedule()
    officer = factories.user("officer")
    for _ in range(accounts.LOCK_AFTER):
        assert post_login(client, officer.email, "guess").status_code == 401
    assert "locked until" in post_login(client, officer.email, "guess").get_data(as_text=True)
    [retry] = _scheduled_mail()                        # the first try failed; the next is scheduled, later
    assert retry.retries == mail.RETRIES - 1 and list(retry.args)[0] == officer.email
    tries = 1
    while tasks := huey.read_schedule(dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(days=1)):
        for task in tasks:
            task.eta = None                            # its time has come, as the worker's scheduler would see
            huey.execute(task)
            tries += 1
    assert tries == mail.RETRIES + 1
    failure = session.scalars(select(JobFailure).where(JobFailure.name == mail.SEND_JOB)).one()
    assert failure.args[0] == officer.email and failure.tries == mail.RETRIES + 1
    assert "Connection refused" in failure.error or "ConnectionRefused" in failure.error


def test_a_lock_sends_one_notice_to_a_known_account_and_none_for_an_unknown_address(client, session, mail_folder,
                                                                                     frozen_clock):
    frozen_clock(dt.datetime(2026, 6, 1, 2, 0, tzinfo=dt.UTC))
    officer = factories.user("officer")
    for _ in range(accounts.LOCK_AFTER + 3):                  # locked at the 5th; 3 more while locked
        post_login(client, officer.email, "guess")
        post_login(client, "nobody-here@ocop.example.vn", "guess")
    [notice] = written(mail_folder)
    assert notice["To"] == officer.email
    assert notice["Subject"].startswith("Đăng nhập") and notice["Subject"].endswith("was locked")
    text = notice.get_content()
    vietnamese, english = text.split("-----")
    assert f"từ mạng {ATTACKER}" in vietnamese and "đến 01/06/2026 09:15 (UTC+07:00)" in vietnamese
    assert "mật khẩu của bạn chưa bị đoán ra" in vietnamese
    assert f"from the network {ATTACKER}" in english and "until 1 Jun 2026 09:15 (UTC+07:00)" in english
    assert "your password was not guessed" in english and "sign in from your usual network" in english

    # another network locks apart: one more notice; then, the first lock over, a second lock there: one more
    for _ in range(accounts.LOCK_AFTER):
        post_login(client, officer.email, "guess", address=OFFICE)
    frozen_clock(dt.datetime(2026, 6, 1, 2, 16, tzinfo=dt.UTC))
    for _ in range(accounts.LOCK_AFTER + 2):
        post_login(client, officer.email, "guess")
    notices = written(mail_folder)
    assert len(notices) == 3 and {m["To"] for m in notices} == {officer.email}
    assert "đến 01/06/2026 09:46" in notices[-1].get_content()       # the second lock lasts 30 minutes
