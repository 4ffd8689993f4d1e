"""teams roles and trade secret: invitations, refusals, markets

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('markets_outside_allowed', sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table(
        'invitations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=False),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('role', sa.Enum('admin', 'manager', 'rep', name='role', native_enum=False, length=16), nullable=False),
        sa.Column('created_by', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('used_by', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['team_id'], ['teams.id']),
        sa.ForeignKeyConstraint(['created_by'], ['members.id']),
        sa.ForeignKeyConstraint(['used_by'], ['members.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('code_hash'),
    )
    op.create_index('ix_invitations_team_id', 'invitations', ['team_id'])
    op.create_table(
        'refusals',
        sa.Column('platform', sa.String(length=16), nullable=False),
        sa.Column('external_id', sa.String(length=64), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['team_id'], ['teams.id']),
        sa.PrimaryKeyConstraint('platform', 'external_id'),
    )
    op.create_table(
        'markets',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('name_key', sa.String(length=100), nullable=False),
        sa.Column('countries', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['team_id'], ['teams.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('team_id', 'name_key', name='uq_markets_team_name'),
    )
    op.create_index('ix_markets_team_id', 'markets', ['team_id'])
    op.create_table(
        'member_markets',
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('market_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['member_id'], ['members.id']),
        sa.ForeignKeyConstraint(['market_id'], ['markets.id']),
        sa.PrimaryKeyConstraint('member_id', 'market_id'),
    )


def downgrade() -> None:
    op.drop_table('member_markets')
    op.drop_index('ix_markets_team_id', table_name='markets')
    op.drop_table('markets')
    op.drop_table('refusals')
    op.drop_index('ix_invitations_team_id', table_name='invitations')
    op.drop_table('invitations')
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.drop_column('markets_outside_allowed')
