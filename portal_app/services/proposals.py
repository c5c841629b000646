"""A therapist's answer to a request with another time, and the client's answer to that.

Proposing declines the request (its time is free at once) and holds the proposed time as a
``PROPOSED`` appointment linked to it (``replaces_id``), under the clinician's lock and the same
rules a client's request meets, so a proposal and another client's request for the same time
cannot both win. The client's Accept confirms it under the lock with the check an Accept makes;
Decline frees the time. Everyone concerned is emailed; every move is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from portal_app.domain.appointment_status import StatusMoveRefused
from portal_app.domain.limits import MAX_MESSAGE_LENGTH
from portal_app.domain.time_display import day_label, time_range_label
from portal_app.domain.vocabulary import AppointmentStatus, Forum, Role
from portal_app.models import Appointment, AuditEvent, Client
from portal_app.services.appointment_requests import time_refusal
from portal_app.services.audience import done
from portal_app.services.auth import Viewer
from portal_app.services.availability import SlotRequest
from portal_app.services.clinician_lock import lock_clinician
from portal_app.services.notifications import enqueue_proposal
from portal_app.services.outcome import AppointmentResult, Outcome, refused
from portal_app.services.request_decisions import confirmed_overlap, staff_scoped
from portal_app.services.status_moves import commit_move, move_status
from portal_app.services.stored_rows import required_row, stored_id


def propose_time(
    *,
    session: Session,
    viewer: Viewer,
    appointment_id: int,
    starts_at: datetime,
    ends_at: datetime,
    message: str,
    link_base: str,
    now: datetime,
) -> AppointmentResult:
    """Answer a pending request with another time (same service, place and forum).

    ``link_base`` is the portal's address, for the email's link to the proposal.

    Returns ``PROPOSED`` with the proposal's id, or why not: the request was answered
    meanwhile, the time is not bookable (``NOT_BOOKABLE``) or was just taken (``TAKEN``).
    """
    try:
        request = staff_scoped(session, viewer, appointment_id)
        if request is None:
            return refused(Outcome.NOT_FOUND)
        if len(message) > MAX_MESSAGE_LENGTH:
            return refused(Outcome.MESSAGE_TOO_LONG)
        lock_clinician(session, request.clinician_id)
        session.refresh(request)
        if request.status != AppointmentStatus.REQUESTED:
            return refused(Outcome.ALREADY_ANSWERED, appointment_id=request.id, status=request.status)
        refusal = time_refusal(
            session=session,
            slot_request=SlotRequest(
                clinician_id=request.clinician_id,
                service_id=request.service_id,
                location_id=request.location_id,
                forum=request.forum,
                is_new_client=False,
                # The request is declined in this same transaction: its time does not block.
                ignore_appointment_id=stored_id(request),
            ),
            starts_at=starts_at,
            ends_at=ends_at,
            now=now,
        )
        if refusal is not None:
            return refusal
        request.clinician_message = message
        session.add(request)
        move_status(
            session=session,
            appointment=request,
            to_status=AppointmentStatus.DECLINED,
            actor_user_id=viewer.user_id,
            now=now,
            note=message,
            notify=False,
        )
        proposal = Appointment(
            practice_id=request.practice_id,
            clinician_id=request.clinician_id,
            client_id=request.client_id,
            service_id=request.service_id,
            location_id=request.location_id,
            forum=request.forum,
            starts_at=starts_at,
            ends_at=ends_at,
            status=AppointmentStatus.PROPOSED,
            created_by_user_id=viewer.user_id,
            clinician_message=message,
            replaces_id=stored_id(request),
            created_at=now,
            updated_at=now,
        )
        session.add(proposal)
        session.flush()
        session.add(
            AuditEvent(
                appointment_id=stored_id(proposal),
                actor_user_id=viewer.user_id,
                to_status=AppointmentStatus.PROPOSED.value,
                note=message,
                at=now,
            )
        )
        enqueue_proposal(
            session=session, proposal=proposal, request=request, message=message, link_base=link_base, now=now
        )
        session.commit()
        return done(Outcome.PROPOSED, session=session, appointment=proposal)
    except StatusMoveRefused:
        # A withdraw (which takes no lock) committed since the re-read.
        session.rollback()
        current = session.get(Appointment, appointment_id)
        if current is None:
            return refused(Outcome.NOT_FOUND)
        return refused(Outcome.ALREADY_ANSWERED, appointment_id=appointment_id, status=current.status)
    finally:
        if session.in_transaction():
            session.rollback()


def answer_proposal(
    *, session: Session, viewer: Viewer, appointment_id: int, accept: bool, now: datetime
) -> AppointmentResult:
    """The client accepts (confirmed, under the lock, if no confirmed session overlaps it now)
    or declines (the time is free) a therapist's proposed time."""
    try:
        proposal = session.get(Appointment, appointment_id)
        if proposal is None or viewer.role != Role.CLIENT or proposal.client_id != viewer.client_id:
            return refused(Outcome.NOT_FOUND)
        if proposal.starts_at <= now:
            return refused(Outcome.NOT_UPCOMING)
        if not accept:
            if proposal.status != AppointmentStatus.PROPOSED:
                return refused(Outcome.ALREADY_ANSWERED, appointment_id=proposal.id, status=proposal.status)
            return commit_move(
                session=session,
                appointment=proposal,
                to_status=AppointmentStatus.DECLINED,
                actor_user_id=viewer.user_id,
                now=now,
                done=Outcome.PROPOSAL_DECLINED,
            )
        lock_clinician(session, proposal.clinician_id)
        session.refresh(proposal)
        if proposal.status != AppointmentStatus.PROPOSED:
            return refused(Outcome.ALREADY_ANSWERED, appointment_id=proposal.id, status=proposal.status)
        if confirmed_overlap(session, proposal) is not None:
            return refused(Outcome.TAKEN, appointment_id=proposal.id)
        return commit_move(
            session=session,
            appointment=proposal,
            to_status=AppointmentStatus.CONFIRMED,
            actor_user_id=viewer.user_id,
            now=now,
            done=Outcome.PROPOSAL_ACCEPTED,
        )
    finally:
        if session.in_transaction():
            session.rollback()


@dataclass(frozen=True)
class ProposalContext:
    """What the therapist's "Propose another time" starts from: the request, as ids and words."""

    appointment_id: int
    clinician_id: int
    service_id: int
    location_id: int
    forum: Forum
    starts_at: datetime
    client: str
    requested: str


def proposal_context(
    *, session: Session, viewer: Viewer, appointment_id: int, zone: str
) -> ProposalContext | None:
    """The pending request a staff member may answer with another time, or None."""
    request = staff_scoped(session, viewer, appointment_id)
    if request is None or request.status != AppointmentStatus.REQUESTED:
        return None
    client = required_row(session, Client, request.client_id)
    hours = time_range_label(request.starts_at, request.ends_at, zone)
    return ProposalContext(
        appointment_id=stored_id(request),
        clinician_id=request.clinician_id,
        service_id=request.service_id,
        location_id=request.location_id,
        forum=request.forum,
        starts_at=request.starts_at,
        client=client.full_name,
        requested=f"{day_label(request.starts_at, zone)}, {hours}",
    )
