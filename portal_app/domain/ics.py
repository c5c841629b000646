"""Calendar files (.ics) for appointments, so calendar apps add, update and remove them.

Pure: everything the file says comes in as arguments, including ``now`` for DTSTAMP.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress

from portal_app.domain.vocabulary import AppointmentStatus

PRODUCT_ID = "-//Therapy Portal//Appointments//EN"
# The VTIMEZONE covers this much either side of the event; calendar apps only need the
# transitions around it, and the full 1970-2038 history would bloat every invitation.
_ZONE_MARGIN = timedelta(days=366)


class CalendarMethod(enum.StrEnum):
    """What a calendar app should do with the file (RFC 5546)."""

    PUBLISH = "PUBLISH"  # a download: just show the event
    REQUEST = "REQUEST"  # an invitation: add or update the event
    CANCEL = "CANCEL"  # remove the event


_EVENT_STATUS = {
    AppointmentStatus.UNCONFIRMED: "TENTATIVE",
    AppointmentStatus.REQUESTED: "TENTATIVE",
    AppointmentStatus.PROPOSED: "TENTATIVE",
    AppointmentStatus.CONFIRMED: "CONFIRMED",
    AppointmentStatus.COMPLETED: "CONFIRMED",
}


@dataclass(frozen=True)
class AppointmentDetails:
    """What emails and calendar files may say about one appointment.

    Deliberately no service, diagnosis or notes: messages leave the practice's systems, so
    they carry only what the recipient needs to turn up.
    """

    appointment_id: int
    practice_id: int
    status: AppointmentStatus
    starts_at: datetime
    ends_at: datetime
    practice_name: str
    practice_phone: str
    practice_zone: str
    clinician_name: str
    clinician_email: str
    client_name: str
    client_email: str
    # The client's own zone when their account has one, else the practice's.
    client_zone: str
    telehealth: bool
    location_name: str
    location_address: str
    # False for a new client who asked from the public page and has no portal account yet.
    client_has_account: bool = True

    @property
    def place(self) -> str:
        """Where the appointment happens, as people say it."""
        if self.telehealth:
            return "Telehealth"
        return ", ".join(part for part in (self.location_name, self.location_address) if part)


def appointment_uid(details: AppointmentDetails) -> str:
    """The calendar UID: the same for every file about one appointment, so updates match."""
    return f"appointment-{details.appointment_id}@practice-{details.practice_id}.therapy-portal"


def _address(email: str, name: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["cn"] = name
    return address


def appointment_ics(
    details: AppointmentDetails, *, method: CalendarMethod, sequence: int, now: datetime
) -> str:
    """The appointment as an iCalendar file.

    Times are written in the practice's zone with its VTIMEZONE, so the event keeps its wall
    time across DST changes in every calendar app.

    Args:
        details: The appointment.
        method: PUBLISH for a download, REQUEST to add or update, CANCEL to remove.
        sequence: Increases with every change, so calendar apps apply the newest file.
        now: When the file is made (DTSTAMP).

    Returns:
        The file's text (CRLF line endings, as RFC 5545 requires).
    """
    zone = ZoneInfo(details.practice_zone)
    event = Event()
    event.add("uid", appointment_uid(details))
    event.add("dtstamp", now)
    event.add("sequence", sequence)
    event.add("dtstart", details.starts_at.astimezone(zone))
    event.add("dtend", details.ends_at.astimezone(zone))
    event.add("summary", f"Appointment with {details.clinician_name} ({details.practice_name})")
    event.add("location", details.place)
    event.add("description", _description(details))
    cancelled = method is CalendarMethod.CANCEL or details.status not in _EVENT_STATUS
    event.add("status", "CANCELLED" if cancelled else _EVENT_STATUS[details.status])
    event.add("organizer", _address(details.clinician_email, details.clinician_name))
    # RFC 5546: attendees belong to invitations and cancellations, not to published events.
    if method is not CalendarMethod.PUBLISH:
        attendee = _address(details.client_email, details.client_name)
        attendee.params["role"] = "REQ-PARTICIPANT"
        # The client asked for this time, so their calendar should not ask them to accept.
        attendee.params["partstat"] = "ACCEPTED"
        attendee.params["rsvp"] = "FALSE"
        event.add("attendee", attendee)

    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("method", method.value)
    calendar.add_component(event)
    calendar.add_missing_timezones(
        first_date=(details.starts_at - _ZONE_MARGIN).date(),
        last_date=(details.ends_at + _ZONE_MARGIN).date(),
    )
    return calendar.to_ical().decode()


def _description(details: AppointmentDetails) -> str:
    lines = [
        "This is a telehealth session: join from the client portal shortly before it starts."
        if details.telehealth
        else f"Location: {details.place}"
    ]
    if details.practice_phone:
        lines.append(f"Questions or changes: call {details.practice_name} at {details.practice_phone}.")
    return "\n".join(lines)
