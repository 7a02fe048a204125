"""``flask --app catalog worker``: run jobs from the queue (Huey's consumer) until stopped."""
from __future__ import annotations

import logging

import click
from flask import current_app
from flask.cli import with_appcontext

from catalog.platform import jobs


@click.command("worker")
@click.option("--threads", default=2, show_default=True, type=click.IntRange(1, 64),
              help="jobs run at once in this process")
@click.option("--verbose", is_flag=True, help="log every job run (by default: failures and retries only)")
@click.option("--no-sweep", is_flag=True,
              help="do not run the periodic sweep here (another worker does; running it on several is harmless)")
@with_appcontext
def worker(threads: int, verbose: bool, no_sweep: bool) -> None:
    """Run queued jobs: search index updates, webhook deliveries, imports, and the periodic sweep.

    Start as many as you like, on as many machines as share the database and
    ``REDIS_URL``; each job is taken by one worker. Stop with Ctrl-C or SIGTERM
    (SIGINT finishes the running jobs first)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # the app itself, for the threads
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if verbose:
        logging.getLogger("catalog.platform.jobs").setLevel(logging.DEBUG)
    else:                                   # the sweep runs every few seconds: its routine lines are noise
        logging.getLogger("huey").setLevel(logging.WARNING)
    consumer = jobs.consumer(app, workers=threads, periodic=not no_sweep)
    sweep = "off" if no_sweep else f"every {app.config['CATALOG_JOBS_SWEEP_SECONDS']:g} s"
    click.echo(f"worker: {threads} thread(s), queue {app.config['CATALOG_JOBS_QUEUE']!r} in "
               f"{jobs.storage_name(app)}, sweep {sweep}", err=True)
    consumer.run()
