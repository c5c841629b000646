"""Queueing appointment reminders, each once, however often and wherever this runs."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from portal_app.domain.email_messages import MessageKind, reminder_dedupe_key, reminder_to_client
from portal_app.domain.vocabulary import AppointmentStatus
from portal_app.models import Appointment, EmailOutbox, Practice
from portal_app.services.notifications import appointment_details, enqueue_email
from portal_app.services.stored_rows import stored_id


def queue_due_reminders(*, session: Session, now: datetime) -> int:
    """Queue a reminder for every confirmed appointment that starts within its practice's
    ``reminder_hours_before`` from ``now`` and has not started yet.

    Each reminder is stored once per appointment and start time (its dedupe key is unique), so
    calling this again, after a restart or from several workers at once, adds nothing. Nothing
    is committed here.

    Args:
        session: The session whose transaction the reminders join.
        now: The current instant.

    Returns:
        How many reminders were queued by this call.
    """
    queued = 0
    practices = session.exec(select(Practice).where(Practice.reminder_hours_before > 0)).all()
    for practice in practices:
        horizon = now + timedelta(hours=practice.reminder_hours_before)
        due = session.exec(
            select(Appointment).where(
                Appointment.practice_id == practice.id,
                Appointment.status == AppointmentStatus.CONFIRMED,
                col(Appointment.starts_at) > now,
                col(Appointment.starts_at) <= horizon,
            )
        ).all()
        # Most due reminders were queued on an earlier round; skip them before building mail.
        already_queued = set(
            session.exec(
                select(EmailOutbox.dedupe_key).where(
                    EmailOutbox.kind == MessageKind.REMINDER.value,
                    col(EmailOutbox.appointment_id).in_([appointment.id for appointment in due]),
                )
            ).all()
        )
        for appointment in due:
            if reminder_dedupe_key(stored_id(appointment), appointment.starts_at) in already_queued:
                continue
            details = appointment_details(session=session, appointment=appointment)
            queued += enqueue_email(
                session=session,
                practice_id=stored_id(practice),
                appointment_id=appointment.id,
                draft=reminder_to_client(details),
                now=now,
            )
    return queued
