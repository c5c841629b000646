"""The emails the portal sends about appointments: subject, plain text and HTML.

Pure: each builder takes the appointment's details and returns a draft for the outbox. Every
value that came from a person is HTML-escaped in the HTML part. Times are written in the
recipient's zone with the zone named, and no message says more than the recipient needs
(no service, no notes): email leaves the practice's systems.
"""

from __future__ import annotations

import enum
import html
from dataclasses import dataclass
from datetime import UTC, datetime

from portal_app.domain.ics import AppointmentDetails
from portal_app.domain.time_display import day_label, time_range_label

_FOOTER = "Please do not reply to this email with personal health information."


class MessageKind(enum.StrEnum):
    """What an email is about; each kind has one recipient (client or clinician)."""

    REQUEST_RECEIVED = "request_received"
    NEW_REQUEST = "new_request"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    CANCELLATION_NOTICE = "cancellation_notice"
    WITHDRAWN = "withdrawn"
    REMINDER = "reminder"


@dataclass(frozen=True)
class EmailDraft:
    """One email, ready for the outbox."""

    kind: MessageKind
    # Unique per message the portal may ever send, so writing it twice stores it once.
    dedupe_key: str
    to_address: str
    subject: str
    body_text: str
    body_html: str
    ics: str | None = None


def describe_time(starts_at: datetime, ends_at: datetime, zone: str) -> str:
    """A time range as its recipient reads it, with the zone named twice over, e.g.
    ``Mon, Nov 2, 2026, 10:00 AM – 10:50 AM EST (America/New_York)``."""
    return f"{day_label(starts_at, zone)}, {time_range_label(starts_at, ends_at, zone)} ({zone})"


def reminder_dedupe_key(appointment_id: int, starts_at: datetime) -> str:
    """One reminder per appointment and start time: a moved appointment gets a new one."""
    return f"{MessageKind.REMINDER.value}:{appointment_id}:{starts_at.astimezone(UTC).isoformat()}"


def _client_facts(details: AppointmentDetails) -> tuple[tuple[str, str], ...]:
    return (
        ("When", describe_time(details.starts_at, details.ends_at, details.client_zone)),
        ("Where", details.place),
        ("With", details.clinician_name),
    )


def _clinician_facts(details: AppointmentDetails) -> tuple[tuple[str, str], ...]:
    return (
        ("When", describe_time(details.starts_at, details.ends_at, details.practice_zone)),
        ("Where", details.place),
        ("Client", details.client_name),
    )


def _draft(
    kind: MessageKind,
    details: AppointmentDetails,
    *,
    to_client: bool,
    title: str,
    paragraphs: tuple[str, ...],
    ics: str | None = None,
    dedupe_key: str | None = None,
) -> EmailDraft:
    name = details.client_name if to_client else details.clinician_name
    facts = _client_facts(details) if to_client else _clinician_facts(details)
    contact = f"Questions? Call {details.practice_name}" + (
        f" at {details.practice_phone}." if details.practice_phone else "."
    )
    closing = (contact, _FOOTER)
    text_parts = [
        f"Hello {name},",
        *paragraphs,
        "\n".join(f"{label}: {value}" for label, value in facts),
        *closing,
    ]
    rows = "".join(
        f"<tr><th align='left' style='padding-right:12px'>{_html(label)}</th><td>{_html(value)}</td></tr>"
        for label, value in facts
    )
    html_parts = [
        f"<p>Hello {_html(name)},</p>",
        *(f"<p>{_html(paragraph)}</p>" for paragraph in paragraphs),
        f"<table>{rows}</table>",
        *(f"<p style='color:#555'>{_html(line)}</p>" for line in closing),
    ]
    return EmailDraft(
        kind=kind,
        dedupe_key=dedupe_key or f"{kind.value}:{details.appointment_id}",
        to_address=details.client_email if to_client else details.clinician_email,
        # Names typed by people end up here; a header must stay on one line.
        subject=" ".join(f"{title} — {details.practice_name}".split()),
        body_text="\n\n".join(text_parts) + "\n",
        body_html=f"<html><body>{''.join(html_parts)}</body></html>",
        ics=ics,
    )


def _html(value: str) -> str:
    return html.escape(value).replace("\n", "<br>")


def request_received_to_client(details: AppointmentDetails) -> EmailDraft:
    """Tells the client their request arrived and what happens next."""
    return _draft(
        MessageKind.REQUEST_RECEIVED,
        details,
        to_client=True,
        title="Appointment request received",
        paragraphs=(
            f"We received your appointment request. {details.clinician_name} will review it, "
            "and we will email you when it is accepted or declined.",
        ),
    )


def new_request_to_clinician(details: AppointmentDetails) -> EmailDraft:
    """Tells the clinician a request awaits their answer."""
    return _draft(
        MessageKind.NEW_REQUEST,
        details,
        to_client=False,
        title="New appointment request",
        paragraphs=(
            f"{details.client_name} requested an appointment with you. "
            "Sign in to the portal to accept or decline it.",
        ),
    )


def accepted_to_client(details: AppointmentDetails, *, ics: str) -> EmailDraft:
    """Confirms the appointment, with a calendar invitation attached."""
    return _draft(
        MessageKind.ACCEPTED,
        details,
        to_client=True,
        title="Appointment confirmed",
        paragraphs=(
            f"{details.clinician_name} accepted your request: your appointment is confirmed.",
            "The attached calendar file adds it to your calendar.",
        ),
        ics=ics,
    )


def declined_to_client(details: AppointmentDetails, *, message: str) -> EmailDraft:
    """Says the request was declined, with the clinician's message when they wrote one."""
    paragraphs = [f"{details.clinician_name} is not able to see you at the time you requested."]
    if message.strip():
        paragraphs.append(f"Message from {details.clinician_name}:\n{message.strip()}")
    paragraphs.append("You are welcome to request another time in the portal.")
    return _draft(
        MessageKind.DECLINED,
        details,
        to_client=True,
        title="Appointment request declined",
        paragraphs=tuple(paragraphs),
    )


def cancelled_to_client(details: AppointmentDetails, *, ics: str, message: str = "") -> EmailDraft:
    """Says the appointment is cancelled, with the canceller's message when there is one; the
    attached file removes it from their calendar."""
    paragraphs = [f"Your appointment with {details.clinician_name} has been cancelled."]
    if message.strip():
        paragraphs.append(f"Message from {details.clinician_name}:\n{message.strip()}")
    paragraphs.append("The attached calendar file removes it from your calendar.")
    return _draft(
        MessageKind.CANCELLED,
        details,
        to_client=True,
        title="Appointment cancelled",
        paragraphs=tuple(paragraphs),
        ics=ics,
    )


def cancellation_notice_to_clinician(details: AppointmentDetails) -> EmailDraft:
    """Tells the clinician an appointment of theirs was cancelled by someone else."""
    return _draft(
        MessageKind.CANCELLATION_NOTICE,
        details,
        to_client=False,
        title="Appointment cancelled",
        paragraphs=(
            f"The appointment with {details.client_name} has been cancelled; the time is free again.",
        ),
    )


def withdrawn_to_clinician(details: AppointmentDetails) -> EmailDraft:
    """Tells the clinician a pending request was withdrawn by the client."""
    return _draft(
        MessageKind.WITHDRAWN,
        details,
        to_client=False,
        title="Appointment request withdrawn",
        paragraphs=(
            f"{details.client_name} withdrew their appointment request; there is nothing left to review.",
        ),
    )


def reminder_to_client(details: AppointmentDetails) -> EmailDraft:
    """Reminds the client of a confirmed appointment."""
    paragraphs = [f"This is a reminder of your appointment with {details.clinician_name}."]
    if details.telehealth:
        paragraphs.append("Use Join Video in the portal from 10 minutes before the start.")
    return _draft(
        MessageKind.REMINDER,
        details,
        to_client=True,
        title="Appointment reminder",
        paragraphs=tuple(paragraphs),
        dedupe_key=reminder_dedupe_key(details.appointment_id, details.starts_at),
    )
