"""Which booked sessions an availability change would leave outside availability.

PURE: the availability and the sessions come in as arguments. A session is *covered* when one
contiguous stretch of availability that allows its location, forum and service holds all of it,
outside time off — the same fit rule the booking engine applies (``domain.availability``), minus
the rules about when a client may book (notice, horizon, increment, buffer): those stop new
requests, they do not make an existing one wrong.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from portal_app.domain.availability import build_schedule
from portal_app.domain.availability_inputs import BookingPolicy, ExtraHours, TimeOff, WeeklyBlock
from portal_app.domain.epoch_seconds import to_epoch_seconds
from portal_app.domain.intervals import Span, containing_span, merge, subtract
from portal_app.domain.vocabulary import Forum


@dataclass(frozen=True, slots=True)
class HeldSession:
    """A pending request or confirmed appointment, with what its time must allow."""

    appointment_id: int
    starts_at: datetime
    ends_at: datetime
    location_id: int
    forum: Forum
    service_id: int


@dataclass(frozen=True, slots=True)
class ClinicianAvailability:
    """Everything that makes up one clinician's availability: recurring and one-off."""

    blocks: tuple[WeeklyBlock, ...] = ()
    extra_hours: tuple[ExtraHours, ...] = ()
    time_off: tuple[TimeOff, ...] = ()


def covered_sessions(
    sessions: Sequence[HeldSession], availability: ClinicianAvailability, *, time_zone: str
) -> set[int]:
    """The ids of ``sessions`` that lie wholly inside availability allowing them.

    Args:
        sessions: The sessions to check.
        availability: The clinician's availability.
        time_zone: The practice's zone (the blocks' wall clock).

    Returns:
        Appointment ids.
    """
    if not sessions:
        return set()
    window_start = min(held.starts_at for held in sessions)
    window_end = max(held.ends_at for held in sessions)
    # Only the expansion is used: booking rules (notice, horizon, buffer) do not apply here.
    policy = BookingPolicy(time_zone, 0, 0, 5, 0, True)
    schedule = build_schedule(
        blocks=availability.blocks,
        extra_hours=availability.extra_hours,
        time_off=availability.time_off,
        busy=(),
        policy=policy,
        window_start=window_start,
        window_end=window_end,
        now=window_start,
    )
    windows: dict[tuple[int, Forum, int], list[Span]] = {}
    covered: set[int] = set()
    for held in sessions:
        key = (held.location_id, held.forum, held.service_id)
        if key not in windows:
            allowing = merge(
                (start, end)
                for start, end, offer in schedule.offered
                if offer.allows(location_id=held.location_id, forum=held.forum, service_id=held.service_id)
            )
            windows[key] = subtract(allowing, schedule.time_off)
        start, end = to_epoch_seconds(held.starts_at), to_epoch_seconds(held.ends_at)
        if containing_span(windows[key], start, end) is not None:
            covered.add(held.appointment_id)
    return covered


def newly_uncovered(
    sessions: Iterable[HeldSession],
    *,
    before: ClinicianAvailability,
    after: ClinicianAvailability,
    time_zone: str,
) -> list[int]:
    """Sessions inside availability now that a change would leave outside it, in time order.

    A session already outside availability (written by staff, say) is not the change's doing
    and is not listed.
    """
    ordered = sorted(sessions, key=lambda held: (held.starts_at, held.appointment_id))
    inside_now = covered_sessions(ordered, before, time_zone=time_zone)
    candidates = [held for held in ordered if held.appointment_id in inside_now]
    still_inside = covered_sessions(candidates, after, time_zone=time_zone)
    return [held.appointment_id for held in candidates if held.appointment_id not in still_inside]
