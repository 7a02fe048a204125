"""Prometheus metrics: the service's metric objects, gauges read at scrape time, and ``/metrics``.

The metric objects are made once, here, when the module is first imported (every app in the
process shares them: making them per app would register the same names twice). Features import
the ones they feed::

    from catalog.platform import metrics
    metrics.SCANS.labels(verdict="genuine").inc()

A figure that is read rather than counted (rows waiting in an outbox, jobs in a queue) is a
gauge whose value a feature's function gives at scrape time: :func:`register_gauge` in its
``init_app``. A failing source is left out of that scrape and logged; the scrape still answers.

Under several processes (gunicorn workers) each has its own counters; with
``PROMETHEUS_MULTIPROC_DIR`` set, prometheus-client writes them to files in that directory and
``/metrics`` adds up every process's (see ``catalog/platform/config.py`` for what that needs).
``/metrics`` answers loopback clients, and with ``CATALOG_METRICS_TOKEN`` set, a request
bearing that token; anyone else gets 404.
"""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from flask import Flask, Response, abort, current_app, g, request
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import generate_latest
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from catalog.kernel.db import db

log = logging.getLogger(__name__)

#: The endpoint label of a request no route matched (404, 405): one label, not the path.
UNMATCHED = "(unmatched)"
#: Methods counted by name; any other is counted as "other" (a client chooses the method).
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

REQUESTS = Counter("catalog_http_requests", "HTTP requests answered, by Flask endpoint, method and status.",
                   ["endpoint", "method", "status"])
REQUEST_SECONDS = Histogram("catalog_http_request_duration_seconds",
                            "Time to answer an HTTP request (until its response is ready), by endpoint and method.",
                            ["endpoint", "method"])
SCANS = Counter("catalog_scans", "Scans of stamps and codes logged, by verdict.", ["verdict"])
SEARCH_SECONDS = Histogram("catalog_search_duration_seconds",
                           "Time a search backend took to match a text (failed attempts included), by backend.",
                           ["backend"])
JOB_RUNS = Counter("catalog_job_runs", "Background job runs, by kind and outcome (ok, error, retry).",
                   ["kind", "outcome"])
WEBHOOK_DELIVERIES = Counter("catalog_webhook_deliveries",
                             "Webhook delivery attempts, by outcome (delivered, retry, failed).", ["outcome"])
for _outcome in ("delivered", "retry", "failed"):
    WEBHOOK_DELIVERIES.labels(outcome=_outcome)        # every outcome shown from the start, at 0

#: What :func:`generate_latest` writes: the classic Prometheus text format (prometheus-client 0.22 and
#: later call it ``CONTENT_TYPE_PLAIN_0_0_4``; their ``CONTENT_TYPE_LATEST`` names another version).
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
_KEY = "catalog.metrics"
_NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")


@dataclass(frozen=True)
class _Gauge:
    documentation: str
    read: Callable[[], float]


def init_app(app: Flask) -> None:
    """``/metrics``, the app's gauge sources, and counting every request.

    Call it before the other ``before_request``/``after_request`` hooks are added: the clock
    starts before them, and the count is taken after them (after the commit), with the final status.
    """
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory and not os.path.isdir(directory):
        raise RuntimeError(f"PROMETHEUS_MULTIPROC_DIR={directory!r} is not a directory")
    app.extensions[_KEY] = {"gauges": {}, "multiprocess_dir": directory or None}
    app.add_url_rule("/metrics", "metrics", scrape)
    app.before_request(_start_clock)
    app.after_request(_count_request)


def register_gauge(app: Flask, name: str, documentation: str, read: Callable[[], float]) -> None:
    """Expose ``read()`` as the gauge ``name`` of ``app``, read at each scrape inside the app's context.

    ``name`` follows Prometheus conventions (``catalog_`` prefix, e.g. ``catalog_search_outbox_depth``).
    An exception from ``read`` leaves the gauge out of that scrape (and is logged).
    """
    if not _NAME.fullmatch(name):
        raise ValueError(f"{name!r} is not a Prometheus metric name")
    gauges = app.extensions[_KEY]["gauges"]
    if name in gauges:
        raise ValueError(f"gauge {name!r} is already registered")
    gauges[name] = _Gauge(documentation, read)


def endpoint_label() -> str:
    """The request's endpoint as a label: the Flask endpoint name, or :data:`UNMATCHED`."""
    return request.endpoint or UNMATCHED


def method_label() -> str:
    return request.method if request.method in METHODS else "other"


def _start_clock() -> None:
    g.metrics_started = time.perf_counter()


def _count_request(response: Response) -> Response:
    started = g.pop("metrics_started", None)
    endpoint, method = endpoint_label(), method_label()
    REQUESTS.labels(endpoint=endpoint, method=method, status=str(response.status_code)).inc()
    if started is not None:
        REQUEST_SECONDS.labels(endpoint=endpoint, method=method).observe(time.perf_counter() - started)
    return response


# -- /metrics --------------------------------------------------------------------------------------

def scrape() -> Response:
    """The metrics in the Prometheus text format, to a loopback client or the holder of the token; else 404."""
    if not may_read_metrics():
        abort(404)
    state = current_app.extensions[_KEY]
    output = generate_latest(_Scrape([_counted(state["multiprocess_dir"]), _Gauges(state["gauges"])]))
    return Response(output, content_type=CONTENT_TYPE, headers={"Cache-Control": "no-store"})


def may_read_metrics() -> bool:
    """A request from a loopback address (not relayed by an untrusted proxy), or with the bearer token."""
    token = current_app.config.get("CATALOG_METRICS_TOKEN")
    if token:
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(
                hashlib.sha256(given.strip().encode()).digest(), hashlib.sha256(token.encode()).digest()):
            return True
    return _from_loopback()


def _from_loopback() -> bool:
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if not address.is_loopback:
        return False
    # A proxy on the same host relays everyone from 127.0.0.1: unless its headers are trusted (and the
    # client's address taken from them), a relayed request is not a local one.
    relayed = "X-Forwarded-For" in request.headers or "Forwarded" in request.headers
    return not relayed or bool(current_app.config.get("CATALOG_PROXIES"))


def _counted(multiprocess_dir: str | None) -> Collector:
    """This process's counters and histograms, or with a multiprocess directory, every process's."""
    if not multiprocess_dir:
        return REGISTRY
    registry = CollectorRegistry(auto_describe=False)
    MultiProcessCollector(registry, path=multiprocess_dir)
    return registry


class _Scrape(Collector):
    """What one scrape shows: several collectors, one after the other."""

    def __init__(self, parts: Iterable[Collector]):
        self.parts = list(parts)

    def collect(self) -> Iterator[Metric]:
        for part in self.parts:
            yield from part.collect()


class _Gauges(Collector):
    """The app's gauges, each read now; a failing one is skipped."""

    def __init__(self, gauges: dict[str, _Gauge]):
        self.gauges = gauges

    def collect(self) -> Iterator[Metric]:
        for name, gauge in self.gauges.items():
            try:
                value = float(gauge.read())
            except Exception:
                log.exception("metrics: the gauge %s could not be read; left out of this scrape", name)
                db.session.rollback()       # a failed query must not fail the next source's
                continue
            yield GaugeMetricFamily(name, gauge.documentation, value=value)
