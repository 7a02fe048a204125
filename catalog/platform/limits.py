"""Rate limits (Flask-Limiter): in memory by default, in Redis when ``REDIS_URL`` is set.

Every limit keys a client by :func:`client_network` (an IPv4 address, the /64 of an IPv6 one).
Scans have ONE budget per client, whatever the path: :func:`scan_limit` is a shared limit
(scope ``scan``) on ``/s/<code>``, the Digital Link paths and ``/api/v1/stamps/<code>``.

The limits fail open: when the store in Redis does not answer (short timeouts,
``CATALOG_RATE_LIMIT_TIMEOUT``), each process counts in memory until it answers again,
and says so in its log at most once per ``CATALOG_RATE_LIMIT_WARN_SECONDS``; ``/healthz``
says ``degraded`` with ``"rate_limits": "unreachable"``. A limiter fault never fails a request.
"""
from __future__ import annotations

import ipaddress
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, request
from flask_limiter import Limiter

log = logging.getLogger(__name__)

#: The logger Flask-Limiter writes to (its switch to memory and back, errors it swallowed).
LIBRARY_LOGGER = "flask-limiter"


def client_ip(text: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """An address as the limits and the scan log read it: an IPv6 zone (``%eth0``) dropped, an
    IPv4-mapped IPv6 address (``::ffff:192.0.2.1``) taken as its IPv4 address; None if not an address."""
    try:
        ip = ipaddress.ip_address((text or "").split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def client_network(address: str | None = None) -> str:
    """THE key of a client for limits and lock-outs: an IPv4 address, or the /64 network of an IPv6 one.

    One IPv6 subscriber usually holds a whole /64, so keying on the full address would give each of
    them 2**64 budgets. IPv4-mapped IPv6 addresses count as their IPv4 address. ``address`` defaults to
    the request's remote address (after the configured proxies).
    """
    text = request.remote_addr if address is None else address
    ip = client_ip(text)
    if ip is None:
        return text or "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


# Fail open: counts go to memory while the store is down (each process its own), and whatever else goes
# wrong inside the limiter is logged, never the request's failure.
limiter = Limiter(key_func=client_network, default_limits=[], headers_enabled=True,
                  in_memory_fallback_enabled=True, swallow_errors=True)


def _scan_value() -> str:
    return current_app.config["CATALOG_SCAN_RATE_LIMIT"]


def scan_limit(exempt_when: Callable[[], bool] | None = None) -> Callable:
    """THE scan budget (``CATALOG_SCAN_RATE_LIMIT``), one per client network across every path that
    resolves a stamp; ``exempt_when``: a request this budget does not count (it counts elsewhere)."""
    return limiter.shared_limit(_scan_value, scope="scan", key_func=client_network, exempt_when=exempt_when)


class _OncePerInterval(logging.Filter):
    """Lets a warning through once per interval per message, so a dead store logs once a minute, not per
    request."""

    def __init__(self, seconds: float) -> None:
        super().__init__()
        self.seconds = seconds
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()

    def forget(self) -> None:
        with self._lock:
            self._last.clear()

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        now = time.monotonic()
        with self._lock:
            last = self._last.get(record.msg)
            if last is not None and now - last < self.seconds:
                return False
            self._last[record.msg] = now
        return True


_quiet = _OncePerInterval(60.0)


def init_app(app: Flask) -> None:
    uri = app.config.get("REDIS_URL") or "memory://"
    app.config.setdefault("RATELIMIT_STORAGE_URI", uri)
    if app.config["RATELIMIT_STORAGE_URI"].startswith(("redis", "valkey")):
        timeout = float(app.config["CATALOG_RATE_LIMIT_TIMEOUT"])
        app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", _redis_options(timeout))
    _quiet.seconds = float(app.config["CATALOG_RATE_LIMIT_WARN_SECONDS"])
    _quiet.forget()
    for logger in (logging.getLogger(LIBRARY_LOGGER), log):
        if _quiet not in logger.filters:
            logger.addFilter(_quiet)
    limiter.init_app(app)
    # A new app starts on its own store: not in the fallback a previous app (in tests) may have left.
    limiter._storage_dead = False           # noqa: SLF001 - Flask-Limiter has no public reset of the fallback


def _redis_options(timeout: float) -> dict[str, Any]:
    """A dead or black-holed Redis costs a request at most ``timeout`` (connect) or twice that (reply):
    no retries, the limiter falls back to memory on the first failure."""
    from redis.backoff import NoBackoff
    from redis.retry import Retry
    return {"socket_connect_timeout": timeout, "socket_timeout": timeout, "retry": Retry(NoBackoff(), 0),
            "health_check_interval": 0}


def health() -> str:
    """``ok``, or ``unreachable`` (logged, at most once per interval) when the store does not answer a ping."""
    try:
        answers = limiter.storage.check()
    except Exception:  # noqa: BLE001 - any failure to answer is "unreachable"
        answers = False
    if answers:
        return "ok"
    log.warning("rate-limit storage unreachable: limits are counted in memory, per process")
    return "unreachable"
