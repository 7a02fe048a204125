"""gunicorn's settings for the catalog, read from the same environment as the app.

Run from the repository's root (gunicorn reads ``./gunicorn.conf.py`` by default; ``-c`` names it anyway)::

    .venv/bin/gunicorn -c gunicorn.conf.py -w 4 -b 127.0.0.1:5000 'catalog:create_app()'

Forwarded headers: gunicorn on its own trusts ``X-Forwarded-Proto``, ``X-Forwarded-Ssl`` and
``X-Forwarded-Protocol`` (and the ``SCRIPT_NAME``/``PATH_INFO`` forwarder headers) from 127.0.0.1 and ::1,
and from any UNIX-socket peer, so a client on the machine, or any client of a proxy that passes these headers
on, could make the app believe a plain-HTTP request came over HTTPS. Here nobody is trusted unless
``CATALOG_PROXIES`` (the number of reverse proxies in front, as for the app's ProxyFix) is above 0; then the
proxies at ``FORWARDED_ALLOW_IPS`` (default 127.0.0.1,::1: a proxy on the same machine) may say the scheme,
with ``X-Forwarded-Proto`` only, the header the app's ProxyFix reads.
"""
import os

_proxies = int(os.environ.get("CATALOG_PROXIES") or 0)

if _proxies > 0:
    forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS") or "127.0.0.1,::1"
    secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}
else:
    forwarded_allow_ips = ""
    secure_scheme_headers: dict[str, str] = {}      # UNIX-socket peers pass gunicorn's address check
    forwarder_headers = ""

if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    def child_exit(server, worker):
        """Each worker's counters leave /metrics' sum when it exits (see README, Metrics and logs)."""
        from prometheus_client import multiprocess
        multiprocess.mark_process_dead(worker.pid)
