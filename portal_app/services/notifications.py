"""The email outbox: messages written in the caller's transaction, and the admin's view of it.

A message is stored in the same transaction as the change it reports, so it is never lost and
never sent for a change that rolled back; ``services.email_sender`` delivers it afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import func, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from portal_app import routes
from portal_app.domain import email_messages as messages
from portal_app.domain.email_messages import EmailDraft
from portal_app.domain.ics import AppointmentDetails, CalendarMethod, appointment_ics
from portal_app.domain.time_display import valid_zone
from portal_app.domain.vocabulary import AppointmentStatus, Forum, OutboxStatus
from portal_app.models import (
    Appointment,
    AuditEvent,
    Client,
    Clinician,
    EmailOutbox,
    Location,
    Practice,
    User,
)
from portal_app.services.stored_rows import required_row, stored_id

# Dialects whose INSERT can skip a row whose dedupe key is already stored.
_INSERT_BY_DIALECT: dict[str, Callable[[type[EmailOutbox]], sqlite.Insert | postgresql.Insert]] = {
    "sqlite": sqlite.insert,
    "postgresql": postgresql.insert,
}


def appointment_details(*, session: Session, appointment: Appointment) -> AppointmentDetails:
    """Everything messages and calendar files say about ``appointment``, read in one place."""
    practice = required_row(session, Practice, appointment.practice_id)
    clinician = required_row(session, Clinician, appointment.clinician_id)
    client = required_row(session, Client, appointment.client_id)
    client_user = session.get(User, client.user_id) if client.user_id else None
    location = required_row(session, Location, appointment.location_id)
    return AppointmentDetails(
        appointment_id=stored_id(appointment),
        practice_id=appointment.practice_id,
        status=appointment.status,
        starts_at=appointment.starts_at,
        ends_at=appointment.ends_at,
        practice_name=practice.name,
        practice_phone=practice.phone,
        practice_zone=practice.time_zone,
        clinician_name=clinician.display_name,
        clinician_email=required_row(session, User, clinician.user_id).email,
        client_name=client.full_name,
        client_email=client.email,
        # A bad zone saved on an account must not block the status change this email reports.
        client_zone=valid_zone(client_user.time_zone if client_user else None) or practice.time_zone,
        telehealth=appointment.forum == Forum.TELEHEALTH,
        location_name=location.name,
        location_address=location.address,
        client_has_account=client_user is not None,
    )


def calendar_sequence(*, session: Session, appointment_id: int) -> int:
    """The calendar SEQUENCE: one more with every recorded status move of the appointment."""
    return session.exec(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.appointment_id == appointment_id)
    ).one()


def appointment_calendar_file(*, session: Session, appointment: Appointment, now: datetime) -> str:
    """The .ics for an "Add to calendar" download (the caller checks who may have it)."""
    return _calendar_file(
        session,
        appointment_details(session=session, appointment=appointment),
        method=CalendarMethod.PUBLISH,
        now=now,
    )


def _calendar_file(
    session: Session, details: AppointmentDetails, *, method: CalendarMethod, now: datetime
) -> str:
    sequence = calendar_sequence(session=session, appointment_id=details.appointment_id)
    return appointment_ics(details, method=method, sequence=sequence, now=now)


def enqueue_email(
    *,
    session: Session,
    practice_id: int,
    appointment_id: int | None,
    draft: EmailDraft,
    now: datetime,
) -> bool:
    """Store ``draft`` in the outbox unless a message with its dedupe key is already there.

    The skip happens in the database (INSERT ... ON CONFLICT DO NOTHING), so two workers
    writing the same message at once store it once, and neither transaction fails.

    Returns:
        Whether the message was stored now.
    """
    insert = _INSERT_BY_DIALECT[session.get_bind().dialect.name]
    statement = (
        insert(EmailOutbox)
        .values(
            practice_id=practice_id,
            appointment_id=appointment_id,
            kind=draft.kind.value,
            dedupe_key=draft.dedupe_key,
            to_address=draft.to_address,
            subject=draft.subject,
            body_text=draft.body_text,
            body_html=draft.body_html,
            ics=draft.ics,
            status=OutboxStatus.PENDING,
            attempts=0,
            next_attempt_at=now,
            last_error="",
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
    )
    return session.exec(statement).rowcount == 1


def _enqueue_all(
    session: Session, details: AppointmentDetails, drafts: list[EmailDraft], now: datetime
) -> None:
    for draft in drafts:
        enqueue_email(
            session=session,
            practice_id=details.practice_id,
            appointment_id=details.appointment_id,
            draft=draft,
            now=now,
        )


def enqueue_request_received(
    *, session: Session, appointment: Appointment, now: datetime, receipt: EmailDraft | None = None
) -> None:
    """Queue the emails for a new request: a receipt to the client, a notice to the clinician.

    Call it in the transaction that creates the appointment (after a flush, so it has an id);
    nothing is committed here. ``receipt`` replaces the client's usual one (a new client's
    carries their link to see or cancel the request).
    """
    details = appointment_details(session=session, appointment=appointment)
    moving = _replaced_interval(session, appointment)
    drafts = [
        receipt or messages.request_received_to_client(details, moving=moving),
        messages.new_request_to_clinician(details, moving=moving),
    ]
    _enqueue_all(session, details, drafts, now)


def enqueue_request_changed(
    *, session: Session, appointment: Appointment, was: tuple[datetime, datetime], now: datetime
) -> None:
    """Queue the clinician's notice that a pending request changed (in the change's transaction)."""
    details = appointment_details(session=session, appointment=appointment)
    _enqueue_all(
        session, details, [messages.request_changed_to_clinician(details, was=was, changed_at=now)], now
    )


_NOTIFIED_STATUSES = frozenset(
    {
        AppointmentStatus.CONFIRMED,
        AppointmentStatus.DECLINED,
        AppointmentStatus.WITHDRAWN,
        AppointmentStatus.CANCELLED,
        AppointmentStatus.EXPIRED,
    }
)


def enqueue_proposal(
    *,
    session: Session,
    proposal: Appointment,
    request: Appointment,
    message: str,
    link_base: str,
    now: datetime,
) -> None:
    """Queue the client's email about a proposed time (in the proposal's transaction)."""
    details = appointment_details(session=session, appointment=proposal)
    link = link_base.rstrip("/") + routes.appointment_link(stored_id(proposal))
    draft = messages.proposal_to_client(
        details, requested=(request.starts_at, request.ends_at), message=message, link=link
    )
    _enqueue_all(session, details, [draft], now)


def enqueue_status_change(
    *,
    session: Session,
    appointment: Appointment,
    from_status: AppointmentStatus,
    to_status: AppointmentStatus,
    actor_user_id: int | None,
    note: str,
    now: datetime,
) -> None:
    """Queue the emails a status move calls for (``move_status`` calls this).

    Args:
        session: The session whose transaction made the move; nothing is committed here.
        appointment: The appointment, already in its new status.
        from_status: The status it moved from (a proposal's answer is told to its clinician).
        to_status: The status it moved to.
        actor_user_id: Who moved it; a clinician is not told about their own cancellation.
        note: The mover's message; for a decline, it is passed on to the client.
        now: The current instant.
    """
    if to_status not in _NOTIFIED_STATUSES:
        return
    details = appointment_details(session=session, appointment=appointment)
    answered_proposal = from_status == AppointmentStatus.PROPOSED
    if to_status == AppointmentStatus.CONFIRMED:
        invitation = _calendar_file(session, details, method=CalendarMethod.REQUEST, now=now)
        drafts = [messages.accepted_to_client(details, ics=invitation, proposal=answered_proposal)]
        if answered_proposal:
            drafts.append(messages.proposal_answered_to_clinician(details, accepted=True))
    elif to_status == AppointmentStatus.EXPIRED:
        drafts = [
            messages.expired_to_client(details, proposal=answered_proposal),
            messages.expired_notice_to_clinician(details, proposal=answered_proposal),
        ]
    elif to_status == AppointmentStatus.DECLINED and answered_proposal:
        drafts = [messages.proposal_answered_to_clinician(details, accepted=False)]
    elif to_status == AppointmentStatus.DECLINED:
        drafts = [
            messages.declined_to_client(details, message=note, keeps=_replaced_interval(session, appointment))
        ]
    elif to_status == AppointmentStatus.WITHDRAWN:
        drafts = [messages.withdrawn_to_clinician(details, reason=note)]
    else:
        _withdraw_pending_reminders(session, appointment_id=stored_id(appointment))
        removal = _calendar_file(session, details, method=CalendarMethod.CANCEL, now=now)
        by_client = (
            actor_user_id is not None
            and actor_user_id == required_row(session, Client, appointment.client_id).user_id
        )
        # The practice's message goes to the client; the client's reason goes to the clinician.
        drafts = [messages.cancelled_to_client(details, ics=removal, message="" if by_client else note)]
        if actor_user_id != required_row(session, Clinician, appointment.clinician_id).user_id:
            drafts.append(
                messages.cancellation_notice_to_clinician(details, reason=note if by_client else "")
            )
    _enqueue_all(session, details, drafts, now)


def _replaced_interval(session: Session, appointment: Appointment) -> tuple[datetime, datetime] | None:
    """The time of the confirmed appointment that ``appointment`` asks to move, if any."""
    if appointment.replaces_id is None:
        return None
    old = required_row(session, Appointment, appointment.replaces_id)
    return (old.starts_at, old.ends_at) if old.status == AppointmentStatus.CONFIRMED else None


def _withdraw_pending_reminders(session: Session, *, appointment_id: int) -> None:
    """A reminder still waiting to go out for a cancelled session must never be sent."""
    session.exec(
        update(EmailOutbox)
        .where(
            col(EmailOutbox.appointment_id) == appointment_id,
            col(EmailOutbox.kind) == messages.MessageKind.REMINDER.value,
            col(EmailOutbox.status) == OutboxStatus.PENDING,
        )
        .values(status=OutboxStatus.NOT_SENT, last_error="Not sent: the appointment was cancelled first.")
    )


def list_outbox(*, session: Session, practice_id: int, limit: int = 200) -> list[EmailOutbox]:
    """The practice's emails, newest first, for the admin's outbox view."""
    return list(
        session.exec(
            select(EmailOutbox)
            .where(EmailOutbox.practice_id == practice_id)
            .order_by(col(EmailOutbox.created_at).desc(), col(EmailOutbox.id).desc())
            .limit(limit)
        ).all()
    )


def outbox_message(*, session: Session, practice_id: int, message_id: int) -> EmailOutbox | None:
    """One of the practice's emails, or None when there is no such email of that practice."""
    message = session.get(EmailOutbox, message_id)
    return message if message is not None and message.practice_id == practice_id else None


def retry_message(*, session: Session, practice_id: int, message_id: int, now: datetime) -> bool:
    """Queue a failed or not-sent email again, with a fresh set of attempts.

    Only the practice's own messages, and only ones no sender is working on, can be retried.

    Returns:
        Whether the message was queued again.
    """
    result = session.exec(
        update(EmailOutbox)
        .where(
            col(EmailOutbox.id) == message_id,
            col(EmailOutbox.practice_id) == practice_id,
            col(EmailOutbox.status).in_([OutboxStatus.FAILED, OutboxStatus.NOT_SENT]),
        )
        .values(status=OutboxStatus.PENDING, attempts=0, next_attempt_at=now, last_error="")
    )
    session.commit()
    return result.rowcount == 1
