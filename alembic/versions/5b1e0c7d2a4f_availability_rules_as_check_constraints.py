"""availability rules as check constraints

Revision ID: 5b1e0c7d2a4f
Revises: 6bab75cafccf
Create Date: 2026-11-29 08:20:00

The availability editor validates every field first; these are the rules no row may break
whoever writes it. SQLite cannot add a constraint to a table, so the batch mode copies it.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "5b1e0c7d2a4f"
down_revision: str | Sequence[str] | None = "6bab75cafccf"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BLOCK_CHECKS = {
    "ck_availabilityblock_every_n_weeks": "every_n_weeks >= 1",
    "ck_availabilityblock_end_after_start": "end_local > start_local",
    "ck_availabilityblock_valid_range": "valid_until IS NULL OR valid_until >= valid_from",
}
_EXCEPTION_CHECKS = {"ck_availabilityexception_positive_length": "ends_at > starts_at"}


def upgrade() -> None:
    """Add the checks."""
    with op.batch_alter_table("availabilityblock") as batch:
        for name, condition in _BLOCK_CHECKS.items():
            batch.create_check_constraint(name, condition)
    with op.batch_alter_table("availabilityexception") as batch:
        for name, condition in _EXCEPTION_CHECKS.items():
            batch.create_check_constraint(name, condition)


def downgrade() -> None:
    """Drop the checks."""
    with op.batch_alter_table("availabilityexception") as batch:
        for name in _EXCEPTION_CHECKS:
            batch.drop_constraint(name, type_="check")
    with op.batch_alter_table("availabilityblock") as batch:
        for name in _BLOCK_CHECKS:
            batch.drop_constraint(name, type_="check")
