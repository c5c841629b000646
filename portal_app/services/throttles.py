"""Counting recent requests of one kind by email or by address, for the limits on public forms."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, func, select

from portal_app.models import PasswordResetRequest, PublicRequestAttempt

Logged = type[PasswordResetRequest] | type[PublicRequestAttempt]


def over_limits(
    session: Session,
    table: Logged,
    *,
    email: str,
    client_ip: str,
    now: datetime,
    window: timedelta,
    per_email: int,
    per_address: int,
) -> bool:
    """Whether ``email`` or ``client_ip`` already made as many requests in ``window`` as allowed.

    Call it under ``auth.lock_throttle_keys`` for the same keys, then record the request, in one
    transaction: parallel requests then count each other.
    """

    def recent(of: ColumnElement[bool]) -> int:
        return session.exec(
            select(func.count()).select_from(table).where(col(table.requested_at) > now - window, of)
        ).one()

    by_email = recent(col(table.email) == email)
    return by_email >= per_email or recent(col(table.client_ip) == client_ip) >= per_address
