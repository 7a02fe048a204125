"""Configuration from environment variables, with safe defaults.

``DATABASE_URL``      SQLAlchemy URL; default a SQLite file in the instance folder.
                      ``postgresql://user@host:5432/db`` works as written (psycopg 3).
``CATALOG_MIGRATION_DATABASE_URL`` the URL ``flask db upgrade`` (and ``flask db grants|roles --apply``)
                      connects with, as the role that owns the tables; unset: ``DATABASE_URL``. On
                      PostgreSQL, with ``DATABASE_URL`` a role that owns nothing, the append-only history
                      cannot be truncated nor its triggers disabled by the service (``flask db roles``,
                      :mod:`catalog.platform.database_roles`). Neither URL should be a superuser's.
``SECRET_KEY``        signs sessions; if unset, generated once and kept in
                      ``instance/secret_key`` (never in the repository).
``CATALOG_TIMEZONE``  IANA zone that decision dates are read in; default Asia/Ho_Chi_Minh.
``CATALOG_PUBLIC_URL`` the address of the service's root: printed in QR stamps, and the base of every absolute
                      URL it writes (default http://127.0.0.1:5000).
``CATALOG_TRUSTED_HOSTS`` other host names the service answers for, comma-separated (a leading dot trusts
                      subdomains: ``.example.vn``). The host of ``CATALOG_PUBLIC_URL``, ``localhost`` and
                      ``127.0.0.1`` are always trusted; any other ``Host`` gets 400. Absolute URLs (canonical
                      links, sitemap, robots.txt, Digital Link redirects, API links) always use
                      ``CATALOG_PUBLIC_URL``, whatever host a request names.
``CATALOG_REGISTRY_NAME``, ``CATALOG_OFFICE_NAME`` who speaks on every public page and on the scan page: the
                      registry's name (default "Hệ thống sản phẩm OCOP") and the office that keeps it
                      (default "Văn phòng Điều phối Chương trình OCOP"); proper names, shown as written.
``CATALOG_QR_FORM``   ``short`` (``/S/<code>``, the default) or ``gs1`` (Digital Link when possible).
``REDIS_URL``         rate-limit storage and job queue shared by workers on several machines (default:
                      rate limits in memory per process, the job queue in ``instance/jobs.sqlite3``).
``CATALOG_JOBS_SWEEP_SECONDS`` how often workers look for owed work whose job was lost, and for
                      recognitions that started or lapsed (default 15).
``CATALOG_JOBS_LEASE_SECONDS`` how long a worker holds claimed work (webhook deliveries, an import) before
                      another worker may take it over, the first having died (default 120).
``CATALOG_JOBS_STALE_SECONDS`` ``/healthz`` says ``degraded`` when work has waited longer (default 300).
``CATALOG_JOBS_SQLITE`` where the embedded queue is kept without ``REDIS_URL`` (default ``instance/jobs.sqlite3``).
``CATALOG_JOBS_QUEUE`` the queue's name in its storage (default "catalog"; one per deployment).
``CATALOG_JOBS_IMMEDIATE`` 1: run each job at once where it is queued, no worker (tests, debugging).
``CATALOG_PROXIES``   how many reverse proxies stand in front (their X-Forwarded-For is trusted).
``CATALOG_SCAN_RATE_LIMIT``, ``CATALOG_REPORT_RATE_LIMIT``, ``CATALOG_LOGIN_RATE_LIMIT``  per client
                      (an IPv4 address, an IPv6 /64; defaults "120 per minute", "5 per hour",
                      "10 per 15 minutes"). The scan budget is one per client across ``/s/<code>``,
                      the Digital Link paths and ``/api/v1/stamps/<code>`` without a valid key.
``CATALOG_LOGIN_LOCK_AFTER`` failed sign-ins in a row to one address from one client network (an IPv4
                      address, an IPv6 /64) before signing in to it from there is refused (default 5),
``CATALOG_LOGIN_LOCK_MINUTES`` for this long the first time (default 15), twice as long at each further
                      lock in a row, up to ``CATALOG_LOGIN_LOCK_MAX_HOURS`` (default 24). Other networks
                      are not locked out; unknown addresses lock alike.
``CATALOG_API_RATE_LIMIT`` per valid partner key, one budget across the partner API, stamp checks with
                      the key included (default "600 per minute"); callers without a valid key share
                      one such budget per client network.
``CATALOG_RATE_LIMIT_TIMEOUT`` seconds to wait for the rate-limit store in Redis to connect or answer
                      (default 0.5); past it, limits are counted in memory per process until it answers.
``CATALOG_RATE_LIMIT_WARN_SECONDS`` while that store is unreachable, the warning is logged at most once
                      per this many seconds (default 60).
``CATALOG_MAX_UPLOAD_MB`` largest request body, uploads included (default 64).
``CATALOG_IMPORT_MAX_ROWS``, ``CATALOG_IMPORT_MAX_COLUMNS``, ``CATALOG_IMPORT_MAX_CELL_CHARS``,
``CATALOG_IMPORT_MAX_UNPACKED_MB``, ``CATALOG_IMPORT_MAX_SECONDS`` the most a decision or revocation
                      import reads (page and command alike): rows after the header (default 50000),
                      columns (50), characters in one cell (20000), megabytes an XLSX unpacks to (50),
                      seconds spent reading (120). A file past one is refused, the limit named.
``CATALOG_WEBHOOKS_ALLOW_PRIVATE`` 1: also send webhooks to private, loopback and link-local
                      addresses (default 0: public addresses only, checked at each connection).
``CATALOG_RETRY_AFTER_SECONDS`` the ``Retry-After`` of the 503 answered while the database cannot be
                      reached (default 30).
``CATALOG_OUTAGE_LOG_SECONDS`` while the database cannot be reached, one warning line at most this
                      often (default 60), with the number of requests answered 503 since the last one.
``CATALOG_HSTS_SECONDS`` ``Strict-Transport-Security: max-age`` sent on answers over HTTPS (or every answer
                      when ``CATALOG_PUBLIC_URL`` is https; default 31536000, a year; 0: never sent).
``MAIL_SERVER``       the SMTP server the service sends e-mail through (host name). Unset (the default): each
                      message is written as an ``.eml`` file to ``MAIL_FOLDER`` and one INFO log line names it,
                      so ``./dev serve`` needs no mail server. Mail is always sent by a job (the worker), retried
                      with a growing delay while the server cannot be reached, then listed as a failed job.
``MAIL_PORT``         its port (default 25); ``MAIL_USE_TLS`` 1: STARTTLS after connecting (port 587),
                      ``MAIL_USE_SSL`` 1: TLS from the start (port 465) (both default 0).
``MAIL_USERNAME``, ``MAIL_PASSWORD`` the server's login, when it asks for one (default none).
``MAIL_DEFAULT_SENDER`` the ``From`` of every message (default "OCOP <no-reply@localhost>").
``MAIL_FOLDER``       where messages are written without ``MAIL_SERVER`` (default ``instance/mail``).
``MEILI_URL``, ``MEILI_API_KEY``, ``MEILI_INDEX``  optional Meilisearch in front of the
                      database's own search (SQLite FTS5 / PostgreSQL full-text).
``CATALOG_LOG_FORMAT`` ``json``: every log record as one JSON object per line on standard error
                      (python-json-logger; level INFO; each request's closing record on
                      ``catalog.requests`` with ``request_id``, ``endpoint``, ``method``, ``path``,
                      ``status``, ``duration_ms``; every record emitted during a request carries its
                      ``request_id``). Unset or ``text``: logging as Flask and gunicorn set it up.
                      Either way a request's id is the client's ``X-Request-ID`` when sane (1-128
                      characters among letters, digits and ``. _ : = + / -``), else a new one, and
                      is sent back in the response's ``X-Request-ID``.
``CATALOG_METRICS_TOKEN`` ``/metrics`` (Prometheus text format) answers requests from a loopback
                      address, and when this is set, requests with ``Authorization: Bearer <token>``
                      (compared in constant time); anyone else gets 404. Behind a reverse proxy on the
                      same host, set ``CATALOG_PROXIES`` (a relayed request is not taken for a local
                      one without it) or keep the proxy from passing ``/metrics`` on.
``PROMETHEUS_MULTIPROC_DIR`` read by prometheus-client itself, when it is first imported: under
                      several worker processes (gunicorn ``-w N``), a directory where each process
                      writes its counters, added up by ``/metrics`` whichever worker answers. Empty it
                      (``rm -rf DIR && mkdir DIR``) before the server starts, never while it runs, and
                      in gunicorn's config call ``prometheus_client.multiprocess.mark_process_dead(
                      worker.pid)`` from the ``child_exit(server, worker)`` hook. Unset: each process
                      shows its own figures (fine for one process).
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from catalog.kernel.calendar import DEFAULT_TIMEZONE


def database_url(raw: str | None, instance_path: str) -> str:
    """The SQLAlchemy URL for ``raw``: PostgreSQL URLs use psycopg 3 whatever their spelling."""
    if not raw:
        return "sqlite:///" + str(Path(instance_path) / "catalog.sqlite3")
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix):]
    return raw


def secret_key(instance_path: str) -> str:
    """The key from the instance folder, created (mode 0600) on first use."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
    return key


LOG_FORMATS = ("text", "json")


def from_environment(instance_path: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    env = dict(os.environ if env is None else env)
    timezone = env.get("CATALOG_TIMEZONE") or DEFAULT_TIMEZONE
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise RuntimeError(f"CATALOG_TIMEZONE={timezone!r} is not an IANA time zone") from None
    log_format = (env.get("CATALOG_LOG_FORMAT") or "text").strip().lower()
    if log_format not in LOG_FORMATS:
        raise RuntimeError(f"CATALOG_LOG_FORMAT={log_format!r} is not one of {', '.join(LOG_FORMATS)}")
    return {
        "SQLALCHEMY_DATABASE_URI": database_url(env.get("DATABASE_URL"), instance_path),
        "CATALOG_MIGRATION_DATABASE_URL": env.get("CATALOG_MIGRATION_DATABASE_URL") or None,
        "SECRET_KEY": env.get("SECRET_KEY") or None,
        "CATALOG_TIMEZONE": timezone,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": (env.get("CATALOG_PUBLIC_URL") or "").startswith("https://"),
        "CATALOG_PROXIES": int(env.get("CATALOG_PROXIES") or 0),
        "MEILI_URL": env.get("MEILI_URL") or None,
        "MEILI_API_KEY": env.get("MEILI_API_KEY") or None,
        "MEILI_INDEX": env.get("MEILI_INDEX") or "products",
        "MEILI_TIMEOUT": env.get("MEILI_TIMEOUT") or 5,
        "REDIS_URL": env.get("REDIS_URL") or None,
        "CATALOG_PUBLIC_URL": (env.get("CATALOG_PUBLIC_URL") or "http://127.0.0.1:5000").rstrip("/"),
        "CATALOG_REGISTRY_NAME": env.get("CATALOG_REGISTRY_NAME") or "Hệ thống sản phẩm OCOP",
        "CATALOG_OFFICE_NAME": env.get("CATALOG_OFFICE_NAME") or "Văn phòng Điều phối Chương trình OCOP",
        "CATALOG_TRUSTED_HOSTS": env.get("CATALOG_TRUSTED_HOSTS") or None,
        "CATALOG_QR_FORM": env.get("CATALOG_QR_FORM") or "short",
        "CATALOG_SCAN_RATE_LIMIT": env.get("CATALOG_SCAN_RATE_LIMIT") or "120 per minute",
        "CATALOG_REPORT_RATE_LIMIT": env.get("CATALOG_REPORT_RATE_LIMIT") or "5 per hour",
        "CATALOG_SUSPICIOUS_SCANS": int(env.get("CATALOG_SUSPICIOUS_SCANS") or 20),
        "CATALOG_SUSPICIOUS_NETWORKS": int(env.get("CATALOG_SUSPICIOUS_NETWORKS") or 5),
        "CATALOG_LOGIN_RATE_LIMIT": env.get("CATALOG_LOGIN_RATE_LIMIT") or "10 per 15 minutes",
        "CATALOG_LOGIN_LOCK_AFTER": int(env.get("CATALOG_LOGIN_LOCK_AFTER") or 5),
        "CATALOG_LOGIN_LOCK_MINUTES": float(env.get("CATALOG_LOGIN_LOCK_MINUTES") or 15),
        "CATALOG_LOGIN_LOCK_MAX_HOURS": float(env.get("CATALOG_LOGIN_LOCK_MAX_HOURS") or 24),
        "CATALOG_API_RATE_LIMIT": env.get("CATALOG_API_RATE_LIMIT") or "600 per minute",
        "CATALOG_RATE_LIMIT_TIMEOUT": float(env.get("CATALOG_RATE_LIMIT_TIMEOUT") or 0.5),
        "CATALOG_RATE_LIMIT_WARN_SECONDS": float(env.get("CATALOG_RATE_LIMIT_WARN_SECONDS") or 60),
        "CATALOG_JOBS_SWEEP_SECONDS": float(env.get("CATALOG_JOBS_SWEEP_SECONDS") or 15),
        "CATALOG_JOBS_LEASE_SECONDS": float(env.get("CATALOG_JOBS_LEASE_SECONDS") or 120),
        "CATALOG_JOBS_STALE_SECONDS": float(env.get("CATALOG_JOBS_STALE_SECONDS") or 300),
        "CATALOG_JOBS_QUEUE": env.get("CATALOG_JOBS_QUEUE") or "catalog",
        "CATALOG_JOBS_SQLITE": env.get("CATALOG_JOBS_SQLITE") or None,
        "CATALOG_JOBS_IMMEDIATE": (env.get("CATALOG_JOBS_IMMEDIATE") or "0").lower() in ("1", "true", "yes"),
        "CATALOG_WEBHOOKS_ALLOW_PRIVATE": (env.get("CATALOG_WEBHOOKS_ALLOW_PRIVATE") or "0").lower()
        in ("1", "true", "yes"),
        "MAIL_SERVER": env.get("MAIL_SERVER") or None,
        "MAIL_PORT": int(env.get("MAIL_PORT") or 25),
        "MAIL_USE_TLS": (env.get("MAIL_USE_TLS") or "0").lower() in ("1", "true", "yes"),
        "MAIL_USE_SSL": (env.get("MAIL_USE_SSL") or "0").lower() in ("1", "true", "yes"),
        "MAIL_USERNAME": env.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD") or None,
        "MAIL_DEFAULT_SENDER": env.get("MAIL_DEFAULT_SENDER") or "OCOP <no-reply@localhost>",
        "MAIL_FOLDER": env.get("MAIL_FOLDER") or None,                # None: instance/mail
        "CATALOG_LOG_FORMAT": log_format,
        "CATALOG_RETRY_AFTER_SECONDS": int(env.get("CATALOG_RETRY_AFTER_SECONDS") or 30),
        "CATALOG_OUTAGE_LOG_SECONDS": float(env.get("CATALOG_OUTAGE_LOG_SECONDS") or 60),
        "CATALOG_HSTS_SECONDS": int(env.get("CATALOG_HSTS_SECONDS") or 31536000),
        "CATALOG_METRICS_TOKEN": env.get("CATALOG_METRICS_TOKEN") or None,
        "CATALOG_IMPORT_MAX_ROWS": int(env.get("CATALOG_IMPORT_MAX_ROWS") or 50_000),
        "CATALOG_IMPORT_MAX_COLUMNS": int(env.get("CATALOG_IMPORT_MAX_COLUMNS") or 50),
        "CATALOG_IMPORT_MAX_CELL_CHARS": int(env.get("CATALOG_IMPORT_MAX_CELL_CHARS") or 20_000),
        "CATALOG_IMPORT_MAX_UNPACKED_MB": float(env.get("CATALOG_IMPORT_MAX_UNPACKED_MB") or 50),
        "CATALOG_IMPORT_MAX_SECONDS": float(env.get("CATALOG_IMPORT_MAX_SECONDS") or 120),
        # Largest request body (uploads: photos, evidence files); bigger ones get 413 before any view runs.
        "MAX_CONTENT_LENGTH": int(env.get("CATALOG_MAX_UPLOAD_MB") or 64) * 1024 * 1024,
    }
