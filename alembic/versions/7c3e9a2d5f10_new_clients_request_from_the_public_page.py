"""new clients request from the public page: held requests, their links, cards, throttling

Revision ID: 7c3e9a2d5f10
Revises: 9d2f6b1e3c7a
Create Date: 2026-11-29 11:45:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

import portal_app.models

# revision identifiers, used by Alembic.
revision: str = '7c3e9a2d5f10'
down_revision: Union[str, Sequence[str], None] = '9d2f6b1e3c7a'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('appointment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('new_client', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(
            sa.Column('requested_for', sqlmodel.sql.sqltypes.AutoString(length=20), server_default='', nullable=False)
        )
        batch_op.add_column(sa.Column('hold_expires_at', portal_app.models.UTCDateTime(), nullable=True))
    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prospective', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('onetimelink', schema=None) as batch_op:
        batch_op.alter_column('user_id', existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column('appointment_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_onetimelink_appointment_id'), ['appointment_id'], unique=False)
        batch_op.create_foreign_key('fk_onetimelink_appointment_id', 'appointment', ['appointment_id'], ['id'])
    op.create_table(
        'publicrequestattempt',
        sa.Column('requested_at', portal_app.models.UTCDateTime(), nullable=False),
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.Column('client_ip', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('publicrequestattempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_publicrequestattempt_client_ip'), ['client_ip'], unique=False)
        batch_op.create_index(batch_op.f('ix_publicrequestattempt_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_publicrequestattempt_requested_at'), ['requested_at'], unique=False)
    op.create_table(
        'paymentcard',
        sa.Column('created_at', portal_app.models.UTCDateTime(), nullable=False),
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('practice_id', sa.Integer(), nullable=False),
        sa.Column('client_id', sa.Integer(), nullable=False),
        sa.Column('appointment_id', sa.Integer(), nullable=True),
        sa.Column('gateway', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('token', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column('brand', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('last4', sqlmodel.sql.sqltypes.AutoString(length=4), nullable=False),
        sa.Column('exp_month', sa.Integer(), nullable=False),
        sa.Column('exp_year', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['appointment_id'], ['appointment.id']),
        sa.ForeignKeyConstraint(['client_id'], ['client.id']),
        sa.ForeignKeyConstraint(['practice_id'], ['practice.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('paymentcard', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_paymentcard_client_id'), ['client_id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('paymentcard', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_paymentcard_client_id'))
    op.drop_table('paymentcard')
    with op.batch_alter_table('publicrequestattempt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_publicrequestattempt_requested_at'))
        batch_op.drop_index(batch_op.f('ix_publicrequestattempt_email'))
        batch_op.drop_index(batch_op.f('ix_publicrequestattempt_client_ip'))
    op.drop_table('publicrequestattempt')
    with op.batch_alter_table('onetimelink', schema=None) as batch_op:
        batch_op.drop_constraint('fk_onetimelink_appointment_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_onetimelink_appointment_id'))
        batch_op.drop_column('appointment_id')
        batch_op.alter_column('user_id', existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.drop_column('prospective')
    with op.batch_alter_table('appointment', schema=None) as batch_op:
        batch_op.drop_column('hold_expires_at')
        batch_op.drop_column('requested_for')
        batch_op.drop_column('new_client')
