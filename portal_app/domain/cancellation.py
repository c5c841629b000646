"""When a client may cancel online, and when a telehealth session may be joined.

Every instant is turned to UTC before it is compared or subtracted: two datetimes that share a
``ZoneInfo`` compare and subtract as wall-clock times, which is an hour off across a DST change.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

JOIN_EARLY = timedelta(minutes=10)


def can_cancel_online(
    *, online_cancellation: bool, window_hours: int, starts_at: datetime, now: datetime
) -> bool:
    """Online cancellation is on and the start is at least ``window_hours`` real hours away.

    Exactly ``window_hours`` before the start is still outside the window (cancellable).
    """
    until_start = starts_at.astimezone(UTC) - now.astimezone(UTC)
    return online_cancellation and until_start >= timedelta(hours=window_hours)


def video_join_open(*, starts_at: datetime, ends_at: datetime, now: datetime) -> bool:
    """Join Video works from 10 minutes before the start until (not including) the end."""
    now_utc = now.astimezone(UTC)
    return starts_at.astimezone(UTC) - JOIN_EARLY <= now_utc < ends_at.astimezone(UTC)
