"""Whether one exact interval may be booked, and if not, why (a code; the UI words it).

This is the check the request service runs inside its transaction, so it never lists slots:
one pass over the few spans of an already-built ``ClinicianSchedule`` and a few binary
searches. It agrees with ``availability.bookable_starts``: an interval passes exactly when its
start is listed for its length (within the schedule's window).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from portal_app.domain.availability import ClinicianSchedule
from portal_app.domain.availability_inputs import BookingChoice
from portal_app.domain.epoch_seconds import to_epoch_seconds
from portal_app.domain.intervals import containing_span, overlaps_any


class BookingProblem(enum.StrEnum):
    """Why an interval cannot be booked; checked in this order, the first one found is reported."""

    NOT_OPEN_TO_CLIENT = "not_open_to_client"
    SERVICE_NOT_OFFERED = "service_not_offered"
    WRONG_LENGTH = "wrong_length"
    IN_PAST = "in_past"
    NOT_ALIGNED = "not_aligned"
    TOO_SOON = "too_soon"
    TOO_FAR_AHEAD = "too_far_ahead"
    OUTSIDE_AVAILABILITY = "outside_availability"
    OVERLAPS_APPOINTMENT = "overlaps_appointment"


@dataclass(frozen=True, slots=True)
class BookingCheck:
    """The answer: ``problem`` is None when the interval may be booked.

    ``limits`` holds the numbers a message about the problem needs: the service's lengths in
    minutes (``WRONG_LENGTH``), the increment in minutes (``NOT_ALIGNED``), the notice in hours
    (``TOO_SOON``) or the horizon in days (``TOO_FAR_AHEAD``).
    """

    problem: BookingProblem | None
    limits: tuple[int, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether the interval may be booked."""
        return self.problem is None


_BOOKABLE = BookingCheck(None)


def check_interval(
    schedule: ClinicianSchedule, choice: BookingChoice, starts_at: datetime, ends_at: datetime
) -> BookingCheck:
    """Whether ``[starts_at, ends_at)`` may be booked for ``choice``, and if not, why.

    Args:
        schedule: The clinician's schedule over a window holding ``starts_at``.
        choice: Service, location, forum and kind of client.
        starts_at: Requested start (aware).
        ends_at: Requested end (aware).

    Returns:
        ``BookingCheck`` with the first problem found (see ``BookingProblem`` for the order).
    """
    policy = schedule.policy
    service = choice.service
    if not service.open_to(is_new_client=choice.is_new_client):
        return BookingCheck(BookingProblem.NOT_OPEN_TO_CLIENT)
    if not choice.forum_open(policy):
        return BookingCheck(BookingProblem.SERVICE_NOT_OFFERED)
    start, end = to_epoch_seconds(starts_at), to_epoch_seconds(ends_at)
    # In UTC, because aware datetimes sharing a zone subtract as wall-clock times.
    length = ends_at.astimezone(UTC) - starts_at.astimezone(UTC)
    if not any(length == timedelta(minutes=m) for m in service.durations_minutes):
        return BookingCheck(BookingProblem.WRONG_LENGTH, tuple(service.durations_minutes))
    if start < schedule.now:
        return BookingCheck(BookingProblem.IN_PAST)
    increment = policy.slot_increment_minutes
    if starts_at.microsecond or not schedule.timeline.is_aligned(start, increment * 60):
        return BookingCheck(BookingProblem.NOT_ALIGNED, (increment,))
    if start < schedule.earliest_start:
        return BookingCheck(BookingProblem.TOO_SOON, (policy.minimum_notice_hours,))
    if start >= schedule.horizon_end:
        return BookingCheck(BookingProblem.TOO_FAR_AHEAD, (policy.booking_horizon_days,))
    if containing_span(schedule.available_windows(), start, end) is None:
        return BookingCheck(BookingProblem.OUTSIDE_AVAILABILITY)
    if containing_span(schedule.allowing_windows(choice), start, end) is None:
        return BookingCheck(BookingProblem.SERVICE_NOT_OFFERED)
    if overlaps_any(schedule.blocked, start, end):
        return BookingCheck(BookingProblem.OVERLAPS_APPOINTMENT)
    return _BOOKABLE
