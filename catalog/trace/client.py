"""Who scanned, coarsely: the client's network (/24 or /48) and browser family, never the address.

The scan log is not a rate-limit key: it keeps less than ``platform.limits.client_network`` (which
holds a whole IPv4 address) on purpose, and reads an address the same way (``limits.client_ip``:
an IPv4-mapped IPv6 address is its IPv4 address, a zone is dropped).
"""
from __future__ import annotations

import ipaddress
import re

from flask import Request

from catalog.platform.limits import client_ip
from catalog.trace.verdicts import Client

_AGENTS = (("Zalo", re.compile(r"Zalo", re.I)), ("Facebook", re.compile(r"FBAN|FBAV|FB_IAB", re.I)),
           ("SamsungBrowser", re.compile(r"SamsungBrowser")), ("Edge", re.compile(r"Edg/")),
           ("Chrome", re.compile(r"Chrome/|CriOS/")), ("Firefox", re.compile(r"Firefox/|FxiOS/")),
           ("Safari", re.compile(r"Safari/")))
_SYSTEMS = (("Android", re.compile(r"Android")), ("iOS", re.compile(r"iPhone|iPad|iPod")),
            ("Windows", re.compile(r"Windows")), ("macOS", re.compile(r"Macintosh")), ("Linux", re.compile(r"Linux")))


def network(address: str | None) -> str | None:
    ip = client_ip(address)
    if ip is None:
        return None
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def agent_family(user_agent: str | None) -> str:
    text = user_agent or ""
    browser = next((name for name, pattern in _AGENTS if pattern.search(text)), "Other")
    system = next((name for name, pattern in _SYSTEMS if pattern.search(text)), "Other")
    return f"{browser}/{system}"


def client_of(request: Request) -> Client:
    return Client(network=network(request.remote_addr), agent=agent_family(request.user_agent.string))
