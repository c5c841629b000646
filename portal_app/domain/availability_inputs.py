"""What the availability engine is given: plain, immutable descriptions of the stored rows.

The service layer builds these from the database; tests and benchmarks build them directly.
Instants are timezone-aware datetimes (busy times, the many, are whole UTC seconds); block times
are wall-clock times in the practice's zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import NamedTuple

from portal_app.domain.epoch_seconds import from_epoch_seconds, to_epoch_seconds
from portal_app.domain.vocabulary import AppointmentStatus, Forum


@dataclass(frozen=True, slots=True)
class Offer:
    """What a stretch of availability allows: one location, its forums and its services."""

    location_id: int
    in_person: bool
    telehealth: bool
    service_ids: frozenset[int]

    def has_forum(self, forum: Forum) -> bool:
        """Whether sessions in ``forum`` may happen in this stretch."""
        # == rather than "is": a plain "telehealth" string from a caller must not count as in-person.
        return self.telehealth if forum == Forum.TELEHEALTH else self.in_person

    def allows(self, *, location_id: int, forum: Forum, service_id: int) -> bool:
        """Whether this stretch allows ``service_id`` at ``location_id`` in ``forum``."""
        return self.location_id == location_id and service_id in self.service_ids and self.has_forum(forum)


@dataclass(frozen=True, slots=True)
class WeeklyBlock:
    """Recurring availability: the same local hours on some weekdays, every N weeks.

    ``every_n_weeks`` counts weeks (Monday to Sunday) from the week holding ``valid_from``. An
    ``end_local`` at or before ``start_local`` means the block runs past midnight, so a block
    ending at 00:00 ends at the close of its day.
    """

    weekdays: frozenset[int]  # Monday = 0
    start_local: time
    end_local: time
    every_n_weeks: int
    valid_from: date
    valid_until: date | None
    offer: Offer


@dataclass(frozen=True, slots=True)
class ExtraHours:
    """One-off added availability, with what it allows."""

    starts_at: datetime
    ends_at: datetime
    offer: Offer


@dataclass(frozen=True, slots=True)
class TimeOff:
    """One-off removed availability; it removes every kind of session."""

    starts_at: datetime
    ends_at: datetime


class BusyTime(NamedTuple):
    """A pending request or confirmed appointment that holds the clinician's time.

    A named tuple of whole UTC seconds rather than a dataclass of datetimes: a practice's month
    holds thousands, and the database hands them over as integers. ``BusyTime.between`` builds
    one from datetimes. ``is_viewers`` marks the viewing client's own, so the calendar can say
    "your request".
    """

    start_seconds: int
    end_seconds: int
    status: AppointmentStatus
    appointment_id: int | None = None
    is_viewers: bool = False

    @classmethod
    def between(
        cls,
        starts_at: datetime,
        ends_at: datetime,
        *,
        status: AppointmentStatus,
        appointment_id: int | None = None,
        is_viewers: bool = False,
    ) -> BusyTime:
        """A busy time from aware datetimes."""
        return cls(to_epoch_seconds(starts_at), to_epoch_seconds(ends_at), status, appointment_id, is_viewers)

    @property
    def starts_at(self) -> datetime:
        """The start as an aware UTC datetime."""
        return from_epoch_seconds(self.start_seconds)

    @property
    def ends_at(self) -> datetime:
        """The end as an aware UTC datetime."""
        return from_epoch_seconds(self.end_seconds)


@dataclass(frozen=True, slots=True)
class ServiceRule:
    """The booking rules of one service."""

    service_id: int
    durations_minutes: tuple[int, ...]  # allowed lengths; the first is the default
    new_clients_allowed: bool
    existing_clients_allowed: bool
    telehealth_allowed: bool

    def open_to(self, *, is_new_client: bool) -> bool:
        """Whether a new (or existing) client may book this service."""
        return self.new_clients_allowed if is_new_client else self.existing_clients_allowed


@dataclass(frozen=True, slots=True)
class BookingPolicy:
    """The practice's scheduling rules."""

    time_zone: str
    minimum_notice_hours: int
    booking_horizon_days: int
    slot_increment_minutes: int
    buffer_minutes: int
    telehealth_enabled: bool


@dataclass(frozen=True, slots=True)
class BookingChoice:
    """What a client is booking: the wizard's answers before the time."""

    service: ServiceRule
    location_id: int
    forum: Forum
    is_new_client: bool

    def permitted_by(self, policy: BookingPolicy) -> bool:
        """Whether this client may book this service in this forum at all, at any time."""
        return self.service.open_to(is_new_client=self.is_new_client) and self.forum_open(policy)

    def forum_open(self, policy: BookingPolicy) -> bool:
        """Whether the practice and the service allow this forum at all."""
        if self.forum == Forum.TELEHEALTH:
            return policy.telehealth_enabled and self.service.telehealth_allowed
        return True
