"""clients record who added them

Revision ID: c4e7a1d09b52
Revises: b7e3c1d9a4f2
Create Date: 2026-11-29 08:40:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = 'c4e7a1d09b52'
down_revision: Union[str, Sequence[str], None] = 'b7e3c1d9a4f2'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.add_column(sa.Column('created_by_user_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_client_created_by_user_id_user', 'user', ['created_by_user_id'], ['id'])


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.drop_constraint('fk_client_created_by_user_id_user', type_='foreignkey')
        batch_op.drop_column('created_by_user_id')
