"""One writer at a time per clinician, so check-then-write sequences cannot interleave."""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session


def lock_clinician(session: Session, clinician_id: int) -> None:
    """Hold the clinician's booking lock until the transaction ends.

    PostgreSQL: a row lock on the clinician (``SELECT … FOR NO KEY UPDATE``), so requests and
    acceptances for one clinician queue up while other clinicians proceed. Not ``FOR UPDATE``:
    that also blocks the key-share locks foreign-key checks take on the clinician row, so a
    transaction that holds an appointment row and re-checks its keys (an UPDATE of a row it
    already updated) would deadlock with an Accept waiting for that appointment row.
    SQLite: nothing to do, because the caller's session was opened ``for_writing`` and
    ``BEGIN IMMEDIATE`` already serialises every writer of the database.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT id FROM clinician WHERE id = :id FOR NO KEY UPDATE"), {"id": clinician_id}
        )
