"""Feed events indexed by when they were recorded, for the API's ``updated_since``.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('feed_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feed_events_recorded_at'), ['recorded_at'], unique=False)


def downgrade():
    with op.batch_alter_table('feed_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feed_events_recorded_at'))
