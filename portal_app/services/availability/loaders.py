"""Rows of the availability reads turned into the engine's inputs (``domain.availability_inputs``).

Each loader runs one statement of ``queries``. Those that take several clinicians answer for all
of them with one query per table, so a whole practice costs the same number of queries as one
clinician. Nothing here commits: the request service loads inside its own write transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Row
from sqlmodel import Session

from portal_app.domain.appointment_status import HOLDS_TIME
from portal_app.domain.availability_inputs import (
    BookingPolicy,
    BusyTime,
    ExtraHours,
    Offer,
    ServiceRule,
    TimeOff,
    WeeklyBlock,
)
from portal_app.domain.vocabulary import AppointmentStatus, ExceptionKind
from portal_app.services.availability.queries import (
    BLOCKS,
    BUSY,
    BUSY_EXCEPT_ONE,
    CLINICIAN_POLICY,
    EXCEPTIONS,
    POLICY_AND_SERVICE,
    POLICY_COLUMNS,
    PRACTICE_SERVICES,
)

# No appointment lasts longer than this. It bounds the index scan for appointments that began
# before the window but still run into it; the booking rules keep sessions far shorter.
LONGEST_APPOINTMENT = timedelta(hours=24)

_STATUS_BY_VALUE = {status.value: status for status in AppointmentStatus}


@dataclass(frozen=True, slots=True)
class LoadedAvailability:
    """Everything the engine needs about one clinician for one window."""

    blocks: list[WeeklyBlock]
    extra_hours: list[ExtraHours]
    time_off: list[TimeOff]
    busy: list[BusyTime]


def load_policy_and_service(
    session: Session, *, clinician_id: int, service_id: int
) -> tuple[BookingPolicy, ServiceRule]:
    """The clinician's practice policy and one service of that practice, in one query.

    Raises:
        LookupError: No such clinician, or no such service in the clinician's practice.
    """
    row = (
        session.connection()
        .execute(POLICY_AND_SERVICE, {"clinician_id": clinician_id, "service_id": service_id})
        .one_or_none()
    )
    if row is None:
        raise LookupError(f"No clinician {clinician_id} with service {service_id} in their practice.")
    return _policy_from(row), _service_from(row[len(POLICY_COLUMNS) :])


def load_policy(session: Session, *, clinician_id: int) -> tuple[int, BookingPolicy]:
    """The id and policy of the clinician's practice.

    Raises:
        LookupError: No such clinician.
    """
    row = session.execute(CLINICIAN_POLICY, {"clinician_id": clinician_id}).one_or_none()
    if row is None:
        raise LookupError(f"No clinician {clinician_id}.")
    return row.id, _policy_from(row)


def load_services(session: Session, *, practice_id: int) -> list[ServiceRule]:
    """Every service of a practice, in name order."""
    return [_service_from(row) for row in session.execute(PRACTICE_SERVICES, {"practice_id": practice_id})]


def load_availability(
    *,
    session: Session,
    clinician_ids: Sequence[int],
    policy: BookingPolicy,
    window_start: datetime,
    window_end: datetime,
    reach: timedelta,
    viewer_client_id: int | None = None,
    ignore_appointment_id: int | None = None,
) -> dict[int, LoadedAvailability]:
    """Read what the engine needs for sessions starting in a window: three bounded queries.

    Args:
        session: An open session.
        clinician_ids: The clinicians; the number of queries does not depend on how many.
        policy: Their practice's rules (its zone and buffer shape the bounds).
        window_start: Earliest start of interest (aware).
        window_end: Starts are before this (aware).
        reach: How far past ``window_end`` a session starting inside the window may run.
        viewer_client_id: The viewing client, whose own sessions are marked as theirs.
        ignore_appointment_id: An appointment whose time does not count as taken.

    Returns:
        Clinician id to their blocks, exceptions and busy time; every clinician is present.
    """
    cover_end = window_end + reach
    zone = ZoneInfo(policy.time_zone)
    blocks = load_blocks(
        session,
        clinician_ids,
        # The engine looks one local day either side of the window (overnight blocks).
        first_day=window_start.astimezone(zone).date() - timedelta(days=1),
        last_day=cover_end.astimezone(zone).date() + timedelta(days=1),
    )
    extra_hours, time_off = load_exceptions(session, clinician_ids, start=window_start, end=cover_end)
    busy = load_busy(
        session,
        clinician_ids,
        start=window_start - timedelta(minutes=policy.buffer_minutes),
        end=cover_end + timedelta(minutes=policy.buffer_minutes),
        viewer_client_id=viewer_client_id,
        ignore_appointment_id=ignore_appointment_id,
    )
    return {
        clinician_id: LoadedAvailability(
            blocks=blocks[clinician_id],
            extra_hours=extra_hours[clinician_id],
            time_off=time_off[clinician_id],
            busy=busy[clinician_id],
        )
        for clinician_id in clinician_ids
    }


def load_blocks(
    session: Session, clinician_ids: Sequence[int], *, first_day: date, last_day: date
) -> defaultdict[int, list[WeeklyBlock]]:
    """Blocks whose validity overlaps ``[first_day, last_day]``."""
    rows = BLOCKS.execute(session, clinician_ids, {"first_day": first_day, "last_day": last_day})
    blocks: defaultdict[int, list[WeeklyBlock]] = defaultdict(list)
    for row in rows:
        blocks[row.clinician_id].append(weekly_block_of(row))
    return blocks


def weekly_block_of(row: Any) -> WeeklyBlock:
    """A block row (a query's row or an ``AvailabilityBlock``) as the engine's input."""
    return WeeklyBlock(
        weekdays=frozenset(row.weekdays),
        start_local=row.start_local,
        end_local=row.end_local,
        every_n_weeks=row.every_n_weeks,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        offer=offer_of(row),
    )


def offer_of(row: Any) -> Offer:
    """What a block or extra-hours row allows: its location, forums and services."""
    return Offer(row.location_id, row.in_person, row.telehealth, frozenset(row.service_ids))


def load_exceptions(
    session: Session, clinician_ids: Sequence[int], *, start: datetime, end: datetime
) -> tuple[defaultdict[int, list[ExtraHours]], defaultdict[int, list[TimeOff]]]:
    """Extra hours and time off overlapping ``[start, end)``."""
    rows = EXCEPTIONS.execute(session, clinician_ids, {"start": start, "end": end})
    extra_hours: defaultdict[int, list[ExtraHours]] = defaultdict(list)
    time_off: defaultdict[int, list[TimeOff]] = defaultdict(list)
    for row in rows:
        if row.kind is ExceptionKind.TIME_OFF:
            time_off[row.clinician_id].append(TimeOff(row.starts_at, row.ends_at))
        elif row.location_id is not None:  # extra hours without a location allow nothing
            extra_hours[row.clinician_id].append(ExtraHours(row.starts_at, row.ends_at, offer_of(row)))
    return extra_hours, time_off


def load_busy(
    session: Session,
    clinician_ids: Sequence[int],
    *,
    start: datetime,
    end: datetime,
    viewer_client_id: int | None,
    ignore_appointment_id: int | None,
) -> defaultdict[int, list[BusyTime]]:
    """Pending and confirmed appointments overlapping ``[start, end)``, via the start index."""
    parameters: dict[str, datetime | int] = {
        "scan_from": start - LONGEST_APPOINTMENT,
        "start": start,
        "end": end,
    }
    query = BUSY
    if ignore_appointment_id is not None:
        query = BUSY_EXCEPT_ONE
        parameters["ignore_appointment_id"] = ignore_appointment_id
    busy: defaultdict[int, list[BusyTime]] = defaultdict(list)
    for clinician_id, appointment_id, client_id, status_value, start_seconds, end_seconds in query.execute(
        session, clinician_ids, parameters
    ):
        status = _STATUS_BY_VALUE[status_value]
        if status in HOLDS_TIME:
            is_viewers = viewer_client_id is not None and client_id == viewer_client_id
            busy[clinician_id].append(
                BusyTime(start_seconds, end_seconds, status, appointment_id, is_viewers)
            )
    return busy


def _policy_from(row: Row) -> BookingPolicy:
    return BookingPolicy(
        time_zone=row.time_zone,
        minimum_notice_hours=row.minimum_notice_hours,
        booking_horizon_days=row.booking_horizon_days,
        slot_increment_minutes=row.slot_increment_minutes,
        buffer_minutes=row.buffer_minutes,
        telehealth_enabled=row.telehealth_enabled,
    )


def _service_from(row: Sequence[Any]) -> ServiceRule:
    service_id, durations, new_clients, existing_clients, telehealth = row
    return ServiceRule(
        service_id=service_id,
        durations_minutes=tuple(durations),
        new_clients_allowed=new_clients,
        existing_clients_allowed=existing_clients,
        telehealth_allowed=telehealth,
    )
