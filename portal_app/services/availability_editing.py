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
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from portal_app.domain.appointment_status import HOLDS_TIME, StatusMoveRefused
from portal_app.domain.availability import build_schedule
from portal_app.domain.availability_coverage import HeldSession, newly_uncovered
from portal_app.domain.availability_inputs import BookingChoice
from portal_app.domain.limits import MAX_MESSAGE_LENGTH
from portal_app.domain.time_display import day_label, time_range_label
from portal_app.domain.vocabulary import AppointmentStatus, Forum, Role
from portal_app.domain.week_grid import WeekGrid, build_week_grid, week_window
from portal_app.models import (
    Appointment,
    Client,
    Clinician,
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
    describe_block,
    describe_exception,
)
from portal_app.services.availability_changes import (
    AvailabilityChange,
    ChangeKind,
    Plan,
    current_rows,
    engine_inputs,
    plan_change,
    practice_names,
)
from portal_app.services.availability_forms import FieldProblem, Problems
from portal_app.services.clinician_lock import lock_clinician
from portal_app.services.status_moves import move_status
from portal_app.services.stored_rows import required_row, stored_id

__all__ = [
    "AffectedSession",
    "AvailabilityChange",
    "ChangeKind",
    "Decision",
    "EditOutcome",
    "EditResult",
    "apply_change",
    "availability_editor",
    "editable_clinician",
    "preview_week",
]

STATUS_WORDS = {AppointmentStatus.REQUESTED: "Unconfirmed", AppointmentStatus.CONFIRMED: "Confirmed"}


class EditOutcome(enum.StrEnum):
    """What ``apply_change`` did."""

    SAVED = "saved"
    DELETED = "deleted"
    NOT_FOUND = "not_found"
    INVALID = "invalid"
    NEEDS_DECISIONS = "needs_decisions"
    CHANGED_MEANWHILE = "changed_meanwhile"


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
    named_locations, named_services = practice_names(session, practice)
    locations, services = practice_names(session, practice, active_only=True)
    blocks, exceptions = current_rows(session, clinician, now)
    return EditorData(
        clinician_id=stored_id(clinician),
        clinicians=clinicians,
        zone=practice.time_zone,
        locations=locations,
        services=services,
        blocks=[describe_block(b, locations=named_locations, services=named_services) for b in blocks],
        exceptions=[
            describe_exception(e, zone=practice.time_zone, locations=named_locations, services=named_services)
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
    blocks, exceptions = current_rows(session, clinician, now)
    plan = plan_change(session, practice, clinician, change, blocks, exceptions, now) if change else None
    availability = plan.after if isinstance(plan, Plan) else engine_inputs(blocks, exceptions)
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
        blocks, exceptions = current_rows(session, clinician, now)
        plan = plan_change(session, practice, clinician, change, blocks, exceptions, now)
        if plan is None:
            return EditResult(EditOutcome.NOT_FOUND)
        if not isinstance(plan, Plan):
            return EditResult(EditOutcome.INVALID, problems=plan)
        held = _held_sessions(session, clinician, now)
        affected = newly_uncovered(
            held, before=engine_inputs(blocks, exceptions), after=plan.after, time_zone=practice.time_zone
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
        return EditResult(
            EditOutcome.DELETED if plan.deletes else EditOutcome.SAVED,
            released=released,
            concerns=tuple(sorted(concerns)),
        )
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
