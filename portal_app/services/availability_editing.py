"""The availability editor: who may edit whose availability, previews, and saving a change.

Whose availability is edited is decided here from the viewer, never from the arguments: a
clinician edits only their own, an admin any clinician of their practice; a block or exception
id that is not the chosen clinician's is answered as not found, and nothing is written.

A change never silently strands a client: ``apply_change`` works out, under the clinician's lock,
which pending requests and confirmed appointments the change would leave outside availability
(``domain.availability_coverage``). Unless the caller has decided on each of them (keep, or
release: decline a request / cancel an appointment, with a message) nothing is saved and the list
comes back. Releases go through ``status_moves.move_status`` (audit row and email in the same
transaction), then the change is written, and all of it commits together.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from portal_app.domain.appointment_status import HOLDS_TIME, StatusMoveRefused
from portal_app.domain.availability import build_schedule
from portal_app.domain.availability_coverage import ClinicianAvailability, HeldSession, newly_uncovered
from portal_app.domain.availability_inputs import BookingChoice, ExtraHours, Offer, TimeOff, WeeklyBlock
from portal_app.domain.limits import MAX_MESSAGE_LENGTH
from portal_app.domain.time_display import day_label, time_range_label
from portal_app.domain.vocabulary import AppointmentStatus, ExceptionKind, Forum, Role
from portal_app.domain.week_grid import WeekGrid, build_week_grid, week_window
from portal_app.models import (
    Appointment,
    AvailabilityBlock,
    AvailabilityException,
    Client,
    Clinician,
    Location,
    Practice,
    Service,
    User,
)
from portal_app.services.audience import people_concerned
from portal_app.services.auth import Viewer
from portal_app.services.availability.loaders import load_busy, load_policy_and_service
from portal_app.services.availability_blocks import (
    BlockSummary,
    ExceptionSummary,
    block_draft,
    describe_block,
    describe_exception,
)
from portal_app.services.availability_forms import (
    BlockDraft,
    ExtraHoursDraft,
    FieldProblem,
    Problems,
    TimeOffDraft,
    parse,
)
from portal_app.services.clinician_lock import lock_clinician
from portal_app.services.status_moves import move_status
from portal_app.services.stored_rows import required_row, stored_id

STATUS_WORDS = {AppointmentStatus.REQUESTED: "Unconfirmed", AppointmentStatus.CONFIRMED: "Confirmed"}


class ChangeKind(enum.StrEnum):
    """What the editor asks to change."""

    SAVE_BLOCK = "save_block"  # add (no target) or change a block
    END_BLOCK = "end_block"  # set a block's last day
    DELETE_BLOCK = "delete_block"
    ADD_TIME_OFF = "add_time_off"
    ADD_EXTRA_HOURS = "add_extra_hours"
    DELETE_EXCEPTION = "delete_exception"


class EditOutcome(enum.StrEnum):
    """What ``apply_change`` did."""

    SAVED = "saved"
    DELETED = "deleted"
    NOT_FOUND = "not_found"
    INVALID = "invalid"
    NEEDS_DECISIONS = "needs_decisions"
    CHANGED_MEANWHILE = "changed_meanwhile"


@dataclass(frozen=True)
class AvailabilityChange:
    """One change: its kind, the block or exception it targets, and the form's values."""

    kind: ChangeKind
    target_id: int | None = None
    draft: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Decision:
    """What to do with one session a change would leave outside availability."""

    release: bool  # decline the request / cancel the appointment; False keeps it
    message: str = ""


@dataclass(frozen=True)
class AffectedSession:
    """A session a change would leave outside availability, as the editor lists it."""

    appointment_id: int
    client: str
    day: str
    time: str
    service: str
    status: str
    status_label: str


@dataclass(frozen=True)
class EditResult:
    """The answer of ``apply_change``; ``concerns`` are the users whose open pages should re-read."""

    outcome: EditOutcome
    problems: Problems = field(default_factory=dict)
    affected: list[AffectedSession] = field(default_factory=list)
    released: int = 0
    concerns: tuple[int, ...] = field(default=(), compare=False)

    @property
    def ok(self) -> bool:
        """Whether the change was saved."""
        return self.outcome in (EditOutcome.SAVED, EditOutcome.DELETED)


@dataclass(frozen=True)
class EditorData:
    """What the editor page shows for one clinician."""

    clinician_id: int
    clinicians: dict[int, str]
    zone: str
    locations: dict[int, str]
    services: dict[int, str]
    blocks: list[BlockSummary]
    exceptions: list[ExceptionSummary]


def editable_clinician(session: Session, viewer: Viewer, clinician_id: object) -> Clinician | None:
    """The clinician whose availability ``viewer`` may edit: themself, or (admin) one of the practice."""
    if type(clinician_id) is not int:
        return None
    if viewer.role == Role.CLINICIAN and clinician_id != viewer.clinician_id:
        return None
    if viewer.role not in (Role.CLINICIAN, Role.ADMIN):
        return None
    clinician = session.get(Clinician, clinician_id)
    return clinician if clinician is not None and clinician.practice_id == viewer.practice_id else None


def availability_editor(
    *, session: Session, viewer: Viewer, clinician_id: int | None, now: datetime
) -> EditorData | None:
    """The editor's page for ``clinician_id`` (None: the viewer's own, or an admin's first)."""
    query = select(Clinician).where(Clinician.practice_id == viewer.practice_id)
    if viewer.role == Role.CLINICIAN:
        query = query.where(Clinician.id == viewer.clinician_id)
    elif viewer.role != Role.ADMIN:
        return None
    clinicians = {
        stored_id(c): c.display_name for c in session.exec(query.order_by(col(Clinician.display_name)))
    }
    chosen = clinician_id if clinician_id is not None else next(iter(clinicians), None)
    clinician = editable_clinician(session, viewer, chosen)
    if clinician is None:
        return None
    practice = required_row(session, Practice, clinician.practice_id)
    locations, services = _names(session, practice)
    blocks, exceptions = _current(session, clinician, now)
    return EditorData(
        clinician_id=stored_id(clinician),
        clinicians=clinicians,
        zone=practice.time_zone,
        locations=locations,
        services=services,
        blocks=[describe_block(b, locations=locations, services=services) for b in blocks],
        exceptions=[
            describe_exception(e, zone=practice.time_zone, locations=locations, services=services)
            for e in exceptions
        ],
    )


def preview_week(
    *,
    session: Session,
    viewer: Viewer,
    clinician_id: int,
    change: AvailabilityChange | None,
    service_id: int,
    location_id: int,
    forum: Forum,
    first_day: date,
    now: datetime,
) -> WeekGrid | None:
    """The client's booking calendar for the clinician, as it would be with ``change`` saved.

    The same engine as the wizard's (``build_schedule`` and ``build_week_grid`` over the
    clinician's busy time and the practice's rules), shown in the practice's zone; a change that
    does not validate yet is left out. None when the viewer may not edit this clinician or the
    service is not the practice's.
    """
    clinician = editable_clinician(session, viewer, clinician_id)
    if clinician is None:
        return None
    practice = required_row(session, Practice, clinician.practice_id)
    try:
        policy, service = load_policy_and_service(
            session, clinician_id=stored_id(clinician), service_id=service_id
        )
    except LookupError:
        return None
    blocks, exceptions = _current(session, clinician, now)
    plan = _plan(session, practice, clinician, change, blocks, exceptions, now) if change else None
    availability = plan.after if isinstance(plan, _Plan) else _availability(blocks, exceptions)
    window_start, window_end = week_window(first_day=first_day, display_zone=practice.time_zone)
    buffer = timedelta(minutes=policy.buffer_minutes)
    busy = load_busy(
        session,
        [stored_id(clinician)],
        start=window_start - buffer,
        end=window_end + timedelta(minutes=max(service.durations_minutes)) + buffer,
        viewer_client_id=None,
        ignore_appointment_id=None,
    )[stored_id(clinician)]
    schedule = build_schedule(
        blocks=availability.blocks,
        extra_hours=availability.extra_hours,
        time_off=availability.time_off,
        busy=busy,
        policy=policy,
        window_start=window_start,
        window_end=window_end,
        now=now,
    )
    choice = BookingChoice(service, location_id, forum, False)
    return build_week_grid(schedule, choice, display_zone=practice.time_zone)


def apply_change(
    *,
    session: Session,
    viewer: Viewer,
    clinician_id: int,
    change: AvailabilityChange,
    decisions: Mapping[int, Decision],
    now: datetime,
) -> EditResult:
    """Validate and save one change, releasing the sessions the caller chose to release.

    Open the session for writing. Under the clinician's lock the affected sessions are worked out
    again; if any of them has no decision in ``decisions`` nothing is written and the answer is
    ``NEEDS_DECISIONS`` with the current list (it may differ from the one the caller saw).
    """
    try:
        clinician = editable_clinician(session, viewer, clinician_id)
        if clinician is None:
            return EditResult(EditOutcome.NOT_FOUND)
        lock_clinician(session, stored_id(clinician))
        practice = required_row(session, Practice, clinician.practice_id)
        blocks, exceptions = _current(session, clinician, now)
        plan = _plan(session, practice, clinician, change, blocks, exceptions, now)
        if plan is None:
            return EditResult(EditOutcome.NOT_FOUND)
        if not isinstance(plan, _Plan):
            return EditResult(EditOutcome.INVALID, problems=plan)
        held = _held_sessions(session, clinician, now)
        affected = newly_uncovered(
            held, before=_availability(blocks, exceptions), after=plan.after, time_zone=practice.time_zone
        )
        if any(appointment_id not in decisions for appointment_id in affected):
            rows = _affected_rows(session, affected, practice.time_zone)
            return EditResult(EditOutcome.NEEDS_DECISIONS, affected=rows)
        if any(len(decisions[i].message) > MAX_MESSAGE_LENGTH for i in affected):
            return EditResult(EditOutcome.INVALID, problems={"message": FieldProblem.NOTE_TOO_LONG})
        concerns = {clinician.user_id, *_admins(session, practice)}
        released = 0
        for appointment_id in affected:
            decision = decisions[appointment_id]
            if decision.release:
                appointment = required_row(session, Appointment, appointment_id)
                _release(session, appointment, decision.message, viewer, now)
                concerns.update(people_concerned(session=session, appointment=appointment))
                released += 1
        plan.write(session)
        session.commit()
        return EditResult(plan.outcome, released=released, concerns=tuple(sorted(concerns)))
    except (StatusMoveRefused, IntegrityError):
        # Someone moved a session first (a withdrawal takes no lock), or a row broke a CHECK:
        # nothing of the change is kept.
        session.rollback()
        return EditResult(EditOutcome.CHANGED_MEANWHILE)
    finally:
        if session.in_transaction():
            session.rollback()


def _release(session: Session, appointment: Appointment, message: str, viewer: Viewer, now: datetime) -> None:
    """Decline a pending request or cancel a confirmed appointment, telling the client why."""
    target = (
        AppointmentStatus.DECLINED
        if appointment.status == AppointmentStatus.REQUESTED
        else AppointmentStatus.CANCELLED
    )
    appointment.clinician_message = message
    session.add(appointment)
    move_status(
        session=session,
        appointment=appointment,
        to_status=target,
        actor_user_id=viewer.user_id,
        now=now,
        note=message,
    )


@dataclass(frozen=True)
class _Plan:
    """A validated change: the availability it leads to, and how to write it."""

    after: ClinicianAvailability
    write: Callable[[Session], None]
    outcome: EditOutcome = EditOutcome.SAVED


def _plan(
    session: Session,
    practice: Practice,
    clinician: Clinician,
    change: AvailabilityChange,
    blocks: list[AvailabilityBlock],
    exceptions: list[AvailabilityException],
    now: datetime,
) -> _Plan | Problems | None:
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
        return _Plan(_availability(others, exceptions), _deleter(block), outcome=EditOutcome.DELETED)
    if kind == ChangeKind.DELETE_EXCEPTION and exception is not None:
        keep = [e for e in exceptions if e is not exception]
        return _Plan(_availability(blocks, keep), _deleter(exception), outcome=EditOutcome.DELETED)
    if kind in (ChangeKind.SAVE_BLOCK, ChangeKind.END_BLOCK):
        values = dict(change.draft)
        if kind == ChangeKind.END_BLOCK and block is not None:
            if change.draft.get("valid_until") in ("", None):
                return {"valid_until": FieldProblem.MISSING}
            values = {**block_draft(block), "valid_until": change.draft.get("valid_until")}
        row = _block_row(session, practice, clinician, values)
        if not isinstance(row, AvailabilityBlock):
            return row
        return _Plan(_availability([*others, row], exceptions), _writer(block, row))
    new = _exception_row(session, practice, clinician, change, now)
    if not isinstance(new, AvailabilityException):
        return new
    return _Plan(_availability(blocks, [*exceptions, new]), lambda s: s.add(new))


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
    locations, services = _names(session, practice)
    problems: Problems = {}
    if location_id not in locations:
        problems["location_id"] = FieldProblem.UNKNOWN_LOCATION
    if any(service_id not in services for service_id in service_ids):
        problems["service_ids"] = FieldProblem.UNKNOWN_SERVICE
    return problems


def _names(session: Session, practice: Practice) -> tuple[dict[int, str], dict[int, str]]:
    """The practice's locations and services by id, in name order."""
    locations = session.exec(
        select(Location).where(Location.practice_id == practice.id).order_by(col(Location.name))
    ).all()
    services = session.exec(
        select(Service).where(Service.practice_id == practice.id).order_by(col(Service.name))
    ).all()
    return {stored_id(x): x.name for x in locations}, {stored_id(x): x.name for x in services}


def _current(
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


def _availability(
    blocks: list[AvailabilityBlock], exceptions: list[AvailabilityException]
) -> ClinicianAvailability:
    """Rows as the pure engine's inputs."""
    weekly = tuple(
        WeeklyBlock(
            weekdays=frozenset(b.weekdays),
            start_local=b.start_local,
            end_local=b.end_local,
            every_n_weeks=b.every_n_weeks,
            valid_from=b.valid_from,
            valid_until=b.valid_until,
            offer=Offer(b.location_id, b.in_person, b.telehealth, frozenset(b.service_ids)),
        )
        for b in blocks
    )
    extra = tuple(
        ExtraHours(
            e.starts_at, e.ends_at, Offer(e.location_id, e.in_person, e.telehealth, frozenset(e.service_ids))
        )
        for e in exceptions
        if e.kind == ExceptionKind.EXTRA_HOURS and e.location_id is not None
    )
    off = tuple(TimeOff(e.starts_at, e.ends_at) for e in exceptions if e.kind == ExceptionKind.TIME_OFF)
    return ClinicianAvailability(blocks=weekly, extra_hours=extra, time_off=off)


def _held_sessions(session: Session, clinician: Clinician, now: datetime) -> list[HeldSession]:
    """The clinician's pending and confirmed sessions that have not started."""
    rows = session.exec(
        select(Appointment).where(
            Appointment.clinician_id == clinician.id,
            Appointment.starts_at > now,
            col(Appointment.status).in_(HOLDS_TIME),
        )
    ).all()
    return [
        HeldSession(stored_id(a), a.starts_at, a.ends_at, a.location_id, a.forum, a.service_id) for a in rows
    ]


def _affected_rows(session: Session, appointment_ids: list[int], zone: str) -> list[AffectedSession]:
    rows = session.exec(
        select(Appointment, Client.full_name, Service.name)
        .join(Client, col(Client.id) == Appointment.client_id)
        .join(Service, col(Service.id) == Appointment.service_id)
        .where(col(Appointment.id).in_(appointment_ids))
        .order_by(col(Appointment.starts_at), col(Appointment.id))
    ).all()
    return [
        AffectedSession(
            appointment_id=stored_id(a),
            client=client,
            day=day_label(a.starts_at, zone),
            time=time_range_label(a.starts_at, a.ends_at, zone),
            service=service,
            status=a.status.value,
            status_label=STATUS_WORDS.get(a.status, a.status.value),
        )
        for a, client, service in rows
    ]


def _admins(session: Session, practice: Practice) -> list[int]:
    return [
        user_id
        for user_id in session.exec(
            select(User.id).where(
                User.practice_id == practice.id, User.role == Role.ADMIN, col(User.is_active)
            )
        )
        if user_id is not None
    ]
