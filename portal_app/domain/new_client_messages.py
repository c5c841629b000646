"""The emails of a new client's request: confirm your email, then the request as the practice got it.

Pure, like ``domain.email_messages``: the request's details in, a draft out; links are made by
the caller (they carry tokens that are never stored).
"""

from __future__ import annotations

from datetime import datetime

from portal_app.domain.email_messages import EmailDraft, MessageKind, appointment_draft, describe_moment
from portal_app.domain.ics import AppointmentDetails


def confirm_your_request(
    details: AppointmentDetails, *, to_name: str, to_address: str, link: str, held_until: datetime
) -> EmailDraft:
    """Asks the person who filled in the form to confirm their address before the request is sent."""
    held = describe_moment(held_until, details.client_zone)
    return appointment_draft(
        MessageKind.CONFIRM_REQUEST,
        details,
        to_client=True,
        to=(to_name, to_address),
        title="Confirm your appointment request",
        paragraphs=(
            f"Thank you for asking for an appointment with {details.clinician_name}. To send your "
            "request, confirm that this is your email address with the link below:",
            link,
            f"We are holding the time for you until {held}. If you do not confirm by then, the time "
            "is released and nothing is sent.",
            "If you did not ask for this, ignore this email: no request is made without the link.",
        ),
    )


def request_sent_to_new_client(details: AppointmentDetails, *, manage_link: str) -> EmailDraft:
    """The receipt once the address is confirmed: what was sent, and the link to see or cancel it."""
    return appointment_draft(
        MessageKind.REQUEST_RECEIVED,
        details,
        to_client=True,
        title="Appointment request sent",
        paragraphs=(
            f"Your request was sent to {details.clinician_name}, who will review it; we will email "
            "you when it is accepted or declined. When it is accepted you will also get an "
            "invitation to the client portal.",
            f"To see your request, add it to your calendar or cancel it: {manage_link}",
        ),
    )
