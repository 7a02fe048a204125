"""The status history refuses TRUNCATE on PostgreSQL, as the audit log does.

``recognition_events`` had row triggers refusing UPDATE and DELETE, which TRUNCATE does not fire: a
statement trigger refuses it now. SQLite has no TRUNCATE (its ``DELETE FROM t`` fires the row triggers).
A table's owner can still disable or drop triggers: the service runs as a role that owns nothing
(``flask db roles``, :mod:`catalog.platform.database_roles`).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-08
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "CREATE TRIGGER recognition_events_no_truncate BEFORE TRUNCATE ON recognition_events "
        "FOR EACH STATEMENT EXECUTE FUNCTION recognition_events_append_only()")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS recognition_events_no_truncate ON recognition_events")
