"""E-mail: THE way the service sends a message, always from a job, never inside a request.

:func:`send_after_commit` queues the job ``mail.send`` once the writing transaction has committed (nothing
if it rolls back). The job builds a plain-text UTF-8 message (``Date``, ``Message-ID``, ``From``, ``To``,
a ``Subject`` encoded as RFC 2047 when it is not ASCII) and:

- without ``MAIL_SERVER`` (the default, so ``./dev serve`` needs no mail server), writes it as an ``.eml``
  file in ``MAIL_FOLDER`` (default ``instance/mail``) and logs one INFO line naming the file;
- with ``MAIL_SERVER``, sends it with the standard library's :mod:`smtplib` (``MAIL_PORT``, STARTTLS with
  ``MAIL_USE_TLS``, TLS from the start with ``MAIL_USE_SSL``, ``MAIL_USERNAME``/``MAIL_PASSWORD`` when set),
  waiting at most :data:`SMTP_TIMEOUT` seconds for the server.

A server that is down or refuses the message makes the job raise: the queue tries again with a growing
delay (:data:`RETRIES` times, the first after :data:`RETRY_DELAY` seconds, each further one twice as long),
then lists it among the failed jobs, where an administrator can retry it.
"""
from __future__ import annotations

import logging
import smtplib
import ssl
import uuid
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path

from flask import current_app

from catalog.kernel import clock
from catalog.kernel.i18n import N_
from catalog.platform import jobs

log = logging.getLogger(__name__)

SEND_JOB = "mail.send"
SMTP_TIMEOUT = 10.0         # seconds to connect to the server and for each of its answers
RETRIES = 6                 # after the first try: 1, 2, 4, 8, 16 and 32 minutes later
RETRY_DELAY = 60


def send_after_commit(to: str, subject: str, text_body: str) -> None:
    """Mail ``text_body`` (plain text) to the one address ``to`` once this transaction has committed.

    Refuses at once (ValueError) an address or subject a message cannot carry, so a mistake is the
    caller's error, not a job failing six times later."""
    compose(to, subject, text_body, sender=current_app.config["MAIL_DEFAULT_SENDER"])
    jobs.enqueue_after_commit(SEND_JOB, to, subject, text_body)


def compose(to: str, subject: str, text_body: str, *, sender: str) -> EmailMessage:
    """The message as it is sent: plain text in UTF-8, with its headers."""
    name, address = parseaddr(to)
    if not address or "@" not in address or any(c in to for c in "\r\n,;"):
        raise ValueError(f"not one e-mail address: {to!r}")
    if any(c in subject for c in "\r\n"):
        raise ValueError("a subject is one line")
    message = EmailMessage(policy=SMTP_POLICY)
    message["Date"] = format_datetime(clock.now())
    message["Message-ID"] = make_msgid(domain=_domain(sender))
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message.set_content(text_body, charset="utf-8")
    return message


def _domain(sender: str) -> str:
    address = parseaddr(sender)[1]
    return address.rpartition("@")[2] or "localhost"


@jobs.job(SEND_JOB, N_("E-mail: sending a message"), retries=RETRIES, retry_delay=RETRY_DELAY)
def send(to: str, subject: str, text_body: str) -> str:
    """Send (or, without ``MAIL_SERVER``, write to ``MAIL_FOLDER``) one message; where it went."""
    config = current_app.config
    message = compose(to, subject, text_body, sender=config["MAIL_DEFAULT_SENDER"])
    if not config.get("MAIL_SERVER"):
        return str(_write(message, Path(config.get("MAIL_FOLDER") or Path(current_app.instance_path) / "mail")))
    _deliver(message, config)
    log.info("mail %s sent to %s through %s", message["Message-ID"], to, config["MAIL_SERVER"])
    return str(config["MAIL_SERVER"])


def _write(message: EmailMessage, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{clock.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:12]}.eml"
    path.write_bytes(message.as_bytes())
    log.info("mail to %s written to %s (no MAIL_SERVER set)", message["To"], path)
    return path


def _deliver(message: EmailMessage, config) -> None:
    host, port = config["MAIL_SERVER"], int(config["MAIL_PORT"])
    context = ssl.create_default_context()
    smtp: smtplib.SMTP
    if config["MAIL_USE_SSL"]:
        smtp = smtplib.SMTP_SSL(host, port, timeout=SMTP_TIMEOUT, context=context)
    else:
        smtp = smtplib.SMTP(host, port, timeout=SMTP_TIMEOUT)
    with smtp:
        if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
            smtp.starttls(context=context)
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        smtp.send_message(message)
