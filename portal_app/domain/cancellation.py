"""When a client may cancel online, and when a telehealth session may be joined.

Every instant is turned to UTC before it is compared or subtracted: two datetimes that share a
``ZoneInfo`` compare and subtract as wall-clock times, which is an hour off across a DST change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from portal_app.domain.vocabulary import AppointmentStatus

JOIN_EARLY_MINUTES = 10


def can_cancel_online(
    *, online_cancellation: bool, window_hours: int, starts_at: datetime, now: datetime
) -> bool:
    """Online cancellation is on and the start is at least ``window_hours`` real hours away.

    Exactly ``window_hours`` before the start is still outside the window (cancellable).
    """
    until_start = starts_at.astimezone(UTC) - now.astimezone(UTC)
    return online_cancellation and until_start >= timedelta(hours=window_hours)


def video_join_open(
    *,
    starts_at: datetime,
    ends_at: datetime,
    now: datetime,
    opens_minutes_before: int = JOIN_EARLY_MINUTES,
) -> bool:
    """Join Video works from ``opens_minutes_before`` the start (the practice's
    ``video_join_minutes_before``; 10 by default) until, not including, the end."""
    now_utc = now.astimezone(UTC)
    opens = starts_at.astimezone(UTC) - timedelta(minutes=opens_minutes_before)
    return opens <= now_utc < ends_at.astimezone(UTC)


@dataclass(frozen=True)
class ClientActions:
    """What a client may do with one of their appointments now.

    Attributes:
        can_withdraw: A pending request that has not started.
        can_cancel: A confirmed appointment the practice lets them cancel online now.
        must_call: A confirmed, upcoming appointment they may not cancel online (inside the
            window, or online cancellation is off): the portal gives the phone number.
        can_answer: A time the therapist proposed, not yet started: Accept or Decline it.
    """

    can_withdraw: bool = False
    can_cancel: bool = False
    must_call: bool = False
    can_answer: bool = False


def client_actions(
    *,
    status: AppointmentStatus,
    starts_at: datetime,
    now: datetime,
    online_cancellation: bool,
    window_hours: int,
) -> ClientActions:
    """The actions a client is offered on one appointment (the services enforce the same rules)."""
    upcoming = starts_at.astimezone(UTC) > now.astimezone(UTC)
    if not upcoming:
        return ClientActions()
    if status == AppointmentStatus.REQUESTED:
        return ClientActions(can_withdraw=True)
    if status == AppointmentStatus.PROPOSED:
        return ClientActions(can_answer=True)
    if status != AppointmentStatus.CONFIRMED:
        return ClientActions()
    cancellable = can_cancel_online(
        online_cancellation=online_cancellation, window_hours=window_hours, starts_at=starts_at, now=now
    )
    return ClientActions(can_cancel=cancellable, must_call=not cancellable)
