"""``flask --app catalog users create EMAIL --role ROLE``: accounts for the admin area."""
from __future__ import annotations

import os

import click
from flask.cli import AppGroup

from catalog.accounts import operations as accounts
from catalog.kernel.errors import InvalidInput
from catalog.kernel.roles import ROLES
from catalog.platform import transaction

users_cli = AppGroup("users", help="Admin accounts.")


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True, help="editor, officer or admin")
@click.option("--name", default=None, help="the person's name, shown in the admin area")
def create(email: str, role: str, name: str | None) -> None:
    """Create an account. The password comes from CATALOG_NEW_PASSWORD when set, else a prompt."""
    password = os.environ.get("CATALOG_NEW_PASSWORD") or click.prompt(
        "Password", hide_input=True, confirmation_prompt=True)
    try:
        user = accounts.create_user(email=email, name=name, role=role, password=password)
    except InvalidInput as exc:
        problems = "; ".join(f"{field}: {', '.join(msgs)}" for field, msgs in exc.errors.items())
        raise click.ClickException(problems) from None
    transaction.commit()
    click.echo(f"created {user.email} ({user.role})")
