"""an appointment may replace another (reschedule requests, proposals)

Revision ID: b7e3c1d9a4f2
Revises: a709fa27f150
Create Date: 2026-11-29 08:30:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = 'b7e3c1d9a4f2'
down_revision: Union[str, Sequence[str], None] = 'a709fa27f150'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('appointment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('replaces_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_appointment_replaces_id'), ['replaces_id'], unique=False)
        batch_op.create_foreign_key(
            'fk_appointment_replaces_id_appointment', 'appointment', ['replaces_id'], ['id']
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('appointment', schema=None) as batch_op:
        batch_op.drop_constraint('fk_appointment_replaces_id_appointment', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_appointment_replaces_id'))
        batch_op.drop_column('replaces_id')
