"""managers views: exchange rates, the reporting currency and regional price lists

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # --- Pipeline, forecast and /fx: team exchange rates and the reporting currency ---
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('reporting_currency', sa.String(length=3), nullable=False, server_default='CNY')
        )
    op.create_table(
        'fx_rates',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=False),
        sa.Column('currency', sa.String(length=3), nullable=False),
        sa.Column('base', sa.String(length=3), nullable=False),
        sa.Column('rate', sa.Numeric(precision=18, scale=6), nullable=False),
        sa.Column('set_by', sa.Integer(), nullable=False),
        sa.Column('set_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['team_id'], ['teams.id']),
        sa.ForeignKeyConstraint(['set_by'], ['members.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('team_id', 'currency', name='uq_fx_rates_team_currency'),
    )
    # --- End of pipeline, forecast and /fx ---

    # --- Regional price lists: list prices per product and market, and the quote tolerance ---
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('price_tolerance_percent', sa.Numeric(precision=5, scale=2), nullable=False, server_default='10')
        )
    op.create_table(
        'list_prices',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=False),
        sa.Column('product', sa.String(length=300), nullable=False),
        sa.Column('product_key', sa.String(length=300), nullable=False),
        sa.Column('country', sa.String(length=2), nullable=True),
        sa.Column('market_id', sa.Integer(), nullable=True),
        sa.Column('market_key', sa.String(length=16), nullable=False),
        sa.Column('currency', sa.String(length=3), nullable=False),
        sa.Column('amount', sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column('price_unit', sa.String(length=16), nullable=True),
        sa.Column('incoterm', sa.String(length=3), nullable=True),
        sa.Column('incoterm_place', sa.String(length=100), nullable=True),
        sa.Column('set_by', sa.Integer(), nullable=False),
        sa.Column('set_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['team_id'], ['teams.id']),
        sa.ForeignKeyConstraint(['market_id'], ['markets.id']),
        sa.ForeignKeyConstraint(['set_by'], ['members.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('team_id', 'product_key', 'market_key', name='uq_list_prices_product_market'),
    )
    # --- End of regional price lists ---


def downgrade() -> None:
    # --- Regional price lists ---
    op.drop_table('list_prices')
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.drop_column('price_tolerance_percent')
    # --- End of regional price lists ---

    # --- Pipeline, forecast and /fx ---
    op.drop_table('fx_rates')
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.drop_column('reporting_currency')
    # --- End of pipeline, forecast and /fx ---
