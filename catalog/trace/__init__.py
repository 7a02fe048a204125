"""Stamps and traceability: lots and their events, stamp batches and codes, printing, the scan log,
the verdict of a scan, and resolving ``/s/<code>`` and GS1 Digital Link paths.

What other features may use is exported here; the rest is the feature's own.
"""
from __future__ import annotations

from flask import Flask

from catalog.trace.client import client_of
from catalog.trace.figures import SuspiciousStamp, scans_per_day, suspicious_stamps
from catalog.trace.models.lots import TRACE_EVENT_KINDS, Lot, TraceEvent, local_time
from catalog.trace.models.scans import VERDICTS, Scan
from catalog.trace.models.stamps import Stamp, StampBatch
from catalog.trace.presenters import verdict_json
from catalog.trace.scan_views import StampView, find_code
from catalog.trace.verdicts import SuspicionPolicy, Verdict, resolve, suspicion_policy

__all__ = ["TRACE_EVENT_KINDS", "VERDICTS", "Lot", "Scan", "Stamp", "StampBatch", "StampView", "SuspicionPolicy",
           "SuspiciousStamp", "TraceEvent", "Verdict", "client_of", "find_code", "init_app", "local_time", "resolve",
           "scans_per_day", "suspicion_policy", "suspicious_stamps", "verdict_json"]


def init_app(app: Flask) -> None:
    from catalog.platform import labels, metrics
    from catalog.trace import cli, codes, lot_forms, lot_views, stamp_views, views  # noqa: F401  (views register)
    from catalog.trace.blueprint import admin_bp, bp

    app.register_blueprint(bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.cli.add_command(cli.stamps_cli)
    labels.register(app, event_label=lot_forms.event_kind)
    app.add_template_filter(codes.grouped, "grouped_code")     # a code as on its printed label
    for verdict in VERDICTS:
        metrics.SCANS.labels(verdict=verdict)         # every verdict shown from the start, at 0
