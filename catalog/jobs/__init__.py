"""Work off the request path, as operators see it: the worker command and the failed jobs page.

The queue itself (Huey, the sweep, leases, what waits) is the platform's
:mod:`catalog.platform.jobs`; features register their jobs there. This feature
records the jobs that failed their last try and lets an administrator retry them.
"""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from catalog.jobs import cli, operations, views  # noqa: F401  (views register on the blueprint)
    from catalog.jobs.blueprint import bp
    from catalog.platform import jobs

    jobs.on_failure(app, operations.record_failure)
    app.register_blueprint(bp, url_prefix="/admin")
    app.cli.add_command(cli.worker)
