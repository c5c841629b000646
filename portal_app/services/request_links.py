"""A new client's emailed links: confirm the address (sends the request), see it, cancel it.

The person has no account, so the link is their only key: a random token stored as its hash,
for one purpose and one appointment, expiring (``services.one_time_links``). Confirming is a
one-time redeem; seeing the request does not use the link up; cancelling does, in the same
transaction as the status move.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from portal_app import routes
from portal_app.domain.appointment_status import AWAITING_ANSWER, StatusMoveRefused
from portal_app.domain.ics import AppointmentDetails
from portal_app.domain.new_client_messages import request_sent_to_new_client
from portal_app.domain.vocabulary import AppointmentStatus, LinkPurpose
from portal_app.models import Appointment, Service
from portal_app.services.audience import people_concerned
from portal_app.services.new_client_requests import manage_lifetime
from portal_app.services.notifications import appointment_details, enqueue_request_received
from portal_app.services.one_time_links import LinkCheck, check_link, issue_appointment_link, redeem_link
from portal_app.services.status_moves import move_status
from portal_app.services.stored_rows import required_row, stored_id

CANCELLED_NOTE = "Cancelled by the new client with their emailed link."


class LinkOutcome(enum.StrEnum):
    """What a new client's link did."""

    CONFIRMED = "confirmed"
    SHOWN = "shown"
    CANCELLED = "cancelled"
    # The link does not work: unknown, expired, or already used.
    DEAD = "dead"
    # The request is no longer one this link can change (answered, expired, cancelled).
    SETTLED = "settled"


@dataclass(frozen=True)
class RequestView:
    """A new client's request as their page shows it."""

    outcome: LinkOutcome
    details: AppointmentDetails | None = None
    service_name: str = ""
    # A link to keep for seeing or cancelling it later (after a confirmation).
    manage_token: str = ""
    concerns: tuple[int, ...] = ()

    @property
    def cancellable(self) -> bool:
        """Whether the request still waits (for the email, or for the therapist)."""
        return self.details is not None and self.details.status in (
            AppointmentStatus.UNCONFIRMED,
            *AWAITING_ANSWER,
        )


def _view(
    session: Session,
    outcome: LinkOutcome,
    appointment: Appointment,
    *,
    token: str = "",
    concerns: tuple[int, ...] = (),
) -> RequestView:
    return RequestView(
        outcome,
        details=appointment_details(session=session, appointment=appointment),
        service_name=required_row(session, Service, appointment.service_id).name,
        manage_token=token,
        concerns=tuple(concerns),
    )


def _linked(session: Session, link: LinkCheck) -> Appointment | None:
    """The appointment a working link is for (None: the link does not work)."""
    return session.get(Appointment, link.appointment_id) if link.ok and link.appointment_id else None


def confirm_request(*, session: Session, token: str, link_base: str, now: datetime) -> RequestView:
    """The emailed confirmation: the held request goes to the therapist (and their dashboard)."""
    appointment = _linked(
        session, redeem_link(session=session, token=token, purpose=LinkPurpose.CONFIRM_REQUEST, now=now)
    )
    if appointment is None:
        session.rollback()
        return RequestView(LinkOutcome.DEAD)
    if appointment.status != AppointmentStatus.UNCONFIRMED:
        session.rollback()
        return _view(session, LinkOutcome.SETTLED, appointment)
    try:
        move_status(
            session=session,
            appointment=appointment,
            to_status=AppointmentStatus.REQUESTED,
            actor_user_id=None,
            now=now,
            note="Email address confirmed.",
        )
    except StatusMoveRefused:
        session.rollback()
        return _view(session, LinkOutcome.SETTLED, appointment)
    appointment.hold_expires_at = None
    session.add(appointment)
    manage = issue_appointment_link(
        session=session,
        purpose=LinkPurpose.MANAGE_REQUEST,
        appointment_id=stored_id(appointment),
        now=now,
        lifetime=manage_lifetime(appointment, now),
    )
    enqueue_request_received(
        session=session,
        appointment=appointment,
        now=now,
        receipt=request_sent_to_new_client(
            appointment_details(session=session, appointment=appointment),
            manage_link=routes.request_link(link_base, manage.token),
        ),
    )
    session.commit()
    return _view(
        session,
        LinkOutcome.CONFIRMED,
        appointment,
        token=manage.token,
        concerns=people_concerned(session=session, appointment=appointment),
    )


def linked_request(*, session: Session, token: str, now: datetime) -> Appointment | None:
    """The request a working "see or cancel" link is for, without using the link up."""
    return _linked(
        session, check_link(session=session, token=token, purpose=LinkPurpose.MANAGE_REQUEST, now=now)
    )


def request_by_link(*, session: Session, token: str, now: datetime) -> RequestView:
    """The request a "see or cancel" link is for, without using the link up."""
    appointment = linked_request(session=session, token=token, now=now)
    if appointment is None:
        return RequestView(LinkOutcome.DEAD)
    return _view(session, LinkOutcome.SHOWN, appointment, token=token)


def cancel_by_link(*, session: Session, token: str, reason: str, now: datetime) -> RequestView:
    """Cancel a request that still waits; the link is used up with it, in one transaction."""
    appointment = _linked(
        session, redeem_link(session=session, token=token, purpose=LinkPurpose.MANAGE_REQUEST, now=now)
    )
    if appointment is None:
        session.rollback()
        return RequestView(LinkOutcome.DEAD)
    unconfirmed = appointment.status == AppointmentStatus.UNCONFIRMED
    try:
        move_status(
            session=session,
            appointment=appointment,
            to_status=AppointmentStatus.WITHDRAWN,
            actor_user_id=None,
            now=now,
            note=reason or CANCELLED_NOTE,
            # The therapist never saw an unconfirmed request: nobody is told about it.
            notify=not unconfirmed,
        )
    except StatusMoveRefused:
        session.rollback()
        return _view(session, LinkOutcome.SETTLED, appointment)
    session.commit()
    return _view(
        session,
        LinkOutcome.CANCELLED,
        appointment,
        concerns=people_concerned(session=session, appointment=appointment),
    )
