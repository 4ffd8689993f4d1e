"""pool audit and backup: the shared pool, team limits, audit columns, append-only audit log

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

# The audit log is append-only: the database itself rejects UPDATE and DELETE on it.
_SQLITE_TRIGGERS = (
    "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
    "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END",
    "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events "
    "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END",
)
_POSTGRES_FUNCTION = (
    "CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'audit_events is append-only'; END; $$ LANGUAGE plpgsql"
)
_POSTGRES_TRIGGER = (
    "CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events "
    "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()"
)


def upgrade() -> None:
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pool_days', sa.Integer(), nullable=False, server_default='90'))
        batch_op.add_column(sa.Column('pool_claim_cap', sa.Integer(), nullable=False, server_default='5'))
        batch_op.add_column(sa.Column('bulk_read_limit', sa.Integer(), nullable=False, server_default='30'))
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pooled_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('customer_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('command', sa.String(length=32), nullable=True))
    op.create_index('ix_customers_team_pooled', 'customers', ['team_id', 'pooled_at'])
    op.create_index('ix_audit_member_action_at', 'audit_events', ['member_id', 'action', 'at'])
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(_POSTGRES_FUNCTION)
        op.execute(_POSTGRES_TRIGGER)
    else:
        for statement in _SQLITE_TRIGGERS:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP TRIGGER IF EXISTS audit_events_append_only ON audit_events')
        op.execute('DROP FUNCTION IF EXISTS audit_events_append_only()')
    else:
        op.execute('DROP TRIGGER IF EXISTS audit_events_no_update')
        op.execute('DROP TRIGGER IF EXISTS audit_events_no_delete')
    op.drop_index('ix_audit_member_action_at', table_name='audit_events')
    op.drop_index('ix_customers_team_pooled', table_name='customers')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_column('command')
        batch_op.drop_column('customer_id')
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.drop_column('claimed_at')
        batch_op.drop_column('pooled_at')
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.drop_column('bulk_read_limit')
        batch_op.drop_column('pool_claim_cap')
        batch_op.drop_column('pool_days')
