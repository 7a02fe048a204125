"""Public reasons and internal notes kept apart; consumer reports with a reference, a contact and a place.

``recognitions.revocation_reason`` stays the PUBLIC reason (what the 410 page and the scan page print):
existing revocations keep their reason public, as it was published. ``recognitions.revocation_note`` is new:
the officers' INTERNAL note (a violation's description goes there). The status history
(``recognition_events``, append-only under triggers) is not touched.

``consumer_reports`` gets ``reference`` (random, 10 characters of a non-ambiguous alphabet, unique: what
the reporter follows at ``/reports/<reference>``; existing reports are given one), ``contact`` (a phone
number or an e-mail address, officers only) and ``purchase_place``.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-08
"""
import secrets

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

#: as catalog.violations.reports.REFERENCE_ALPHABET (a migration does not import the service)
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def upgrade():
    # A plain ADD COLUMN on both databases (SQLite's batch mode would copy the table: not needed here).
    op.add_column('recognitions', sa.Column('revocation_note', sa.Text(), nullable=True))

    with op.batch_alter_table('consumer_reports') as batch_op:
        batch_op.add_column(sa.Column('reference', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('contact', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('purchase_place', sa.String(length=200), nullable=True))
    reports = sa.table('consumer_reports', sa.column('id', sa.Integer()), sa.column('reference', sa.String()))
    connection = op.get_bind()
    given: set[str] = set()
    for (report_id,) in connection.execute(sa.select(reports.c.id)).all():
        reference = _reference()
        while reference in given:
            reference = _reference()
        given.add(reference)
        connection.execute(reports.update().where(reports.c.id == report_id).values(reference=reference))
    with op.batch_alter_table('consumer_reports') as batch_op:
        batch_op.alter_column('reference', existing_type=sa.String(length=10), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_consumer_reports_reference'), ['reference'])


def downgrade():
    with op.batch_alter_table('consumer_reports') as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_consumer_reports_reference'), type_='unique')
        batch_op.drop_column('purchase_place')
        batch_op.drop_column('contact')
        batch_op.drop_column('reference')
    # a plain DROP COLUMN (SQLite >= 3.35): rebuilding recognitions would fail on the rows that refer to it
    with op.batch_alter_table('recognitions', recreate='never') as batch_op:
        batch_op.drop_column('revocation_note')


def _reference() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(10))
