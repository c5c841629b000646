"""The four questions the portal asks about a clinician's free time.

Each loads exactly what its window needs (``loaders``) and hands it to the pure engine
(``domain.availability``, ``domain.week_grid``, ``domain.bookability``,
``domain.booking_choices``). Nothing here commits: the request service calls ``check_bookable``
inside its own write transaction.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from portal_app.domain.availability import ClinicianSchedule, bookable_starts, build_schedule
from portal_app.domain.availability_inputs import BookingChoice
from portal_app.domain.bookability import BookingCheck, check_interval
from portal_app.domain.booking_choices import BookingChoices, booking_choices
from portal_app.domain.week_grid import WeekGrid, build_week_grid, week_window
from portal_app.services.availability.loaders import (
    load_availability,
    load_blocks,
    load_exceptions,
    load_policy,
    load_policy_and_service,
    load_services,
)
from portal_app.services.availability.slot_request import SlotRequest


def bookable_slots(
    *,
    session: Session,
    slot_request: SlotRequest,
    window_start: datetime,
    window_end: datetime,
    now: datetime,
    duration_minutes: int | None = None,
) -> list[datetime]:
    """The start times a client may book with one clinician in a window.

    Args:
        session: An open session.
        slot_request: Clinician, service, location, forum and client.
        window_start: Earliest start of interest (aware).
        window_end: Starts are before this (aware).
        now: The current instant.
        duration_minutes: Session length; the service's default when omitted.

    Returns:
        Aware UTC datetimes in order.

    Raises:
        LookupError: No such clinician, or no such service in the clinician's practice.
    """
    schedule, choice = _schedule_and_choice(
        session, slot_request, window=(window_start, window_end), whole_sessions=True, now=now
    )
    return bookable_starts(schedule, choice, duration_minutes=duration_minutes)


def week_grid(
    *,
    session: Session,
    slot_request: SlotRequest,
    first_day: date,
    display_zone: str,
    now: datetime,
) -> WeekGrid:
    """The booking calendar for seven local days of the viewer's zone.

    Args:
        session: An open session.
        slot_request: Clinician, service, location, forum and client; the viewing client's own
            sessions are shown as theirs.
        first_day: The first day shown, in ``display_zone``.
        display_zone: The viewer's IANA zone (their browser's).
        now: The current instant.

    Returns:
        The grid (format in ``portal_app.domain.week_grid``).

    Raises:
        LookupError: No such clinician, or no such service in the clinician's practice.
    """
    schedule, choice = _schedule_and_choice(
        session,
        slot_request,
        window=week_window(first_day=first_day, display_zone=display_zone),
        whole_sessions=True,
        now=now,
    )
    return build_week_grid(schedule, choice, display_zone=display_zone)


def check_bookable(
    *,
    session: Session,
    slot_request: SlotRequest,
    starts_at: datetime,
    ends_at: datetime,
    now: datetime,
) -> BookingCheck:
    """Whether exactly ``[starts_at, ends_at)`` may be booked, and if not, why.

    Loads only what touches the interval (four small indexed queries), so it is cheap enough
    to run inside the request's write transaction.

    Args:
        session: An open session (its transaction is the caller's).
        slot_request: Clinician, service, location, forum and client.
        starts_at: Requested start (aware).
        ends_at: Requested end (aware).
        now: The current instant.

    Returns:
        The answer with a reason code and a message for the client.

    Raises:
        LookupError: No such clinician, or no such service in the clinician's practice.
    """
    schedule, choice = _schedule_and_choice(
        session, slot_request, window=(starts_at, ends_at), whole_sessions=False, now=now
    )
    return check_interval(schedule, choice, starts_at, ends_at)


def wizard_choices(
    *, session: Session, clinician_id: int, is_new_client: bool, now: datetime
) -> BookingChoices:
    """The locations, forums and services the booking wizard may offer for one provider.

    They follow from the provider's blocks that have not ended and their extra hours that are
    still ahead within the booking horizon.

    Args:
        session: An open session.
        clinician_id: The provider.
        is_new_client: Whether the client is new to the practice.
        now: The current instant.

    Returns:
        The choices (ids; services in name order).

    Raises:
        LookupError: No such clinician.
    """
    practice_id, policy = load_policy(session, clinician_id=clinician_id)
    services = load_services(session, practice_id=practice_id)
    today = now.astimezone(ZoneInfo(policy.time_zone)).date()
    horizon = now + timedelta(days=policy.booking_horizon_days + 1)
    blocks = load_blocks(session, [clinician_id], first_day=today, last_day=horizon.date())
    extra_hours = load_exceptions(session, [clinician_id], start=now, end=horizon)[0]
    offers = [block.offer for block in blocks[clinician_id]]
    offers.extend(extra.offer for extra in extra_hours[clinician_id])
    return booking_choices(offers=offers, services=services, policy=policy, is_new_client=is_new_client)


def _schedule_and_choice(
    session: Session,
    slot_request: SlotRequest,
    *,
    window: tuple[datetime, datetime],
    whole_sessions: bool,
    now: datetime,
) -> tuple[ClinicianSchedule, BookingChoice]:
    """The clinician's schedule over ``window`` and the client's choice, ready for the engine.

    ``whole_sessions`` loads availability far enough past the window's end for the longest
    session of the service to start inside it; a check of one exact interval needs no more.
    """
    clinician_id = slot_request.clinician_id
    policy, service = load_policy_and_service(
        session, clinician_id=clinician_id, service_id=slot_request.service_id
    )
    window_start, window_end = window
    loaded = load_availability(
        session=session,
        clinician_ids=[clinician_id],
        policy=policy,
        window_start=window_start,
        window_end=window_end,
        reach=timedelta(minutes=max(service.durations_minutes)) if whole_sessions else timedelta(0),
        viewer_client_id=slot_request.viewer_client_id,
        ignore_appointment_id=slot_request.ignore_appointment_id,
    )[clinician_id]
    schedule = build_schedule(
        blocks=loaded.blocks,
        extra_hours=loaded.extra_hours,
        time_off=loaded.time_off,
        busy=loaded.busy,
        policy=policy,
        window_start=window_start,
        window_end=window_end,
        now=now,
    )
    choice = BookingChoice(service, slot_request.location_id, slot_request.forum, slot_request.is_new_client)
    return schedule, choice
