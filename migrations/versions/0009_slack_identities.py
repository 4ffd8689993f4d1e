"""slack identities

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('identities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('workspace_id', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True))

    op.create_table(
        'link_codes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('platform', sa.String(length=16), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['member_id'], ['members.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('code_hash'),
    )
    op.create_index(op.f('ix_link_codes_member_id'), 'link_codes', ['member_id'], unique=False)

    op.create_table(
        'slack_events',
        sa.Column('event_id', sa.String(length=64), nullable=False),
        sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('event_id'),
    )
    op.create_index(op.f('ix_slack_events_received_at'), 'slack_events', ['received_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_slack_events_received_at'), table_name='slack_events')
    op.drop_table('slack_events')
    op.drop_index(op.f('ix_link_codes_member_id'), table_name='link_codes')
    op.drop_table('link_codes')
    with op.batch_alter_table('identities', schema=None) as batch_op:
        batch_op.drop_column('last_used_at')
        batch_op.drop_column('workspace_id')
