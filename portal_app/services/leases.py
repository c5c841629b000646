"""Leases: one process at a time does a job, whatever the number of workers.

A lease is a row naming its holder and when it lapses. Taking or renewing it is one conditional
UPDATE (or an INSERT for the first holder), so two workers asking at once cannot both get it, on
SQLite (whose writes are serialised) and on PostgreSQL (the row lock of the UPDATE) alike.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from portal_app.models import WorkerLease


def hold_lease(*, session: Session, name: str, holder: str, now: datetime, lasts: timedelta) -> bool:
    """Take ``name`` for ``holder`` until ``now + lasts`` if it is free, lapsed, or already theirs.

    Returns:
        Whether ``holder`` holds the lease now (and so should do the job this round).
    """
    renewed = session.exec(
        update(WorkerLease)
        .where(
            col(WorkerLease.name) == name,
            (col(WorkerLease.holder) == holder) | (col(WorkerLease.expires_at) <= now),
        )
        .values(holder=holder, expires_at=now + lasts)
    )
    if renewed.rowcount == 1:
        session.commit()
        return True
    session.rollback()
    if session.get(WorkerLease, name) is not None:
        return False
    try:
        session.add(WorkerLease(name=name, holder=holder, expires_at=now + lasts))
        session.commit()
    except IntegrityError:
        # Another worker inserted it first: theirs.
        session.rollback()
        return False
    return True
