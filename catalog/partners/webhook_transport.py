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


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])          # an IPv6 zone ("fe80::1%eth0") is not public
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped                                      # ::ffff:127.0.0.1 is 127.0.0.1
    return ip.is_global and not ip.is_multicast


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
