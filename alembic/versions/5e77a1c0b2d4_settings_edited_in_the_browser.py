"""settings edited in the browser: limits as CHECK constraints, retiring, profiles, audit

Revision ID: 5e77a1c0b2d4
Revises: 5b1e0c7d2a4f
Create Date: 2026-11-29 08:30:00.000000

The bounds are spelled out here rather than read from ``domain.setting_limits``: a migration
states what the schema was at its revision, whatever the code says later.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import portal_app.models
import sqlmodel

# revision identifiers, used by Alembic.
revision: str = '5e77a1c0b2d4'
down_revision: Union[str, Sequence[str], None] = '5b1e0c7d2a4f'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

PRACTICE_CHECKS = {
    'ck_practice_cancellation_window_hours': 'cancellation_window_hours BETWEEN 0 AND 336',
    'ck_practice_minimum_notice_hours': 'minimum_notice_hours BETWEEN 0 AND 720',
    'ck_practice_booking_horizon_days': 'booking_horizon_days BETWEEN 1 AND 730',
    'ck_practice_buffer_minutes': 'buffer_minutes BETWEEN 0 AND 120',
    'ck_practice_reminder_hours_before': 'reminder_hours_before BETWEEN 0 AND 168',
    'ck_practice_video_join_minutes_before': 'video_join_minutes_before BETWEEN 0 AND 60',
    'ck_practice_slot_increment_minutes': 'slot_increment_minutes IN (5, 10, 15, 20, 30, 60)',
    'ck_practice_time_zone_not_blank': 'length(trim(time_zone)) > 0',
}
CLINICIAN_CHECKS = {
    'ck_clinician_display_name_not_blank': 'length(trim(display_name)) > 0',
    'ck_clinician_video_link': "video_link = '' OR video_link LIKE 'https://%'",
}


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('practice', schema=None) as batch_op:
        batch_op.add_column(sa.Column('new_client_requests', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('video_join_minutes_before', sa.Integer(), server_default='10', nullable=False))
        for name, condition in PRACTICE_CHECKS.items():
            batch_op.create_check_constraint(name, condition)

    with op.batch_alter_table('clinician', schema=None) as batch_op:
        batch_op.add_column(sa.Column('video_link', sqlmodel.sql.sqltypes.AutoString(length=500), server_default='', nullable=False))
        for name, condition in CLINICIAN_CHECKS.items():
            batch_op.create_check_constraint(name, condition)

    with op.batch_alter_table('location', schema=None) as batch_op:
        batch_op.add_column(sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.create_check_constraint('ck_location_name_not_blank', 'length(trim(name)) > 0')

    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.add_column(sa.Column('description', sqlmodel.sql.sqltypes.AutoString(length=1000), server_default='', nullable=False))
        batch_op.add_column(sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.create_check_constraint('ck_service_name_not_blank', 'length(trim(name)) > 0')

    op.create_table('settingchange',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('actor_user_id', sa.Integer(), nullable=True),
    sa.Column('subject', sa.Enum('practice', 'service', 'location', 'clinician', name='settingsubject', native_enum=False, length=20), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('subject_name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('field', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('from_value', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('to_value', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('at', portal_app.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_user_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['practice_id'], ['practice.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_settingchange_practice_at', 'settingchange', ['practice_id', 'at'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index('ix_settingchange_practice_at', table_name='settingchange')
    op.drop_table('settingchange')
    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.drop_constraint('ck_service_name_not_blank', type_='check')
        batch_op.drop_column('active')
        batch_op.drop_column('description')
    with op.batch_alter_table('location', schema=None) as batch_op:
        batch_op.drop_constraint('ck_location_name_not_blank', type_='check')
        batch_op.drop_column('active')
    with op.batch_alter_table('clinician', schema=None) as batch_op:
        for name in CLINICIAN_CHECKS:
            batch_op.drop_constraint(name, type_='check')
        batch_op.drop_column('video_link')
    with op.batch_alter_table('practice', schema=None) as batch_op:
        for name in PRACTICE_CHECKS:
            batch_op.drop_constraint(name, type_='check')
        batch_op.drop_column('video_join_minutes_before')
        batch_op.drop_column('new_client_requests')
