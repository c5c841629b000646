"""Calendar files: calendar apps must place, update and remove the appointment correctly."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from portal_app.domain.ics import CalendarMethod, appointment_ics
from portal_app.domain.vocabulary import AppointmentStatus
from tests.factories import make_appointment_details

NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2026, 10, 20, 12, 0, tzinfo=UTC)


def parsed_event(ics: str):
    calendar = Calendar.from_ical(ics)
    (event,) = calendar.events
    return calendar, event


@pytest.mark.parametrize(
    "local_start",
    [
        datetime(2026, 11, 2, 10, 0, tzinfo=NEW_YORK),  # the Monday after the fall-back
        datetime(2026, 10, 30, 10, 0, tzinfo=NEW_YORK),  # the Friday before it
        datetime(2026, 3, 9, 9, 0, tzinfo=NEW_YORK),  # the Monday after spring-forward
    ],
)
def test_event_starts_and_ends_at_the_appointment_times_across_dst(local_start):
    start = local_start.astimezone(UTC)

    _, event = parsed_event(
        appointment_ics(make_appointment_details(start), method=CalendarMethod.REQUEST, sequence=1, now=NOW)
    )

    assert event.start == start
    assert event.end == start + timedelta(minutes=50)
    # Wall time in the practice's zone is kept, so the event stays at 10:00 after a DST change.
    assert event.start.astimezone(NEW_YORK).time() == local_start.time()


def test_file_carries_the_practice_zone_definition():
    ics = appointment_ics(
        make_appointment_details(datetime(2026, 11, 2, 15, 0, tzinfo=UTC)),
        method=CalendarMethod.REQUEST,
        sequence=1,
        now=NOW,
    )

    calendar, event = parsed_event(ics)
    assert [zone["TZID"] for zone in calendar.timezones] == ["America/New_York"]
    assert event["DTSTART"].params["TZID"] == "America/New_York"
    assert "\r\n" in ics


def test_invitation_has_stable_uid_method_sequence_and_people():
    start = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
    first = appointment_ics(
        make_appointment_details(start), method=CalendarMethod.REQUEST, sequence=2, now=NOW
    )
    again = appointment_ics(
        make_appointment_details(start),
        method=CalendarMethod.REQUEST,
        sequence=3,
        now=NOW + timedelta(days=1),
    )

    calendar, event = parsed_event(first)
    _, later_event = parsed_event(again)
    assert calendar["METHOD"] == "REQUEST"
    assert str(event["UID"]) == str(later_event["UID"]) == "appointment-42@practice-7.therapy-portal"
    assert (event["SEQUENCE"], later_event["SEQUENCE"]) == (2, 3)
    assert event["STATUS"] == "CONFIRMED"
    assert str(event["ORGANIZER"]) == "mailto:maya@example.org"
    assert str(event["ATTENDEE"]) == "mailto:alex@example.com"
    assert event["LOCATION"] == "Downtown Office, 120 Oak Street, Boston"
    assert event["SUMMARY"] == "Appointment with Dr. Maya Chen (Oak Street Counseling)"


def test_cancellation_removes_the_same_event():
    start = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
    cancelled = make_appointment_details(start, status=AppointmentStatus.CANCELLED)

    calendar, event = parsed_event(
        appointment_ics(cancelled, method=CalendarMethod.CANCEL, sequence=3, now=NOW)
    )

    assert calendar["METHOD"] == "CANCEL"
    assert event["STATUS"] == "CANCELLED"
    assert str(event["UID"]) == "appointment-42@practice-7.therapy-portal"


def test_download_of_a_telehealth_request_is_tentative_and_names_no_attendee():
    request = replace(
        make_appointment_details(datetime(2026, 11, 2, 15, 0, tzinfo=UTC)),
        status=AppointmentStatus.REQUESTED,
        telehealth=True,
    )

    calendar, event = parsed_event(
        appointment_ics(request, method=CalendarMethod.PUBLISH, sequence=1, now=NOW)
    )

    assert calendar["METHOD"] == "PUBLISH"
    assert event["STATUS"] == "TENTATIVE"
    assert event["LOCATION"] == "Telehealth"
    assert "ATTENDEE" not in event
