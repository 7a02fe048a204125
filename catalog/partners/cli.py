"""``flask --app catalog partners create NAME`` and ``flask --app catalog webhooks deliver``."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from catalog.kernel.errors import InvalidInput
from catalog.partners import operations as partners
from catalog.platform import transaction

partners_cli = AppGroup("partners", help="Partners of the API and their keys.")
webhooks_cli = AppGroup("webhooks", help="Webhook deliveries of the change feed.")


@partners_cli.command("create")
@click.argument("name")
@click.option("--email", default=None, help="the partner's technical contact")
@click.option("--webhook-url", default=None, help="https URL to POST change-feed events to")
def create(name: str, email: str | None, webhook_url: str | None) -> None:
    """Create a partner and print its API key (shown this once)."""
    try:
        partner, key = partners.create_partner(name=name, contact_email=email, webhook_url=webhook_url)
    except InvalidInput as exc:
        raise click.ClickException("; ".join(f"{f}: {', '.join(m)}" for f, m in exc.errors.items())) from None
    transaction.commit()
    click.echo(f"partner {partner.id}: {partner.name}")
    click.echo(f"API key (shown once, keep it secret): {key}")
    if partner.webhook_secret:
        click.echo(f"webhook signing secret: {partner.webhook_secret}")


@webhooks_cli.command("deliver")
def deliver() -> None:
    """Send every due webhook delivery now, in this process (a worker does it on its own)."""
    from catalog.partners.webhooks import BATCH, deliver_due

    total = 0
    while (sent := deliver_due()):
        total += sent
        click.echo(f"attempted {total} deliveries so far", err=True)
        if sent < BATCH:
            break
    click.echo(f"attempted {total} deliveries")
