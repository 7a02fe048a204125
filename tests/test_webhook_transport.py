"""Webhook POSTs reach only public addresses, follow no redirect, and check TLS against the URL's name.

Real sockets: an HTTP(S) server on 127.0.0.1, and for TLS a certificate made
here by ``openssl`` for the name ``partner.test``, which the test resolves to
127.0.0.1 (as a rebinding DNS server would) to check that the name, not the
address, is what TLS verifies.
"""
from __future__ import annotations

import contextlib
import http.server
import shutil
import socket
import ssl
import subprocess
import threading

import pytest

from catalog.partners import webhook_transport as transport
from catalog.partners.models import WebhookDelivery
from tests import factories

HEADERS = {"Content-Type": "application/json"}


@contextlib.contextmanager
def endpoint(status: int = 204, tls: ssl.SSLContext | None = None):
    """A server on 127.0.0.1 answering every POST with ``status``; yields (port, requests received)."""
    received: list[tuple[str, str, bytes]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the name http.server calls
            received.append((self.path, self.headers["Host"], self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(status)
            if 300 <= status < 400:
                self.send_header("Location", "http://127.0.0.1:1/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server.server_address[1], received
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/hook", "http://localhost/hook", "http://[::1]/hook",
                                 "http://169.254.169.254/latest/meta-data", "http://10.1.2.3/hook",
                                 "https://192.168.1.1/hook", "http://[::ffff:127.0.0.1]/hook", "http://0.0.0.0/"])
def test_private_loopback_and_link_local_addresses_are_refused(url):
    with pytest.raises(transport.BlockedAddress, match="not a public address"):
        transport.post(url, b"{}", HEADERS, timeout=1)


def test_a_name_resolving_to_a_private_address_is_refused_whatever_it_was_before(monkeypatch):
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, port, *args, **kw: [
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port)),
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))])
    with pytest.raises(transport.BlockedAddress, match="partner.example.vn resolves to 127.0.0.1"):
        transport.post("https://partner.example.vn/hook", b"{}", HEADERS, timeout=1)


def test_the_connection_goes_to_the_address_checked_not_to_a_later_answer(monkeypatch):
    """DNS rebinding: the name answers a public address when checked, then 127.0.0.1. Nothing may reach
    the endpoint on 127.0.0.1 (the connection to the public address fails here, or would reach it)."""
    real_getaddrinfo, answers = socket.getaddrinfo, iter(["93.184.215.14"])

    def rebinding(host, port, *args, **kw):
        if host == "rebind.example.vn":
            host = next(answers, "127.0.0.1")
        return real_getaddrinfo(host, port, *args, **kw)
    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    with endpoint(204) as (port, received):
        with pytest.raises(OSError):
            transport.post(f"http://rebind.example.vn:{port}/hook", b"{}", HEADERS, timeout=0.5)
    assert received == []


#: Addresses that must not be reached, however they are spelt: IPv6 forms are judged by the IPv4 address they carry.
REFUSED = [
    "64:ff9b::a9fe:a9fe",           # NAT64 (well-known prefix) of 169.254.169.254, the cloud metadata address
    "64:ff9b::7f00:1",              # NAT64 of 127.0.0.1
    "64:ff9b::a00:1",               # NAT64 of 10.0.0.1
    "64:ff9b:1::a9fe:a9fe",         # local-use NAT64 prefix: refused whatever it carries
    "64:ff9b:1::808:808",
    "2002:a9fe:a9fe::1",            # 6to4 of 169.254.169.254
    "2002:c0a8:101::1",             # 6to4 of 192.168.1.1
    "::a9fe:a9fe",                  # IPv4-compatible (deprecated) 169.254.169.254
    "::808:808",                    # IPv4-compatible, even of a public address
    "::ffff:a9fe:a9fe",             # IPv4-mapped 169.254.169.254
    "::ffff:0:a9fe:a9fe",           # SIIT IPv4-translated
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",   # Teredo
    "2001::1",
    "192.0.0.1", "192.0.0.9", "192.0.0.10", "192.0.0.170",   # IETF protocol assignments, 192.0.0.0/24
    "100.64.0.1",                   # carrier-grade NAT
    "198.18.0.1", "240.0.0.1", "255.255.255.255", "0.0.0.0",
    "fec0::1",                      # site-local (deprecated)
    "fd00::1", "fe80::1", "fe80::1%eth0", "::1", "::",
    "5f00::1",                      # SRv6
    "3fff::1", "2001:db8::1",       # documentation
    "ff0e::1", "224.0.0.1",         # multicast
]
ALLOWED = [
    "8.8.8.8", "1.1.1.1", "93.184.215.14",
    "2606:4700::1111", "2001:4860:4860::8888",
    "64:ff9b::808:808",             # NAT64 of 8.8.8.8: how an IPv6-only deployment reaches an IPv4-only partner
    "2002:808:808::1",              # 6to4 of 8.8.8.8
    "::ffff:8.8.8.8",               # IPv4-mapped 8.8.8.8: the socket connects to 8.8.8.8
]


@pytest.mark.parametrize("address", REFUSED)
def test_special_purpose_addresses_and_forms_carrying_a_private_ipv4_address_are_refused(address, monkeypatch):
    assert not transport.is_public(address)
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, port, *args, **kw: [
        (socket.AF_INET6 if ":" in address else socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))])
    with pytest.raises(transport.BlockedAddress, match=f"resolves to {address}, which is not a public address"):
        transport.post("https://partner.example.vn/hook", b"{}", HEADERS, timeout=1)


@pytest.mark.parametrize("address", ALLOWED)
def test_public_addresses_and_forms_carrying_a_public_ipv4_address_are_allowed(address):
    assert transport.is_public(address)
    assert transport.checked_address(address, 443, allow_private=False) == address \
        or ":" in address        # getaddrinfo may spell an IPv6 address its own way
    transport.check_url(f"https://{'[' + address + ']' if ':' in address else address}/hook", allow_private=False)


@pytest.mark.parametrize("url", [
    "http://[64:ff9b::a9fe:a9fe]/latest/meta-data", "https://[2002:a9fe:a9fe::1]/", "http://[::a9fe:a9fe]/",
    "http://127.1/hook", "http://2130706433/hook", "http://0x7f000001/hook", "http://192.0.0.10/",
    "https://localhost./hook", "https://api.localhost/hook", "https://printer.local/", "https://db.internal/",
    "https://router.home.arpa/", "http://[fe80::1%25eth0]/"])
def test_a_url_naming_a_private_address_is_refused_when_saved(url):
    with pytest.raises(transport.BlockedAddress, match="not a public address"):
        transport.check_url(url, allow_private=False)
    transport.check_url(url, allow_private=True)


def test_the_admin_form_refuses_a_webhook_url_to_a_private_address(app, client, session, monkeypatch):
    from catalog.partners import operations as partners
    from catalog.partners.models import Partner
    monkeypatch.setitem(app.config, "CATALOG_WEBHOOKS_ALLOW_PRIVATE", False)
    factories.sign_in(client, "admin")
    response = factories.post_form(client, "/admin/partners/new?lang=en", {
        "name": "Sàn NAT64", "webhook_url": "http://[64:ff9b::a9fe:a9fe]/latest/meta-data"}, form="/admin/partners/new")
    text = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="webhook_url-error"' in text and "not a public address" in text
    assert session.query(Partner).filter_by(name="Sàn NAT64").count() == 0
    partner, _ = partners.create_partner(name="Sàn công khai", webhook_url="https://partner.example.vn/hook")
    edit = factories.post_form(client, f"/admin/partners/{partner.id}?lang=en",
                               {"webhook_url": "http://169.254.169.254/"}, form=f"/admin/partners/{partner.id}")
    assert edit.status_code == 422 and "not a public address" in edit.get_data(as_text=True)
    assert session.get(Partner, partner.id).webhook_url == "https://partner.example.vn/hook"


def test_public_addresses_pass_the_check():
    assert transport.is_public("203.0.113.7") is False               # TEST-NET-3 is documentation, not public
    assert transport.is_public("8.8.8.8") and transport.is_public("2001:4860:4860::8888")
    assert not transport.is_public("fe80::1%eth0") and not transport.is_public("224.0.0.1")


def test_allowed_private_addresses_get_the_post_with_the_names_host_header():
    with endpoint(204) as (port, received):
        status = transport.post(f"http://127.0.0.1:{port}/hook?x=1", b'{"a": 1}', HEADERS, timeout=2,
                                allow_private=True)
    assert status == 204 and received == [("/hook?x=1", f"127.0.0.1:{port}", b'{"a": 1}')]


def delivered_once(session, name: str, url: str) -> WebhookDelivery:
    """A partner hooked to ``url``, one product recognised, its one delivery attempted by the app."""
    from catalog.partners import operations as partners
    from catalog.partners import webhooks
    partner, _ = partners.create_partner(name=name, webhook_url=url)
    factories.index_now()
    factories.recognised_product()
    factories.index_now()
    assert webhooks.deliver_due() == 1
    return session.query(WebhookDelivery).filter_by(partner_id=partner.id).one()


def test_a_redirect_is_not_followed_and_the_delivery_fails(app, session, frozen_clock, monkeypatch):
    with endpoint(302) as (port, received):
        status = transport.post(f"http://127.0.0.1:{port}/hook", b"{}", HEADERS, timeout=2, allow_private=True)
        assert status == 302 and len(received) == 1
        delivery = delivered_once(session, "Sàn chuyển hướng", f"http://127.0.0.1:{port}/hook")
    assert (delivery.status, delivery.last_status, delivery.last_error) == ("pending", 302, "HTTP 302")


def test_the_app_refuses_private_addresses_unless_allowed(app, session, monkeypatch):
    """The name passes when saved (no DNS then); at delivery it resolves to 127.0.0.1 and is refused."""
    monkeypatch.setitem(app.config, "CATALOG_WEBHOOKS_ALLOW_PRIVATE", False)
    real_getaddrinfo = socket.getaddrinfo
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, port, *args, **kw: real_getaddrinfo(
        "127.0.0.1" if host == "internal.example.vn" and not kw.get("flags") else host, port, *args, **kw))
    with endpoint(204) as (port, received):
        delivery = delivered_once(session, "Sàn nội bộ", f"http://internal.example.vn:{port}/hook")
    assert received == [] and "not a public address" in delivery.last_error


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A CA, and a certificate it signed for ``partner.test``: (CA file, certificate file, key file)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    folder = tmp_path_factory.mktemp("tls")

    def run(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=folder, check=True, capture_output=True)
    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
        "-subj", "/CN=Test CA")
    run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "host.key", "-out", "host.csr", "-subj", "/CN=partner.test")
    (folder / "ext.cnf").write_text("subjectAltName=DNS:partner.test\n")
    run("x509", "-req", "-in", "host.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out",
        "host.pem", "-days", "2", "-extfile", "ext.cnf")
    return folder / "ca.pem", folder / "host.pem", folder / "host.key"


def test_tls_is_checked_against_the_urls_name_while_connecting_to_the_checked_address(certificate, monkeypatch):
    ca, cert, key = certificate
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    client_tls = ssl.create_default_context(cafile=str(ca))
    real_getaddrinfo = socket.getaddrinfo
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, port, *args, **kw: real_getaddrinfo(
        "127.0.0.1" if host in ("partner.test", "other.test") else host, port, *args, **kw))
    with endpoint(204, tls=server_tls) as (port, received):
        status = transport.post(f"https://partner.test:{port}/hook", b"{}", HEADERS, timeout=2,
                                allow_private=True, context=client_tls)
        assert status == 204 and received[0][1] == f"partner.test:{port}"
        with pytest.raises(ssl.SSLCertVerificationError):                  # same address, another name
            transport.post(f"https://other.test:{port}/hook", b"{}", HEADERS, timeout=2, allow_private=True,
                           context=client_tls)
