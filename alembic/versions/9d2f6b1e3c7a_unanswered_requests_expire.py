"""unanswered requests expire after the practice's hours

Revision ID: 9d2f6b1e3c7a
Revises: 5e77a1c0b2d4
Create Date: 2026-11-29 09:20:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = '9d2f6b1e3c7a'
down_revision: Union[str, Sequence[str], None] = '5e77a1c0b2d4'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('practice', schema=None) as batch_op:
        batch_op.add_column(sa.Column('request_expiry_hours', sa.Integer(), server_default='48', nullable=False))
        batch_op.create_check_constraint(
            'ck_practice_request_expiry_hours', 'request_expiry_hours BETWEEN 1 AND 336'
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('practice', schema=None) as batch_op:
        batch_op.drop_constraint('ck_practice_request_expiry_hours', type_='check')
        batch_op.drop_column('request_expiry_hours')
