"""The availability reads, built once as SQLAlchemy Core statements.

Building SQLAlchemy expressions costs more per call than running these small indexed queries,
so every statement is a module constant with bound parameters. They run on the session's
connection (Core), which skips the ORM's per-row work. Every one is bounded by the window and
served by an index:

- blocks: ``clinician_id`` (indexed) and validity overlapping the window's local dates;
- exceptions: ``clinician_id`` (indexed) and overlapping the window;
- appointments: the ``(clinician_id, starts_at)`` index, scanning a range of start times (see
  ``loaders.LONGEST_APPOINTMENT``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    CursorResult,
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
from sqlalchemy.orm import Mapped
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlmodel import Session, col

from portal_app.models import (
    Appointment,
    AvailabilityBlock,
    AvailabilityException,
    Clinician,
    Location,
    Practice,
    Service,
)

# The columns ``loaders`` turns into a ``BookingPolicy`` and a ``ServiceRule``, in that order.
POLICY_COLUMNS = (
    col(Practice.id),
    col(Practice.time_zone),
    col(Practice.minimum_notice_hours),
    col(Practice.booking_horizon_days),
    col(Practice.slot_increment_minutes),
    col(Practice.buffer_minutes),
    col(Practice.telehealth_enabled),
)
SERVICE_COLUMNS = (
    col(Service.id),
    col(Service.durations_minutes),
    col(Service.new_clients_allowed),
    col(Service.existing_clients_allowed),
    col(Service.telehealth_allowed),
)


class EpochSeconds(FunctionElement[int]):
    """Whole UTC seconds since the epoch of a timestamp column, computed by the database."""

    type = BigInteger()
    inherit_cache = True
    name = "epoch_seconds"


@compiles(EpochSeconds, "sqlite")
def _epoch_seconds_on_sqlite(element: EpochSeconds, compiler: SQLCompiler, **kw: Any) -> str:
    # Stored as UTC text ("2026-04-07 14:00:00.000000"), which SQLite's date functions read as
    # UTC. unixepoch() (SQLite 3.38+) is several times cheaper than strftime('%s').
    (column,) = element.clauses
    dbapi = compiler.dialect.dbapi
    if dbapi is not None and dbapi.sqlite_version_info >= (3, 38):
        return compiler.process(func.unixepoch(column), **kw)
    return compiler.process(cast(func.strftime("%s", column), BigInteger), **kw)


@compiles(EpochSeconds, "postgresql")
def _epoch_seconds_on_postgresql(element: EpochSeconds, compiler: SQLCompiler, **kw: Any) -> str:
    (column,) = element.clauses
    return compiler.process(cast(func.floor(extract("epoch", column)), BigInteger), **kw)


class PerClinician:
    """One statement in two shapes: ``= :clinician_id`` for one clinician, ``IN`` for several.

    SQLAlchemy renders an expanding IN list again on every execution, which is a third of the
    cost of these small queries; a single clinician (every client page) does without it.
    """

    def __init__(self, column: Mapped[int], build: Callable[[ColumnElement[bool]], Select]):
        self._build = build
        self._column = column
        self._one = build(column == bindparam("clinician_id"))
        self._many = build(column.in_(bindparam("clinician_ids", expanding=True)))

    def where(self, condition: ColumnElement[bool]) -> PerClinician:
        """The same statement with one more condition."""
        return PerClinician(self._column, lambda by_clinician: self._build(by_clinician).where(condition))

    def execute(
        self, session: Session, clinician_ids: Sequence[int], parameters: Mapping[str, object]
    ) -> CursorResult:
        """Run on the session's connection (inside its transaction)."""
        if len(clinician_ids) == 1:
            return session.connection().execute(self._one, {"clinician_id": clinician_ids[0], **parameters})
        return session.connection().execute(self._many, {"clinician_ids": list(clinician_ids), **parameters})


# A clinician's practice policy and one service of that practice (:clinician_id, :service_id).
POLICY_AND_SERVICE = (
    select(*POLICY_COLUMNS, *SERVICE_COLUMNS)
    .join(Clinician, col(Clinician.practice_id) == col(Practice.id))
    .join(Service, col(Service.practice_id) == col(Practice.id))
    .where(
        col(Clinician.id) == bindparam("clinician_id"),
        col(Service.id) == bindparam("service_id"),
        col(Service.active),
    )
)

# A clinician's practice policy alone (:clinician_id).
CLINICIAN_POLICY = (
    select(*POLICY_COLUMNS)
    .join(Clinician, col(Clinician.practice_id) == col(Practice.id))
    .where(col(Clinician.id) == bindparam("clinician_id"))
)

# Every active service of a practice, in name order (:practice_id).
PRACTICE_SERVICES = (
    select(*SERVICE_COLUMNS)
    .where(col(Service.practice_id) == bindparam("practice_id"), col(Service.active))
    .order_by(col(Service.name), col(Service.id))
)

# Locations still in use: time at a retired location is not offered (its history stays).
ACTIVE_LOCATIONS = select(col(Location.id)).where(col(Location.active))

# Blocks at an active location whose validity overlaps [:first_day, :last_day].
BLOCKS = PerClinician(
    col(AvailabilityBlock.clinician_id),
    lambda by_clinician: select(
        col(AvailabilityBlock.clinician_id),
        col(AvailabilityBlock.weekdays),
        col(AvailabilityBlock.start_local),
        col(AvailabilityBlock.end_local),
        col(AvailabilityBlock.every_n_weeks),
        col(AvailabilityBlock.valid_from),
        col(AvailabilityBlock.valid_until),
        col(AvailabilityBlock.location_id),
        col(AvailabilityBlock.in_person),
        col(AvailabilityBlock.telehealth),
        col(AvailabilityBlock.service_ids),
    ).where(
        by_clinician,
        col(AvailabilityBlock.location_id).in_(ACTIVE_LOCATIONS),
        col(AvailabilityBlock.valid_from) <= bindparam("last_day"),
        or_(
            col(AvailabilityBlock.valid_until).is_(None),
            col(AvailabilityBlock.valid_until) >= bindparam("first_day"),
        ),
    ),
)

# Exceptions overlapping [:start, :end): time off, and extra hours at an active location.
EXCEPTIONS = PerClinician(
    col(AvailabilityException.clinician_id),
    lambda by_clinician: select(
        col(AvailabilityException.clinician_id),
        col(AvailabilityException.kind),
        col(AvailabilityException.starts_at),
        col(AvailabilityException.ends_at),
        col(AvailabilityException.location_id),
        col(AvailabilityException.in_person),
        col(AvailabilityException.telehealth),
        col(AvailabilityException.service_ids),
    ).where(
        by_clinician,
        or_(
            col(AvailabilityException.location_id).is_(None),
            col(AvailabilityException.location_id).in_(ACTIVE_LOCATIONS),
        ),
        col(AvailabilityException.starts_at) < bindparam("end"),
        col(AvailabilityException.ends_at) > bindparam("start"),
    ),
)

# Appointments overlapping [:start, :end) that started after :scan_from, of every status.
BUSY = PerClinician(
    col(Appointment.clinician_id),
    lambda by_clinician: select(
        col(Appointment.clinician_id),
        col(Appointment.id),
        col(Appointment.client_id),
        # Raw values: the many rows of a practice's month skip SQLAlchemy's per-value conversions.
        type_coerce(col(Appointment.status), String).label("status"),
        EpochSeconds(col(Appointment.starts_at)).label("start_seconds"),
        EpochSeconds(col(Appointment.ends_at)).label("end_seconds"),
    ).where(
        by_clinician,
        # A range on the indexed start; the end is checked on the few rows it yields.
        col(Appointment.starts_at) > bindparam("scan_from"),
        col(Appointment.starts_at) < bindparam("end"),
        col(Appointment.ends_at) > bindparam("start"),
        # No status condition: given one, SQLite's planner prefers the status index for a list of
        # clinicians and reads every pending or confirmed appointment of the practice. The few
        # declined or cancelled ones in the window are dropped in Python instead.
    ),
)
# The same, leaving out :ignore_appointment_id (the request being moved).
BUSY_EXCEPT_ONE = BUSY.where(col(Appointment.id) != bindparam("ignore_appointment_id"))
