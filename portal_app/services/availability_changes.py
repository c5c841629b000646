"""One change to a clinician's availability, made concrete: checked, and ready to write.

``plan_change`` turns what the editor sent (``AvailabilityChange``) into a ``Plan``: the
availability the change leads to, as the pure engine's inputs, and how to write it. Nothing is
written until the caller runs ``Plan.write`` in its transaction, so a preview of a draft and the
check of which sessions a change strands never touch the stored rows.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from portal_app.domain.availability_coverage import ClinicianAvailability
from portal_app.domain.availability_inputs import ExtraHours, TimeOff
from portal_app.domain.vocabulary import ExceptionKind
from portal_app.models import AvailabilityBlock, AvailabilityException, Clinician, Location, Practice, Service
from portal_app.services.availability.loaders import offer_of, weekly_block_of
from portal_app.services.availability_blocks import block_draft
from portal_app.services.availability_forms import (
    BlockDraft,
    ExtraHoursDraft,
    FieldProblem,
    Problems,
    TimeOffDraft,
    parse,
)
from portal_app.services.stored_rows import stored_id


class ChangeKind(enum.StrEnum):
    """What the editor asks to change."""

    SAVE_BLOCK = "save_block"  # add (no target) or change a block
    END_BLOCK = "end_block"  # set a block's last day
    DELETE_BLOCK = "delete_block"
    ADD_TIME_OFF = "add_time_off"
    ADD_EXTRA_HOURS = "add_extra_hours"
    DELETE_EXCEPTION = "delete_exception"


@dataclass(frozen=True)
class AvailabilityChange:
    """One change: its kind, the block or exception it targets, and the form's values."""

    kind: ChangeKind
    target_id: int | None = None
    draft: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Plan:
    """A validated change: the availability it leads to, and how to write it."""

    after: ClinicianAvailability
    write: Callable[[Session], None]
    deletes: bool = False


def plan_change(
    session: Session,
    practice: Practice,
    clinician: Clinician,
    change: AvailabilityChange,
    blocks: list[AvailabilityBlock],
    exceptions: list[AvailabilityException],
    now: datetime,
) -> Plan | Problems | None:
    """The change made concrete, its field problems, or None when its target is not this clinician's."""
    kind = change.kind
    block = next((b for b in blocks if b.id == change.target_id), None)
    exception = next((e for e in exceptions if e.id == change.target_id), None)
    needs_block = kind in (ChangeKind.END_BLOCK, ChangeKind.DELETE_BLOCK) or (
        kind == ChangeKind.SAVE_BLOCK and change.target_id is not None
    )
    if needs_block and block is None:
        return None
    if kind == ChangeKind.DELETE_EXCEPTION and exception is None:
        return None
    others = [b for b in blocks if b is not block]
    if kind == ChangeKind.DELETE_BLOCK and block is not None:
        return Plan(engine_inputs(others, exceptions), _deleter(block), deletes=True)
    if kind == ChangeKind.DELETE_EXCEPTION and exception is not None:
        keep = [e for e in exceptions if e is not exception]
        return Plan(engine_inputs(blocks, keep), _deleter(exception), deletes=True)
    if kind in (ChangeKind.SAVE_BLOCK, ChangeKind.END_BLOCK):
        values = dict(change.draft)
        if kind == ChangeKind.END_BLOCK and block is not None:
            if change.draft.get("valid_until") in ("", None):
                return {"valid_until": FieldProblem.MISSING}
            values = {**block_draft(block), "valid_until": change.draft.get("valid_until")}
        row = _block_row(session, practice, clinician, values)
        if not isinstance(row, AvailabilityBlock):
            return row
        return Plan(engine_inputs([*others, row], exceptions), _writer(block, row))
    new = _exception_row(session, practice, clinician, change, now)
    if not isinstance(new, AvailabilityException):
        return new
    return Plan(engine_inputs(blocks, [*exceptions, new]), lambda s: s.add(new))


def _block_row(
    session: Session,
    practice: Practice,
    clinician: Clinician,
    values: Mapping[str, object],
) -> AvailabilityBlock | Problems:
    """A new, unsaved row holding the checked values (the session does not see it)."""
    draft = parse(BlockDraft, values)
    if not isinstance(draft, BlockDraft):
        return draft
    problems = _offer_problems(session, practice, draft.location_id, draft.service_ids)
    if problems:
        return problems
    return AvailabilityBlock(
        clinician_id=stored_id(clinician),
        location_id=draft.location_id,
        weekdays=sorted(set(draft.weekdays)),
        start_local=draft.start,
        end_local=draft.end,
        every_n_weeks=draft.every_n_weeks,
        valid_from=draft.valid_from,
        valid_until=draft.valid_until,
        in_person=draft.in_person,
        telehealth=draft.telehealth,
        service_ids=list(dict.fromkeys(draft.service_ids)),
    )


_BLOCK_FIELDS = (
    "location_id",
    "weekdays",
    "start_local",
    "end_local",
    "every_n_weeks",
    "valid_from",
    "valid_until",
    "in_person",
    "telehealth",
    "service_ids",
)


def _writer(existing: AvailabilityBlock | None, values: AvailabilityBlock) -> Callable[[Session], None]:
    """Adds the new row, or copies its values onto the stored one, when the plan is written."""

    def write(session: Session) -> None:
        if existing is None:
            session.add(values)
            return
        for name in _BLOCK_FIELDS:
            setattr(existing, name, getattr(values, name))
        session.add(existing)

    return write


def _deleter(row: AvailabilityBlock | AvailabilityException) -> Callable[[Session], None]:
    return lambda session: session.delete(row)


def _exception_row(
    session: Session, practice: Practice, clinician: Clinician, change: AvailabilityChange, now: datetime
) -> AvailabilityException | Problems:
    zone = ZoneInfo(practice.time_zone)

    def instant(day: date, clock: time) -> datetime:
        return datetime.combine(day, clock, tzinfo=zone).astimezone(UTC)

    if change.kind == ChangeKind.ADD_TIME_OFF:
        off = parse(TimeOffDraft, change.draft)
        if not isinstance(off, TimeOffDraft):
            return off
        if off.whole_days:
            last = off.last_day or off.first_day
            starts_at, ends_at = instant(off.first_day, time()), instant(last + timedelta(days=1), time())
            late_field = "last_day"
        else:
            assert off.start is not None  # parse refuses a part of a day without its times
            assert off.end is not None
            starts_at, ends_at = instant(off.first_day, off.start), instant(off.first_day, off.end)
            late_field = "end"
        if ends_at <= now:
            return {late_field: FieldProblem.ALREADY_PAST}
        return AvailabilityException(
            clinician_id=stored_id(clinician),
            kind=ExceptionKind.TIME_OFF,
            starts_at=starts_at,
            ends_at=ends_at,
            note=off.note.strip(),
        )
    extra = parse(ExtraHoursDraft, change.draft)
    if not isinstance(extra, ExtraHoursDraft):
        return extra
    problems = _offer_problems(session, practice, extra.location_id, extra.service_ids)
    if problems:
        return problems
    starts_at, ends_at = instant(extra.day, extra.start), instant(extra.day, extra.end)
    if ends_at <= now:
        return {"end": FieldProblem.ALREADY_PAST}
    return AvailabilityException(
        clinician_id=stored_id(clinician),
        kind=ExceptionKind.EXTRA_HOURS,
        starts_at=starts_at,
        ends_at=ends_at,
        location_id=extra.location_id,
        in_person=extra.in_person,
        telehealth=extra.telehealth,
        service_ids=list(dict.fromkeys(extra.service_ids)),
        note=extra.note.strip(),
    )


def _offer_problems(
    session: Session, practice: Practice, location_id: int, service_ids: list[int]
) -> Problems:
    locations, services = practice_names(session, practice, active_only=True)
    problems: Problems = {}
    if location_id not in locations:
        problems["location_id"] = FieldProblem.UNKNOWN_LOCATION
    if any(service_id not in services for service_id in service_ids):
        problems["service_ids"] = FieldProblem.UNKNOWN_SERVICE
    return problems


def practice_names(
    session: Session, practice: Practice, *, active_only: bool = False
) -> tuple[dict[int, str], dict[int, str]]:
    """The practice's locations and services by id, in name order; with ``active_only`` only
    those still offered (retired ones keep their names in what was saved with them)."""
    location_query = select(Location).where(Location.practice_id == practice.id)
    service_query = select(Service).where(Service.practice_id == practice.id)
    if active_only:
        location_query = location_query.where(col(Location.active))
        service_query = service_query.where(col(Service.active))
    locations = session.exec(location_query.order_by(col(Location.name))).all()
    services = session.exec(service_query.order_by(col(Service.name))).all()
    return {stored_id(x): x.name for x in locations}, {stored_id(x): x.name for x in services}


def current_rows(
    session: Session, clinician: Clinician, now: datetime
) -> tuple[list[AvailabilityBlock], list[AvailabilityException]]:
    """The clinician's blocks (all), and exceptions that have not ended."""
    blocks = session.exec(
        select(AvailabilityBlock)
        .where(AvailabilityBlock.clinician_id == clinician.id)
        .order_by(col(AvailabilityBlock.valid_from), col(AvailabilityBlock.id))
    ).all()
    exceptions = session.exec(
        select(AvailabilityException)
        .where(AvailabilityException.clinician_id == clinician.id, AvailabilityException.ends_at > now)
        .order_by(col(AvailabilityException.starts_at), col(AvailabilityException.id))
    ).all()
    return list(blocks), list(exceptions)


def engine_inputs(
    blocks: list[AvailabilityBlock], exceptions: list[AvailabilityException]
) -> ClinicianAvailability:
    """Rows as the pure engine's inputs."""
    weekly = tuple(weekly_block_of(b) for b in blocks)
    extra = tuple(
        ExtraHours(e.starts_at, e.ends_at, offer_of(e))
        for e in exceptions
        if e.kind == ExceptionKind.EXTRA_HOURS and e.location_id is not None
    )
    off = tuple(TimeOff(e.starts_at, e.ends_at) for e in exceptions if e.kind == ExceptionKind.TIME_OFF)
    return ClinicianAvailability(blocks=weekly, extra_hours=extra, time_off=off)
