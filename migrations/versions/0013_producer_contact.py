"""Producers: a website and where to buy their products (both optional, shown publicly).

The phone, e-mail and address a producer already had are now also shown on its public page.
Plain ``ALTER TABLE`` on SQLite too (``recreate="never"``; DROP COLUMN since SQLite 3.35): recreating
``producers`` would break the foreign keys of the tables that point at it.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-08
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("producers", recreate="never") as batch:
        batch.add_column(sa.Column("website", sa.String(length=300), nullable=True))
        batch.add_column(sa.Column("where_to_buy", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("producers", recreate="never") as batch:
        batch.drop_column("where_to_buy")
        batch.drop_column("website")
