"""Instants as whole UTC seconds since the Unix epoch, the availability engine's working unit.

Integers compare and subtract several times faster than datetimes, and a practice's month of
appointments is thousands of them.
"""

from __future__ import annotations

from datetime import UTC, datetime


def to_epoch_seconds(instant: datetime) -> int:
    """``instant`` as whole UTC seconds since the epoch; naive datetimes are refused."""
    if instant.tzinfo is None:
        raise ValueError("naive datetime refused: pass a timezone-aware value")
    return int(instant.timestamp())


def from_epoch_seconds(instant: int) -> datetime:
    """UTC seconds since the epoch as an aware UTC datetime."""
    return datetime.fromtimestamp(instant, UTC)
