"""Accounts: lock-out per (address, client network), sign-in events, a session token per account.

The lock-out state leaves ``users`` (``failed_logins``, ``locked_until``) for ``sign_in_throttles``, one row
per (address typed, client network), known account or not; ``sign_in_events`` keeps failed sign-ins and
locks of accounts for the notice at their next sign-in. ``users.session_token`` is part of every session's
user id: existing sessions end once, at the upgrade.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-08
"""
import secrets

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users') as batch_op:
        batch_op.add_column(sa.Column('session_token', sa.String(length=64), nullable=True))
    users = sa.table('users', sa.column('id', sa.Integer()), sa.column('session_token', sa.String()))
    connection = op.get_bind()
    for (user_id,) in connection.execute(sa.select(users.c.id)).all():
        connection.execute(users.update().where(users.c.id == user_id)
                           .values(session_token=secrets.token_urlsafe(24)))
    with op.batch_alter_table('users') as batch_op:
        batch_op.alter_column('session_token', existing_type=sa.String(length=64), nullable=False)
        batch_op.drop_column('failed_logins')
        batch_op.drop_column('locked_until')

    op.create_table(
        'sign_in_throttles',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('network', sa.String(length=64), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('locks', sa.Integer(), nullable=False),
        sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_throttles')),
        sa.UniqueConstraint('email', 'network', name='uq_sign_in_throttles_email_network'),
    )
    op.create_index(op.f('ix_sign_in_throttles_updated_at'), 'sign_in_throttles', ['updated_at'], unique=False)
    op.create_table(
        'sign_in_events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('network', sa.String(length=64), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_sign_in_events_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_events')),
    )
    op.create_index('ix_sign_in_events_user_at', 'sign_in_events', ['user_id', 'at'], unique=False)


def downgrade():
    op.drop_index('ix_sign_in_events_user_at', table_name='sign_in_events')
    op.drop_table('sign_in_events')
    op.drop_index(op.f('ix_sign_in_throttles_updated_at'), table_name='sign_in_throttles')
    op.drop_table('sign_in_throttles')
    with op.batch_alter_table('users') as batch_op:
        batch_op.add_column(sa.Column('failed_logins', sa.SmallInteger(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_column('session_token')
