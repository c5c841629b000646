"""The emails the portal sends about appointments and accounts: subject, plain text and HTML.

Pure: each builder takes the appointment's details and returns a draft for the outbox. Every
value that came from a person is HTML-escaped in the HTML part. Times are written in the
recipient's zone with the zone named, and no message says more than the recipient needs
(no service, no notes): email leaves the practice's systems.
"""

from __future__ import annotations

import enum
import html
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime

from portal_app.domain.ics import AppointmentDetails
from portal_app.domain.time_display import day_label, moment_label, time_range_label

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
    REQUEST_CHANGED = "request_changed"
    PROPOSAL = "proposal"
    PROPOSAL_ANSWERED = "proposal_answered"
    EXPIRED = "expired"
    EXPIRED_NOTICE = "expired_notice"
    REMINDER = "reminder"
    CONFIRM_REQUEST = "confirm_request"
    INVITATION = "invitation"
    PASSWORD_RESET = "password_reset"


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


def header_text(text: str) -> str:
    """``text`` as one line of an email header: no line break of any kind, no control character.

    Names people typed (the practice's, a client's) reach the Subject and From lines; a
    carriage return or line feed there would start a header of the sender's choosing
    (``Bcc: ...``). Every control character and Unicode line or paragraph separator becomes a
    space, and runs of white space one space.
    """
    visible = "".join(" " if unicodedata.category(character) == "Cc" else character for character in text)
    return " ".join(visible.split())


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


def appointment_draft(
    kind: MessageKind,
    details: AppointmentDetails,
    *,
    to_client: bool,
    title: str,
    paragraphs: tuple[str, ...],
    ics: str | None = None,
    dedupe_key: str | None = None,
    to: tuple[str, str] | None = None,
) -> EmailDraft:
    """An email about one appointment: greeting, ``paragraphs``, the facts, how to reach the practice.

    ``to`` (name, address) writes to someone other than the client or clinician: the person who
    asked for a new client's appointment on their behalf.
    """
    name = to[0] if to else details.client_name if to_client else details.clinician_name
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
        to_address=to[1] if to else details.client_email if to_client else details.clinician_email,
        subject=header_text(f"{title} — {details.practice_name}"),
        body_text="\n\n".join(text_parts) + "\n",
        body_html=f"<html><body>{''.join(html_parts)}</body></html>",
        ics=ics,
    )


def _request_again(details: AppointmentDetails) -> str:
    """Where the client may ask for another time: their portal, or (no account yet) the practice's page."""
    where = "in the portal" if details.client_has_account else f"on the {details.practice_name} website"
    return f"You are welcome to request another time {where}."


def _html(value: str) -> str:
    return html.escape(value).replace("\n", "<br>")


Interval = tuple[datetime, datetime]


def request_received_to_client(details: AppointmentDetails, *, moving: Interval | None = None) -> EmailDraft:
    """Tells the client their request (or request to move an appointment) arrived, and what next."""
    if moving is None:
        title, first = "Appointment request received", "We received your appointment request."
    else:
        title = "Request for a new time received"
        first = (
            f"We received your request to move your appointment of "
            f"{describe_time(*moving, details.client_zone)}. It stays booked until the new time "
            "below is accepted."
        )
    return appointment_draft(
        MessageKind.REQUEST_RECEIVED,
        details,
        to_client=True,
        title=title,
        paragraphs=(
            f"{first} {details.clinician_name} will review it, "
            "and we will email you when it is accepted or declined.",
        ),
    )


def new_request_to_clinician(details: AppointmentDetails, *, moving: Interval | None = None) -> EmailDraft:
    """Tells the clinician a request (or a request to move an appointment) awaits their answer."""
    if moving is None:
        title, first = "New appointment request", f"{details.client_name} requested an appointment with you."
    else:
        title = "Request to move an appointment"
        first = (
            f"{details.client_name} asks to move their appointment of "
            f"{describe_time(*moving, details.practice_zone)} to the time below. "
            "Accepting it releases the old time."
        )
    return appointment_draft(
        MessageKind.NEW_REQUEST,
        details,
        to_client=False,
        title=title,
        paragraphs=(f"{first} Sign in to the portal to accept or decline it.",),
    )


def request_changed_to_clinician(
    details: AppointmentDetails, *, was: Interval, changed_at: datetime
) -> EmailDraft:
    """Tells the clinician the client changed a pending request (time, service or place)."""
    return appointment_draft(
        MessageKind.REQUEST_CHANGED,
        details,
        to_client=False,
        title="Appointment request changed",
        paragraphs=(
            f"{details.client_name} changed their request for "
            f"{describe_time(*was, details.practice_zone)}; it now reads as below. "
            "Sign in to the portal to accept or decline it.",
        ),
        # One message per change: the same request may change more than once.
        dedupe_key=f"{MessageKind.REQUEST_CHANGED.value}:{details.appointment_id}:{changed_at.astimezone(UTC).isoformat()}",
    )


def accepted_to_client(details: AppointmentDetails, *, ics: str, proposal: bool = False) -> EmailDraft:
    """Confirms the appointment (a request the clinician accepted, or a proposed time the client
    accepted), with a calendar invitation attached."""
    first = (
        f"You accepted the time {details.clinician_name} proposed: your appointment is confirmed."
        if proposal
        else f"{details.clinician_name} accepted your request: your appointment is confirmed."
    )
    return appointment_draft(
        MessageKind.ACCEPTED,
        details,
        to_client=True,
        title="Appointment confirmed",
        paragraphs=(first, "The attached calendar file adds it to your calendar."),
        ics=ics,
    )


def proposal_to_client(
    details: AppointmentDetails, *, requested: Interval, message: str, link: str
) -> EmailDraft:
    """Tells the client the clinician cannot see them at the requested time and proposes another."""
    return appointment_draft(
        MessageKind.PROPOSAL,
        details,
        to_client=True,
        title="Another time proposed",
        paragraphs=(
            f"{details.clinician_name} is not able to see you at the time you requested "
            f"({describe_time(*requested, details.client_zone)}) and proposes the time below instead. "
            "It is held for you until you answer.",
            *_quoted(f"Message from {details.clinician_name}", message),
            f"Accept or decline it in the portal: {link}",
        ),
    )


def expired_to_client(details: AppointmentDetails, *, proposal: bool) -> EmailDraft:
    """Tells the client their request (or the time proposed to them) expired unanswered."""
    first = (
        f"The time {details.clinician_name} proposed was not accepted in time, so it has been released."
        if proposal
        else "Your appointment request was not answered in time, so it has expired and the time is "
        "free again. We are sorry for the wait."
    )
    return appointment_draft(
        MessageKind.EXPIRED,
        details,
        to_client=True,
        title="Appointment request expired",
        paragraphs=(first, _request_again(details)),
    )


def expired_notice_to_clinician(details: AppointmentDetails, *, proposal: bool) -> EmailDraft:
    """Tells the clinician a request of theirs (or their proposal) expired unanswered."""
    first = (
        f"{details.client_name} did not answer the time you proposed in time; it has been released."
        if proposal
        else f"The request from {details.client_name} was not answered in time and has expired; "
        "the time is free again and the client has been told."
    )
    return appointment_draft(
        MessageKind.EXPIRED_NOTICE,
        details,
        to_client=False,
        title="Appointment request expired",
        paragraphs=(first,),
    )


def proposal_answered_to_clinician(details: AppointmentDetails, *, accepted: bool) -> EmailDraft:
    """Tells the clinician whether the client took the time they proposed."""
    if accepted:
        title, first = "Proposed time accepted", f"{details.client_name} accepted the time you proposed."
    else:
        title = "Proposed time declined"
        first = f"{details.client_name} declined the time you proposed; it is free again."
    return appointment_draft(
        MessageKind.PROPOSAL_ANSWERED,
        details,
        to_client=False,
        title=title,
        paragraphs=(first,),
    )


def _quoted(heading: str, message: str) -> tuple[str, ...]:
    """A person's own words as a paragraph of their own, or nothing when they wrote none."""
    return (f"{heading}:\n{message.strip()}",) if message.strip() else ()


def declined_to_client(
    details: AppointmentDetails, *, message: str, keeps: Interval | None = None
) -> EmailDraft:
    """Says the request was declined, with the clinician's message when they wrote one, and that
    the appointment it would have moved (``keeps``) stays as it is."""
    kept = (
        (f"Your appointment of {describe_time(*keeps, details.client_zone)} stays as it is.",)
        if keeps is not None
        else ()
    )
    return appointment_draft(
        MessageKind.DECLINED,
        details,
        to_client=True,
        title="Appointment request declined",
        paragraphs=(
            f"{details.clinician_name} is not able to see you at the time you requested.",
            *_quoted(f"Message from {details.clinician_name}", message),
            *kept,
            _request_again(details),
        ),
    )


def cancelled_to_client(details: AppointmentDetails, *, ics: str, message: str = "") -> EmailDraft:
    """Says the appointment is cancelled (with the practice's message when the practice cancelled
    it); the attached file removes it from their calendar."""
    return appointment_draft(
        MessageKind.CANCELLED,
        details,
        to_client=True,
        title="Appointment cancelled",
        paragraphs=(
            f"Your appointment with {details.clinician_name} has been cancelled.",
            *_quoted(f"Message from {details.clinician_name}", message),
            "The attached calendar file removes it from your calendar.",
        ),
        ics=ics,
    )


def cancellation_notice_to_clinician(details: AppointmentDetails, *, reason: str = "") -> EmailDraft:
    """Tells the clinician an appointment of theirs was cancelled by someone else, and why."""
    return appointment_draft(
        MessageKind.CANCELLATION_NOTICE,
        details,
        to_client=False,
        title="Appointment cancelled",
        paragraphs=(
            f"The appointment with {details.client_name} has been cancelled; the time is free again.",
            *_quoted("Reason given", reason),
        ),
    )


def withdrawn_to_clinician(details: AppointmentDetails, *, reason: str = "") -> EmailDraft:
    """Tells the clinician a pending request was withdrawn by the client, and why."""
    return appointment_draft(
        MessageKind.WITHDRAWN,
        details,
        to_client=False,
        title="Appointment request withdrawn",
        paragraphs=(
            f"{details.client_name} withdrew their appointment request; there is nothing left to review.",
            *_quoted("Reason given", reason),
        ),
    )


def reminder_to_client(details: AppointmentDetails) -> EmailDraft:
    """Reminds the client of a confirmed appointment."""
    paragraphs = [f"This is a reminder of your appointment with {details.clinician_name}."]
    if details.telehealth:
        paragraphs.append("Use Join Video in the portal from 10 minutes before the start.")
    return appointment_draft(
        MessageKind.REMINDER,
        details,
        to_client=True,
        title="Appointment reminder",
        paragraphs=tuple(paragraphs),
        dedupe_key=reminder_dedupe_key(details.appointment_id, details.starts_at),
    )


@dataclass(frozen=True)
class AccountLinkDetails:
    """What an email carrying a one-time account link says.

    Attributes:
        link_id: The link's row (one email per link).
        to_name: The person's name.
        to_address: Their email.
        practice_name: The practice's name.
        practice_phone: Where to call, "" when the practice has no phone.
        practice_zone: The zone the expiry is written in.
        link: The full one-time link.
        expires_at: When the link stops working.
        inviter_name: Who sent the invitation ("" for a password reset).
        for_client: A client's portal (appointments), or staff's (requests and schedule).
    """

    link_id: int
    to_name: str
    to_address: str
    practice_name: str
    practice_phone: str
    practice_zone: str
    link: str
    expires_at: datetime
    inviter_name: str = ""
    for_client: bool = True


def _account_draft(
    kind: MessageKind, details: AccountLinkDetails, *, title: str, paragraphs: tuple[str, ...], button: str
) -> EmailDraft:
    expiry = (
        f"This link works once and expires on {describe_moment(details.expires_at, details.practice_zone)}. "
        f"If it has expired, ask {details.practice_name} to send a new one."
    )
    contact = f"Questions? Call {details.practice_name}" + (
        f" at {details.practice_phone}." if details.practice_phone else "."
    )
    closing = (contact, _FOOTER)
    text_parts = [f"Hello {details.to_name},", *paragraphs, f"{button}:\n{details.link}", expiry, *closing]
    html_parts = [
        f"<p>Hello {_html(details.to_name)},</p>",
        *(f"<p>{_html(paragraph)}</p>" for paragraph in paragraphs),
        f"<p><a href='{html.escape(details.link, quote=True)}' style='display:inline-block;padding:10px 18px;"
        f"background:#12a594;color:#ffffff;border-radius:8px;text-decoration:none'>{_html(button)}</a></p>",
        f"<p>{_html(expiry)}</p>",
        *(f"<p style='color:#555'>{_html(line)}</p>" for line in closing),
    ]
    return EmailDraft(
        kind=kind,
        dedupe_key=f"{kind.value}:{details.link_id}",
        to_address=details.to_address,
        subject=header_text(f"{title} — {details.practice_name}"),
        body_text="\n\n".join(text_parts) + "\n",
        body_html=f"<html><body>{''.join(html_parts)}</body></html>",
    )


def describe_moment(instant: datetime, zone: str) -> str:
    """An instant as its reader reads it, e.g. ``Mon, Nov 2, 2026, 10:00 AM EST (America/New_York)``."""
    return f"{moment_label(instant, zone)} ({zone})"


def invitation(details: AccountLinkDetails) -> EmailDraft:
    """Invites a person to set the password of the account an admin made for them."""
    purpose = (
        "see your appointments, request new ones and manage them online"
        if details.for_client
        else "review appointment requests and manage your schedule"
    )
    inviter = details.inviter_name or details.practice_name
    return _account_draft(
        MessageKind.INVITATION,
        details,
        title="Your invitation to the portal",
        paragraphs=(
            f"{inviter} invited you to the {details.practice_name} portal, where you can {purpose}.",
            "To get started, choose your password with the link below. Nobody at the practice "
            "will ever ask you for it.",
        ),
        button="Set your password",
    )


def password_reset(details: AccountLinkDetails) -> EmailDraft:
    """Lets a person who forgot their password choose a new one."""
    return _account_draft(
        MessageKind.PASSWORD_RESET,
        details,
        title="Reset your password",
        paragraphs=(
            f"Someone asked to reset the password of your {details.practice_name} portal account. "
            "If it was you, choose a new password with the link below.",
            "If it was not you, ignore this email: your password stays as it is.",
        ),
        button="Choose a new password",
    )
