"""follow-up calendar: inquiries, watch list, channel digests, holiday settings

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('channel_subscriptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('chat_id', sa.String(length=64), nullable=False),
    sa.Column('added_by', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['added_by'], ['members.id'], ),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('platform', 'chat_id', name='uq_channel_subscription')
    )
    with op.batch_alter_table('channel_subscriptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_channel_subscriptions_team_id'), ['team_id'], unique=False)

    op.create_table('watch_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('value', sa.String(length=254), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=True),
    sa.Column('added_by', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['added_by'], ['members.id'], ),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('team_id', 'kind', 'value', name='uq_watch_entry')
    )
    op.create_table('inquiries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('product', sa.String(length=300), nullable=True),
    sa.Column('quantity', sa.String(length=100), nullable=True),
    sa.Column('channel', sa.String(length=32), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('sender_email', sa.String(length=254), nullable=True),
    sa.Column('sender_phone', sa.String(length=32), nullable=True),
    sa.Column('deadline_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deadline_in_running_day', sa.Boolean(), nullable=False),
    sa.Column('replied_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('probe_flags', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], ),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], ),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('inquiries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inquiries_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index('ix_inquiries_member_open', ['member_id', 'replied_at'], unique=False)
        batch_op.create_index('ix_inquiries_team_received', ['team_id', 'received_at'], unique=False)

    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('digest_on_holidays', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.add_column(sa.Column('calendar_country', sa.String(length=2), server_default='CN', nullable=False))
        batch_op.add_column(sa.Column('greeting_lead_days', sa.Integer(), server_default='2', nullable=False))
        batch_op.add_column(sa.Column('channel_shows_names', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.drop_column('channel_shows_names')
        batch_op.drop_column('greeting_lead_days')
        batch_op.drop_column('calendar_country')

    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_column('digest_on_holidays')

    with op.batch_alter_table('inquiries', schema=None) as batch_op:
        batch_op.drop_index('ix_inquiries_team_received')
        batch_op.drop_index('ix_inquiries_member_open')
        batch_op.drop_index(batch_op.f('ix_inquiries_customer_id'))

    op.drop_table('inquiries')
    op.drop_table('watch_entries')
    with op.batch_alter_table('channel_subscriptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_channel_subscriptions_team_id'))

    op.drop_table('channel_subscriptions')
