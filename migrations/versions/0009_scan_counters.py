"""Scan tallies: a stamp's scans counted as they are logged, so that a scan never reads its history.

``scan_tallies`` (one row a scanned stamp) and ``scan_clients`` (one row a stamp and client),
backfilled from the scan log with the statements of ``catalog.trace.models.scans.recount_sql``
(copied here: a revision must not change when the code does).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-08
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

REPEAT_SECONDS = 1800.0         # the suspicion policy's "the same device again within 30 minutes counts once"


def upgrade():
    op.create_table(
        'scan_tallies',
        sa.Column('stamp_id', sa.Integer(), nullable=False),
        sa.Column('scans', sa.Integer(), nullable=False),
        sa.Column('distinct_scans', sa.Integer(), nullable=False),
        sa.Column('clients', sa.Integer(), nullable=False),
        sa.Column('first_scan_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_scan_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_verdict', sa.String(length=12), nullable=False),
        sa.ForeignKeyConstraint(['stamp_id'], ['stamps.id'], name=op.f('fk_scan_tallies_stamp_id_stamps')),
        sa.PrimaryKeyConstraint('stamp_id', name=op.f('pk_scan_tallies')),
    )
    op.create_index(op.f('ix_scan_tallies_last_scan_at'), 'scan_tallies', ['last_scan_at'], unique=False)
    op.create_table(
        'scan_clients',
        sa.Column('stamp_id', sa.Integer(), nullable=False),
        sa.Column('network', sa.String(length=50), nullable=False),
        sa.Column('agent', sa.String(length=40), nullable=False),
        sa.Column('first_seen_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('repeat_until', sa.DateTime(timezone=True), nullable=False),
        sa.Column('visits', sa.Integer(), nullable=False),
        sa.Column('counted', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['stamp_id'], ['stamps.id'], name=op.f('fk_scan_clients_stamp_id_stamps')),
        sa.PrimaryKeyConstraint('stamp_id', 'network', 'agent', name=op.f('pk_scan_clients')),
    )
    op.create_index('ix_scan_clients_stamp_seen', 'scan_clients', ['stamp_id', 'last_seen_at'], unique=False)
    for statement in _backfill(op.get_bind().dialect.name):
        op.execute(sa.text(statement))


def downgrade():
    op.drop_index('ix_scan_clients_stamp_seen', table_name='scan_clients')
    op.drop_table('scan_clients')
    op.drop_index(op.f('ix_scan_tallies_last_scan_at'), table_name='scan_tallies')
    op.drop_table('scan_tallies')


def _backfill(dialect):
    if dialect == "postgresql":
        def plus_repeat(column):
            return f"({column} + make_interval(secs => {REPEAT_SECONDS!r}))"
    else:
        def plus_repeat(column):
            # whole seconds added to the text, its microseconds kept (SQLite's "YYYY-MM-DD HH:MM:SS.ffffff")
            return f"(strftime('%Y-%m-%d %H:%M:%S', {column}, '+{int(REPEAT_SECONDS)} seconds') || substr({column}, 20))"
    device = "stamp_id, coalesce(network, ''), coalesce(agent, '')"
    visits = ("SELECT stamp_id, network, agent, scanned_at, "
              f"CASE WHEN previous IS NULL OR scanned_at > {plus_repeat('previous')} THEN 1 ELSE 0 END AS began "
              "FROM (SELECT stamp_id, coalesce(network, '') AS network, coalesce(agent, '') AS agent, scanned_at, "
              f"max(scanned_at) OVER (PARTITION BY {device} ORDER BY scanned_at, id "
              "ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS previous "
              "FROM scans WHERE stamp_id IS NOT NULL) AS ordered")
    return [
        "INSERT INTO scan_clients (stamp_id, network, agent, first_seen_at, last_seen_at, repeat_until, visits, "
        "counted) "
        f"SELECT stamp_id, network, agent, min(scanned_at), max(scanned_at), {plus_repeat('max(scanned_at)')}, "
        f"sum(began), false FROM ({visits}) AS v GROUP BY stamp_id, network, agent",
        "INSERT INTO scan_tallies (stamp_id, scans, distinct_scans, clients, first_scan_at, last_scan_at, "
        "last_verdict) "
        "SELECT t.stamp_id, t.scans, c.visits, c.clients, t.first_at, t.last_at, "
        "(SELECT s.verdict FROM scans s WHERE s.stamp_id = t.stamp_id ORDER BY s.scanned_at DESC, s.id DESC LIMIT 1) "
        "FROM (SELECT stamp_id, count(*) AS scans, min(scanned_at) AS first_at, max(scanned_at) AS last_at "
        "FROM scans WHERE stamp_id IS NOT NULL GROUP BY stamp_id) AS t "
        "JOIN (SELECT stamp_id, sum(visits) AS visits, count(*) AS clients FROM scan_clients GROUP BY stamp_id) AS c "
        "ON c.stamp_id = t.stamp_id",
    ]
