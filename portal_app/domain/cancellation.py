"""When a client may cancel online, and when a telehealth session may be joined."""

from __future__ import annotations

from datetime import datetime, timedelta

JOIN_EARLY = timedelta(minutes=10)


def can_cancel_online(
    *, online_cancellation: bool, window_hours: int, starts_at: datetime, now: datetime
) -> bool:
    """Online cancellation is on and the start is at least ``window_hours`` away."""
    return online_cancellation and starts_at - now >= timedelta(hours=window_hours)


def video_join_open(*, starts_at: datetime, ends_at: datetime, now: datetime) -> bool:
    """Join Video works from 10 minutes before the start until the end."""
    return starts_at - JOIN_EARLY <= now < ends_at
