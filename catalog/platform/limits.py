"""Rate limits (Flask-Limiter): in memory by default, in Redis when ``REDIS_URL`` is set."""
from __future__ import annotations

import ipaddress

from flask import Flask, request
from flask_limiter import Limiter


def client_network(address: str | None = None) -> str:
    """THE key of a client for limits and lock-outs: an IPv4 address, or the /64 network of an IPv6 one.

    One IPv6 subscriber usually holds a whole /64, so keying on the full address would give each of
    them 2**64 budgets. IPv4-mapped IPv6 addresses count as their IPv4 address. ``address`` defaults to
    the request's remote address (after the configured proxies).
    """
    text = request.remote_addr if address is None else address
    try:
        ip = ipaddress.ip_address((text or "").split("%", 1)[0])
    except ValueError:
        return text or "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


limiter = Limiter(key_func=client_network, default_limits=[], headers_enabled=True)


def init_app(app: Flask) -> None:
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    limiter.init_app(app)
