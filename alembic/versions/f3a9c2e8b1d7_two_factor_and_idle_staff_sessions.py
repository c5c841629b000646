"""two-factor sign-in (authenticator apps, recovery codes) and idle staff sessions

Revision ID: f3a9c2e8b1d7
Revises: 7c3e9a2d5f10
Create Date: 2026-11-29 11:15:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import portal_app.models

# revision identifiers, used by Alembic.
revision: str = 'f3a9c2e8b1d7'
down_revision: Union[str, Sequence[str], None] = '7c3e9a2d5f10'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('practice', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('staff_two_factor_required', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column('staff_idle_minutes', sa.Integer(), server_default='30', nullable=False))
        batch_op.create_check_constraint('ck_practice_staff_idle_minutes', 'staff_idle_minutes BETWEEN 5 AND 720')
    with op.batch_alter_table('usersession', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_active_at', portal_app.models.UTCDateTime(), nullable=True))
    op.create_table(
        'twofactorcredential',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('secret', sa.String(length=64), nullable=False),
        sa.Column('created_at', portal_app.models.UTCDateTime(), nullable=False),
        sa.Column('confirmed_at', portal_app.models.UTCDateTime(), nullable=True),
        sa.Column('last_used_step', sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['user.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('user_id'),
    )
    op.create_table(
        'recoverycode',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('used_at', portal_app.models.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['user.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_recoverycode_user_id'), 'recoverycode', ['user_id'], unique=False)
    op.create_table(
        'signinchallenge',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('browser_hash', sa.String(length=64), nullable=False),
        sa.Column('client_ip', sa.String(length=64), nullable=False),
        sa.Column('enrolling', sa.Boolean(), nullable=False),
        sa.Column('expires_at', portal_app.models.UTCDateTime(), nullable=False),
        sa.Column('verified_at', portal_app.models.UTCDateTime(), nullable=True),
        sa.Column('used_at', portal_app.models.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['user.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('token_hash'),
    )
    op.create_index(op.f('ix_signinchallenge_user_id'), 'signinchallenge', ['user_id'], unique=False)
    op.create_table(
        'secondstepattempt',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('client_ip', sa.String(length=64), nullable=False),
        sa.Column('succeeded', sa.Boolean(), nullable=False),
        sa.Column('attempted_at', portal_app.models.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_secondstepattempt_user_id'), 'secondstepattempt', ['user_id'], unique=False)
    op.create_index(op.f('ix_secondstepattempt_attempted_at'), 'secondstepattempt', ['attempted_at'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index(op.f('ix_secondstepattempt_attempted_at'), table_name='secondstepattempt')
    op.drop_index(op.f('ix_secondstepattempt_user_id'), table_name='secondstepattempt')
    op.drop_table('secondstepattempt')
    op.drop_index(op.f('ix_signinchallenge_user_id'), table_name='signinchallenge')
    op.drop_table('signinchallenge')
    op.drop_index(op.f('ix_recoverycode_user_id'), table_name='recoverycode')
    op.drop_table('recoverycode')
    op.drop_table('twofactorcredential')
    with op.batch_alter_table('usersession', schema=None) as batch_op:
        batch_op.drop_column('last_active_at')
    with op.batch_alter_table('practice', schema=None) as batch_op:
        batch_op.drop_constraint('ck_practice_staff_idle_minutes', type_='check')
        batch_op.drop_column('staff_idle_minutes')
        batch_op.drop_column('staff_two_factor_required')
