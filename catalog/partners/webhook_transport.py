"""One webhook POST to a partner's URL, without letting that URL reach inside our own network.

A partner's URL is typed by an administrator, but the address its host name
resolves to can be internal from the start (``http://localhost:5432/``, a cloud
metadata address such as 169.254.169.254) or change after it was checked (DNS
rebinding). So the name is resolved once, every address it gives must be public
(:attr:`ipaddress.IPv4Address.is_global`), and the connection is made to the
checked address while the name is kept for the ``Host`` header and for TLS
(certificate check and SNI). Redirects are not followed: a 3xx is an answer like
any other, and not a 2xx, so the attempt failed. ``allow_private`` (the
``CATALOG_WEBHOOKS_ALLOW_PRIVATE`` setting) lifts the address check for
deployments whose partners really are on a private network, and for tests.

"Public" (:func:`is_public`) is the IANA special-purpose registries' "globally
reachable" as :mod:`ipaddress` knows it, made stricter where that falls short, and
whatever the Python version: IPv6 forms that carry an IPv4 address are judged by
that address, since the packet ends up there: IPv4-mapped ``::ffff:a.b.c.d``, the
well-known NAT64 prefix ``64:ff9b::/96`` (``64:ff9b::a9fe:a9fe`` is the cloud
metadata address 169.254.169.254 behind a NAT64 gateway), and 6to4 ``2002::/16``.
A public IPv4 address in such a form is public (``64:ff9b::808:808`` is 8.8.8.8:
an IPv6-only deployment reaches IPv4-only partners that way, through DNS64). Ranges
refused outright: IPv4-compatible ``::a.b.c.d`` (deprecated), the local-use NAT64
prefix ``64:ff9b:1::/48`` (where the IPv4 address sits is the network's choice),
Teredo ``2001::/32``, SIIT ``::ffff:0:0:0/96``, site-local ``fec0::/10``, SRv6
``5f00::/16``, documentation ``3fff::/20`` and ``2001:db8::/32``, IETF protocol
assignments ``192.0.0.0/24``, and multicast. A NAT64 prefix of the network's own
(RFC 6052 network-specific prefix) cannot be told from a public address: such a
deployment should keep its gateway from reaching internal IPv4 addresses.

:func:`check_url` is the same rule when a URL is saved, without asking the DNS: a
literal address (in any spelling the resolver accepts: ``127.1``, ``2130706433``)
and the names that never lead to a public address (``localhost``, ``*.localhost``,
``*.local``, ``*.internal``, ``*.home.arpa``). A name is checked at each delivery.
"""
from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import urllib.parse


class BlockedAddress(OSError):
    """The URL's host is, or resolves to, an address that is not public."""


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float, allow_private: bool = False,
         context: ssl.SSLContext | None = None) -> int:
    """POST ``body`` to ``url``; the HTTP status of the answer. Network failures raise ``OSError`` and
    ``http.client.HTTPException``."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{url!r} is not an http(s) URL")
    secure = parts.scheme == "https"
    port = parts.port or (443 if secure else 80)
    address = checked_address(parts.hostname, port, allow_private=allow_private)
    connection: http.client.HTTPConnection
    if secure:
        connection = _PinnedHTTPSConnection(parts.hostname, port, address, timeout,
                                            context or ssl.create_default_context())
    else:
        connection = _PinnedHTTPConnection(parts.hostname, port, address, timeout)
    try:
        connection.request("POST", urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, "")),
                           body=body, headers=headers)
        return connection.getresponse().status
    finally:
        connection.close()


def checked_address(host: str, port: int, *, allow_private: bool) -> str:
    """The address to connect to for ``host``: the first it resolves to, once all of them are public."""
    addresses = [str(info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]
    if not allow_private:
        for address in addresses:
            if not is_public(address):
                what = host if address == host.strip("[]") else f"{host} resolves to {address}, which"
                raise BlockedAddress(f"{what} is not a public address; webhooks are only sent to public addresses")
    return addresses[0]


def check_url(url: str, *, allow_private: bool) -> None:
    """Raise :class:`BlockedAddress` if ``url``'s host is an address that is not public, or a name that only
    leads to such addresses; no DNS query (names are checked at each delivery, :func:`checked_address`)."""
    host = (urllib.parse.urlsplit(url).hostname or "").rstrip(".").lower()
    if allow_private or not host:
        return
    if host == "localhost" or host.endswith(LOCAL_SUFFIXES) or ("%" in host and ":" in host):  # %: an IPv6 zone
        raise BlockedAddress(f"{host} is not a public address; webhooks are only sent to public addresses")
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST)
    except (socket.gaierror, UnicodeError):
        return                                                   # a name, not an address
    for info in infos:
        address = str(info[4][0])
        if not is_public(address):
            what = host if address == host else f"{host} is {address}, which"
            raise BlockedAddress(f"{what} is not a public address; webhooks are only sent to public addresses")


#: Names that never lead to a public address (RFC 6761, RFC 6762, RFC 8375, ICANN's private-use ``.internal``).
LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".home.arpa")

_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")                  # RFC 6052 well-known prefix: IPv4 in the last 32 bits
_REFUSED_V6 = tuple(ipaddress.IPv6Network(net) for net in (
    "::/96",                # IPv4-compatible (deprecated, RFC 4291), :: and ::1 included
    "::ffff:0:0:0/96",      # SIIT IPv4-translated (RFC 2765)
    "64:ff9b:1::/48",       # local-use NAT64 (RFC 8215): not globally reachable, IPv4 placed as the network chooses
    "100::/64",             # discard-only
    "2001::/23",            # IETF protocol assignments, Teredo 2001::/32 included
    "2001:db8::/32",        # documentation
    "3fff::/20",            # documentation (RFC 9637)
    "5f00::/16",            # SRv6 SIDs (RFC 9602)
    "fc00::/7",             # unique local
    "fe80::/10",            # link-local
    "fec0::/10",            # site-local (deprecated, RFC 3879)
    "ff00::/8",             # multicast
))
_REFUSED_V4 = tuple(ipaddress.IPv4Network(net) for net in (
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
    "192.0.0.0/24",         # IETF protocol assignments (DS-Lite, PCP and TURN anycast, NAT64 discovery...)
    "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
    "224.0.0.0/4", "240.0.0.0/4",
))


def is_public(address: str) -> bool:
    """Whether ``address`` is a globally reachable unicast address, judged by the IPv4 address it carries if any."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])          # an IPv6 zone ("fe80::1%eth0") is not public
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour                # ::ffff:127.0.0.1 is 127.0.0.1
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            return _is_public_v4(embedded)
        return ip.is_global and not any(ip in net for net in _REFUSED_V6)
    return _is_public_v4(ip)


def _is_public_v4(ip: ipaddress.IPv4Address) -> bool:
    return ip.is_global and not any(ip in net for net in _REFUSED_V4)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self.pinned_address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.pinned_address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float, context: ssl.SSLContext):
        super().__init__(host, port, timeout=timeout, context=context)
        self.pinned_address = address
        self.tls = context

    def connect(self) -> None:
        sock = socket.create_connection((self.pinned_address, self.port), self.timeout)
        self.sock = self.tls.wrap_socket(sock, server_hostname=self.host)
