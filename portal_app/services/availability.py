"""Free time of clinicians, loaded from the database: exactly what one window needs.

Every query is bounded by the window and served by an index, so the cost follows the window,
never the length of a clinician's history:

- blocks: ``clinician_id`` (indexed) and validity overlapping the window's local dates;
- exceptions: ``clinician_id`` (indexed) and overlapping the window;
- appointments: the ``(clinician_id, starts_at)`` index, scanning
  ``window_start - buffer - LONGEST_APPOINTMENT < starts_at < window_end + buffer``, then
  dropping those that end too early or do not hold time (only requested and confirmed do).

One function answers for a whole practice with the same number of queries as for one clinician
(one per table, all clinicians at once). Nothing here commits: the request service calls
``check_bookable`` inside its own write transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    CursorResult,
    Row,
    Select,
    String,
    bindparam,
    cast,
    extract,
    func,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.expression import FunctionElement
from sqlmodel import Session

from portal_app.domain.appointment_status import HOLDS_TIME
from portal_app.domain.availability import (
    ClinicianSchedule,
    bookable_start_seconds,
    bookable_starts,
    build_schedule,
)
from portal_app.domain.availability_inputs import (
    BookingChoice,
    BookingPolicy,
    BusyTime,
    ExtraHours,
    Offer,
    ServiceRule,
    TimeOff,
    WeeklyBlock,
)
from portal_app.domain.bookability import BookingCheck, check_interval
from portal_app.domain.booking_choices import BookingChoices, booking_choices
from portal_app.domain.epoch_seconds import from_epoch_seconds
from portal_app.domain.vocabulary import AppointmentStatus, ExceptionKind, Forum
from portal_app.domain.week_grid import WeekGrid, build_week_grid, week_window
from portal_app.models import (
    Appointment,
    AvailabilityBlock,
    AvailabilityException,
    Clinician,
    Practice,
    Service,
)

# No appointment lasts longer than this. It bounds the index scan for appointments that began
# before the window but still run into it; the booking rules keep sessions far shorter.
LONGEST_APPOINTMENT = timedelta(hours=24)

_POLICY_COLUMNS = (
    Practice.id,
    Practice.time_zone,
    Practice.minimum_notice_hours,
    Practice.booking_horizon_days,
    Practice.slot_increment_minutes,
    Practice.buffer_minutes,
    Practice.telehealth_enabled,
)
_SERVICE_COLUMNS = (
    Service.id,
    Service.durations_minutes,
    Service.new_clients_allowed,
    Service.existing_clients_allowed,
    Service.telehealth_allowed,
)


class _EpochSeconds(FunctionElement):
    """Whole UTC seconds since the epoch of a timestamp column, computed by the database."""

    type = BigInteger()
    inherit_cache = True
    name = "epoch_seconds"


@compiles(_EpochSeconds, "sqlite")
def _epoch_seconds_on_sqlite(element: _EpochSeconds, compiler, **kw) -> str:
    # Stored as UTC text ("2026-04-07 14:00:00.000000"), which SQLite's date functions read as
    # UTC. unixepoch() (SQLite 3.38+) is several times cheaper than strftime('%s').
    (column,) = element.clauses
    if compiler.dialect.dbapi.sqlite_version_info >= (3, 38):
        return compiler.process(func.unixepoch(column), **kw)
    return compiler.process(cast(func.strftime("%s", column), BigInteger), **kw)


@compiles(_EpochSeconds, "postgresql")
def _epoch_seconds_on_postgresql(element: _EpochSeconds, compiler, **kw) -> str:
    (column,) = element.clauses
    return compiler.process(cast(func.floor(extract("epoch", column)), BigInteger), **kw)


_STATUS_BY_VALUE = {status.value: status for status in AppointmentStatus}

# The statements are built once: building SQLAlchemy expressions costs more per call than
# running these small indexed queries, and they run on the session's connection (Core), which
# skips the ORM's per-row work.
_POLICY_AND_SERVICE = (
    select(*_POLICY_COLUMNS, *_SERVICE_COLUMNS)
    .join(Clinician, Clinician.practice_id == Practice.id)
    .join(Service, Service.practice_id == Practice.id)
    .where(Clinician.id == bindparam("clinician_id"), Service.id == bindparam("service_id"))
)


class _PerClinician:
    """One statement in two shapes: ``= :clinician_id`` for one clinician, ``IN`` for several.

    SQLAlchemy renders an expanding IN list again on every execution, which is a third of the
    cost of these small queries; a single clinician (every client page) does without it.
    """

    def __init__(self, column: InstrumentedAttribute, build: Callable[[ColumnElement[bool]], Select]):
        self._build = build
        self._column = column
        self._one = build(column == bindparam("clinician_id"))
        self._many = build(column.in_(bindparam("clinician_ids", expanding=True)))

    def where(self, condition: ColumnElement[bool]) -> _PerClinician:
        """The same statement with one more condition."""
        return _PerClinician(self._column, lambda by_clinician: self._build(by_clinician).where(condition))

    def execute(self, session: Session, clinician_ids: Sequence[int], parameters: dict) -> CursorResult:
        """Run on the session's connection (inside its transaction)."""
        if len(clinician_ids) == 1:
            return session.connection().execute(self._one, {"clinician_id": clinician_ids[0], **parameters})
        return session.connection().execute(self._many, {"clinician_ids": list(clinician_ids), **parameters})


_BLOCKS = _PerClinician(
    AvailabilityBlock.clinician_id,
    lambda by_clinician: select(
        AvailabilityBlock.clinician_id,
        AvailabilityBlock.weekdays,
        AvailabilityBlock.start_local,
        AvailabilityBlock.end_local,
        AvailabilityBlock.every_n_weeks,
        AvailabilityBlock.valid_from,
        AvailabilityBlock.valid_until,
        AvailabilityBlock.location_id,
        AvailabilityBlock.in_person,
        AvailabilityBlock.telehealth,
        AvailabilityBlock.service_ids,
    ).where(
        by_clinician,
        AvailabilityBlock.valid_from <= bindparam("last_day"),
        or_(AvailabilityBlock.valid_until.is_(None), AvailabilityBlock.valid_until >= bindparam("first_day")),
    ),
)
_EXCEPTIONS = _PerClinician(
    AvailabilityException.clinician_id,
    lambda by_clinician: select(
        AvailabilityException.clinician_id,
        AvailabilityException.kind,
        AvailabilityException.starts_at,
        AvailabilityException.ends_at,
        AvailabilityException.location_id,
        AvailabilityException.in_person,
        AvailabilityException.telehealth,
        AvailabilityException.service_ids,
    ).where(
        by_clinician,
        AvailabilityException.starts_at < bindparam("end"),
        AvailabilityException.ends_at > bindparam("start"),
    ),
)
_BUSY = _PerClinician(
    Appointment.clinician_id,
    lambda by_clinician: select(
        Appointment.clinician_id,
        Appointment.id,
        Appointment.client_id,
        # Raw values: the many rows of a practice's month skip SQLAlchemy's per-value conversions.
        type_coerce(Appointment.status, String).label("status"),
        _EpochSeconds(Appointment.starts_at).label("start_seconds"),
        _EpochSeconds(Appointment.ends_at).label("end_seconds"),
    ).where(
        by_clinician,
        # A range on the indexed start; the end is checked on the few rows it yields.
        Appointment.starts_at > bindparam("scan_from"),
        Appointment.starts_at < bindparam("end"),
        Appointment.ends_at > bindparam("start"),
        # No status condition: given one, SQLite's planner prefers the status index for a list of
        # clinicians and reads every pending or confirmed appointment of the practice. The few
        # declined or cancelled ones in the window are dropped in Python instead.
    ),
)
_BUSY_EXCEPT_ONE = _BUSY.where(Appointment.id != bindparam("ignore_appointment_id"))


def bookable_slots(
    *,
    session: Session,
    clinician_id: int,
    service_id: int,
    location_id: int,
    forum: Forum,
    window_start: datetime,
    window_end: datetime,
    now: datetime,
    is_new_client: bool,
    duration_minutes: int | None = None,
    viewer_client_id: int | None = None,
    ignore_appointment_id: int | None = None,
) -> list[datetime]:
    """The start times a client may book with one clinician in a window.

    Args:
        session: An open session.
        clinician_id: The provider.
        service_id: The service (must belong to the clinician's practice).
        location_id: The chosen location.
        forum: In-person or telehealth.
        window_start: Earliest start of interest (aware).
        window_end: Starts are before this (aware).
        now: The current instant.
        is_new_client: Whether the client is new to the practice.
        duration_minutes: Session length; the service's default when omitted.
        viewer_client_id: The viewing client, if any (only marks their own sessions).
        ignore_appointment_id: An appointment whose time does not count as taken (the request
            being moved to another time).

    Returns:
        Aware UTC datetimes in order.

    Raises:
        LookupError: No such clinician, or no such service in the clinician's practice.
    """
    schedule, choice = _one_clinician(
        session,
        clinician_id=clinician_id,
        service_id=service_id,
        place=(location_id, forum),
        window=(window_start, window_end),
        whole_sessions=True,
        now=now,
        is_new_client=is_new_client,
        viewer_client_id=viewer_client_id,
        ignore_appointment_id=ignore_appointment_id,
    )
    return bookable_starts(schedule, choice, duration_minutes=duration_minutes)


def week_grid(
    *,
    session: Session,
    clinician_id: int,
    service_id: int,
    location_id: int,
    forum: Forum,
    first_day: date,
    display_zone: str,
    now: datetime,
    is_new_client: bool,
    viewer_client_id: int | None = None,
    ignore_appointment_id: int | None = None,
) -> WeekGrid:
    """The booking calendar for seven local days of the viewer's zone.

    Args:
        session: An open session.
        clinician_id: The provider.
        service_id: The service (must belong to the clinician's practice).
        location_id: The chosen location.
        forum: In-person or telehealth.
        first_day: The first day shown, in ``display_zone``.
        display_zone: The viewer's IANA zone (their browser's).
        now: The current instant.
        is_new_client: Whether the client is new to the practice.
        viewer_client_id: The viewing client, whose own sessions are shown as theirs.
        ignore_appointment_id: An appointment whose time does not count as taken.

    Returns:
        The grid (format in ``portal_app.domain.week_grid``).

    Raises:
        LookupError: No such clinician, or no such service in the clinician's practice.
    """
    schedule, choice = _one_clinician(
        session,
        clinician_id=clinician_id,
        service_id=service_id,
        place=(location_id, forum),
        window=week_window(first_day=first_day, display_zone=display_zone),
        whole_sessions=True,
        now=now,
        is_new_client=is_new_client,
        viewer_client_id=viewer_client_id,
        ignore_appointment_id=ignore_appointment_id,
    )
    return build_week_grid(schedule, choice, display_zone=display_zone)


def check_bookable(
    *,
    session: Session,
    clinician_id: int,
    service_id: int,
    location_id: int,
    forum: Forum,
    starts_at: datetime,
    ends_at: datetime,
    now: datetime,
    is_new_client: bool,
    ignore_appointment_id: int | None = None,
) -> BookingCheck:
    """Whether exactly ``[starts_at, ends_at)`` may be booked, and if not, why.

    Loads only what touches the interval (four small indexed queries), so it is cheap enough
    to run inside the request's write transaction.

    Args:
        session: An open session (its transaction is the caller's).
        clinician_id: The provider.
        service_id: The service (must belong to the clinician's practice).
        location_id: The chosen location.
        forum: In-person or telehealth.
        starts_at: Requested start (aware).
        ends_at: Requested end (aware).
        now: The current instant.
        is_new_client: Whether the client is new to the practice.
        ignore_appointment_id: An appointment whose time does not count as taken.

    Returns:
        The answer with a reason code and a message for the client.

    Raises:
        LookupError: No such clinician, or no such service in the clinician's practice.
    """
    schedule, choice = _one_clinician(
        session,
        clinician_id=clinician_id,
        service_id=service_id,
        place=(location_id, forum),
        window=(starts_at, ends_at),
        whole_sessions=False,
        now=now,
        is_new_client=is_new_client,
        viewer_client_id=None,
        ignore_appointment_id=ignore_appointment_id,
    )
    return check_interval(schedule, choice, starts_at, ends_at)


def _one_clinician(
    session: Session,
    *,
    clinician_id: int,
    service_id: int,
    place: tuple[int, Forum],
    window: tuple[datetime, datetime],
    whole_sessions: bool,
    now: datetime,
    is_new_client: bool,
    viewer_client_id: int | None,
    ignore_appointment_id: int | None,
) -> tuple[ClinicianSchedule, BookingChoice]:
    """One clinician's schedule over ``window`` and the client's choice, ready for the engine.

    ``whole_sessions`` loads availability far enough past the window's end for the longest
    session of the service to start inside it; a check of one exact interval needs no more.
    """
    policy, service = _policy_and_service(session, clinician_id, service_id)
    schedule = _schedules(
        session,
        [clinician_id],
        policy=policy,
        window=window,
        reach=timedelta(minutes=max(service.durations_minutes)) if whole_sessions else timedelta(0),
        now=now,
        viewer_client_id=viewer_client_id,
        ignore_appointment_id=ignore_appointment_id,
    )[clinician_id]
    location_id, forum = place
    return schedule, BookingChoice(service, location_id, forum, is_new_client)


def practice_bookable_slots(
    *,
    session: Session,
    practice_id: int,
    service_id: int,
    location_id: int,
    forum: Forum,
    window_start: datetime,
    window_end: datetime,
    now: datetime,
    is_new_client: bool,
    duration_minutes: int | None = None,
) -> dict[int, list[datetime]]:
    """Bookable start times of every clinician of a practice (e.g. a month), in five queries.

    Args:
        session: An open session.
        practice_id: The practice.
        service_id: The service (must belong to the practice).
        location_id: The chosen location.
        forum: In-person or telehealth.
        window_start: Earliest start of interest (aware).
        window_end: Starts are before this (aware).
        now: The current instant.
        is_new_client: Whether the client is new to the practice.
        duration_minutes: Session length; the service's default when omitted.

    Returns:
        Clinician id to start times (aware UTC, in order); every clinician is present.

    Raises:
        LookupError: No such practice, or no such service in it.
    """
    row = session.execute(
        select(*_POLICY_COLUMNS, *_SERVICE_COLUMNS)
        .join(Service, Service.practice_id == Practice.id)
        .where(Practice.id == practice_id, Service.id == service_id)
    ).one_or_none()
    if row is None:
        raise LookupError(f"No service {service_id} in practice {practice_id}.")
    policy, service = _policy_from(row), _service_from(row[len(_POLICY_COLUMNS) :])
    clinician_ids = list(
        session.scalars(
            select(Clinician.id).where(Clinician.practice_id == practice_id).order_by(Clinician.id)
        )
    )
    schedules = _schedules(
        session,
        clinician_ids,
        policy=policy,
        window=(window_start, window_end),
        reach=timedelta(minutes=max(service.durations_minutes)),
        now=now,
        viewer_client_id=None,
        ignore_appointment_id=None,
    )
    choice = BookingChoice(service, location_id, forum, is_new_client)
    minutes = duration_minutes or service.durations_minutes[0]
    # Clinicians share most start instants (the same increments of the same days), so each
    # datetime is built once and shared: that is most of the cost of a large practice's month.
    shared: dict[int, datetime] = {}
    return {
        clinician_id: [
            shared.get(start) or shared.setdefault(start, from_epoch_seconds(start))
            for start in bookable_start_seconds(schedule, choice, minutes)
        ]
        for clinician_id, schedule in schedules.items()
    }


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
    row = session.execute(
        select(*_POLICY_COLUMNS)
        .join(Clinician, Clinician.practice_id == Practice.id)
        .where(Clinician.id == clinician_id)
    ).one_or_none()
    if row is None:
        raise LookupError(f"No clinician {clinician_id}.")
    policy = _policy_from(row)
    services = [
        _service_from(service_row)
        for service_row in session.execute(
            select(*_SERVICE_COLUMNS).where(Service.practice_id == row.id).order_by(Service.name, Service.id)
        )
    ]
    today = now.astimezone(ZoneInfo(policy.time_zone)).date()
    horizon = now + timedelta(days=policy.booking_horizon_days + 1)
    blocks = _load_blocks(session, [clinician_id], first_day=today, last_day=horizon.date())
    extra_hours = _load_exceptions(session, [clinician_id], start=now, end=horizon)[0]
    offers = [block.offer for block in blocks[clinician_id]]
    offers.extend(extra.offer for extra in extra_hours[clinician_id])
    return booking_choices(offers=offers, services=services, policy=policy, is_new_client=is_new_client)


def _policy_and_service(
    session: Session, clinician_id: int, service_id: int
) -> tuple[BookingPolicy, ServiceRule]:
    """The clinician's practice policy and the service, in one query."""
    row = (
        session.connection()
        .execute(_POLICY_AND_SERVICE, {"clinician_id": clinician_id, "service_id": service_id})
        .one_or_none()
    )
    if row is None:
        raise LookupError(f"No clinician {clinician_id} with service {service_id} in their practice.")
    return _policy_from(row), _service_from(row[len(_POLICY_COLUMNS) :])


@dataclass(frozen=True, slots=True)
class LoadedAvailability:
    """Everything the engine needs about one clinician for one window."""

    blocks: list[WeeklyBlock]
    extra_hours: list[ExtraHours]
    time_off: list[TimeOff]
    busy: list[BusyTime]


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
    blocks = _load_blocks(
        session,
        clinician_ids,
        # The engine looks one local day either side of the window (overnight blocks).
        first_day=window_start.astimezone(zone).date() - timedelta(days=1),
        last_day=cover_end.astimezone(zone).date() + timedelta(days=1),
    )
    extra_hours, time_off = _load_exceptions(session, clinician_ids, start=window_start, end=cover_end)
    busy = _load_busy(
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


def _schedules(
    session: Session,
    clinician_ids: Sequence[int],
    *,
    policy: BookingPolicy,
    window: tuple[datetime, datetime],
    reach: timedelta,
    now: datetime,
    viewer_client_id: int | None,
    ignore_appointment_id: int | None,
) -> dict[int, ClinicianSchedule]:
    """Load and build each clinician's schedule over ``window``."""
    window_start, window_end = window
    loaded = load_availability(
        session=session,
        clinician_ids=clinician_ids,
        policy=policy,
        window_start=window_start,
        window_end=window_end,
        reach=reach,
        viewer_client_id=viewer_client_id,
        ignore_appointment_id=ignore_appointment_id,
    )
    return {
        clinician_id: build_schedule(
            blocks=availability.blocks,
            extra_hours=availability.extra_hours,
            time_off=availability.time_off,
            busy=availability.busy,
            policy=policy,
            window_start=window_start,
            window_end=window_end,
            now=now,
        )
        for clinician_id, availability in loaded.items()
    }


def _load_blocks(
    session: Session, clinician_ids: Sequence[int], *, first_day: date, last_day: date
) -> defaultdict[int, list[WeeklyBlock]]:
    """Blocks whose validity overlaps ``[first_day, last_day]``."""
    rows = _BLOCKS.execute(session, clinician_ids, {"first_day": first_day, "last_day": last_day})
    blocks: defaultdict[int, list[WeeklyBlock]] = defaultdict(list)
    for row in rows:
        blocks[row.clinician_id].append(
            WeeklyBlock(
                weekdays=frozenset(row.weekdays),
                start_local=row.start_local,
                end_local=row.end_local,
                every_n_weeks=row.every_n_weeks,
                valid_from=row.valid_from,
                valid_until=row.valid_until,
                offer=Offer(row.location_id, row.in_person, row.telehealth, frozenset(row.service_ids)),
            )
        )
    return blocks


def _load_exceptions(
    session: Session, clinician_ids: Sequence[int], *, start: datetime, end: datetime
) -> tuple[defaultdict[int, list[ExtraHours]], defaultdict[int, list[TimeOff]]]:
    """Extra hours and time off overlapping ``[start, end)``."""
    rows = _EXCEPTIONS.execute(session, clinician_ids, {"start": start, "end": end})
    extra_hours: defaultdict[int, list[ExtraHours]] = defaultdict(list)
    time_off: defaultdict[int, list[TimeOff]] = defaultdict(list)
    for row in rows:
        if row.kind is ExceptionKind.TIME_OFF:
            time_off[row.clinician_id].append(TimeOff(row.starts_at, row.ends_at))
        elif row.location_id is not None:  # extra hours without a location allow nothing
            offer = Offer(row.location_id, row.in_person, row.telehealth, frozenset(row.service_ids))
            extra_hours[row.clinician_id].append(ExtraHours(row.starts_at, row.ends_at, offer))
    return extra_hours, time_off


def _load_busy(
    session: Session,
    clinician_ids: Sequence[int],
    *,
    start: datetime,
    end: datetime,
    viewer_client_id: int | None,
    ignore_appointment_id: int | None,
) -> defaultdict[int, list[BusyTime]]:
    """Pending and confirmed appointments overlapping ``[start, end)``, via the start index."""
    parameters = {"scan_from": start - LONGEST_APPOINTMENT, "start": start, "end": end}
    query = _BUSY
    if ignore_appointment_id is not None:
        query = _BUSY_EXCEPT_ONE
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


def _service_from(row: Sequence) -> ServiceRule:
    service_id, durations, new_clients, existing_clients, telehealth = row
    return ServiceRule(
        service_id=service_id,
        durations_minutes=tuple(durations),
        new_clients_allowed=new_clients,
        existing_clients_allowed=existing_clients,
        telehealth_allowed=telehealth,
    )
