"""Around the session itself: Join Video while it is open, and recording how it went.

Sessions that start within minutes (or have just happened) cannot be booked through the portal
(the practice's minimum notice), so these flows write them straight into the portal's database;
they run only against the portal started here, not against a deployment (``PORTAL_URL``).
"""

import os
import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect
from sqlmodel import col, delete, select

from portal_app import database
from portal_app.domain.vocabulary import AppointmentStatus, Forum
from portal_app.models import Appointment, AuditEvent, Client, Clinician, EmailOutbox, Location, Service
from tests.e2e import logins

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("PORTAL_URL")), reason="writes sessions into the local portal's database"
)


@pytest.fixture
def session_written():
    """Writes confirmed 50-minute sessions as an import would (no booking rule applies), and
    deletes them after the test, so the other flows see the demo as the seed left it."""
    written: list[int] = []

    def write(client_email: str, clinician_slug: str, *, starts_in: timedelta, forum: Forum) -> int:
        with database.open_session(for_writing=True) as session:
            client = session.exec(select(Client).where(Client.email == client_email)).one()
            clinician = session.exec(select(Clinician).where(Clinician.slug == clinician_slug)).one()
            starts_at = datetime.now(UTC) + starts_in
            appointment = Appointment(
                practice_id=client.practice_id,
                clinician_id=clinician.id,
                client_id=client.id,
                service_id=session.exec(select(Service.id).where(Service.name == "Individual Therapy")).one(),
                location_id=session.exec(select(Location.id).where(Location.name == "Downtown Office")).one(),
                forum=forum,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=50),
                status=AppointmentStatus.CONFIRMED,
            )
            session.add(appointment)
            session.commit()
            written.append(appointment.id)
            return appointment.id

    yield write
    with database.open_session(for_writing=True) as session:
        for table in (AuditEvent, EmailOutbox):
            session.exec(delete(table).where(col(table.appointment_id).in_(written)))
        session.exec(delete(Appointment).where(col(Appointment.id).in_(written)))
        session.commit()


def test_join_video_opens_the_clinicians_room_while_the_session_is_open(tab, session_written):
    session_written(logins.CLIENT.email, "maya-chen", starts_in=timedelta(minutes=5), forum=Forum.TELEHEALTH)
    page = tab.open_as(logins.CLIENT)

    banner = page.get_by_text(re.compile("Your telehealth session with Dr. Maya Chen is open"))
    expect(banner).to_be_visible()
    join = page.get_by_role("link", name="Join Video with Dr. Maya Chen (opens a new tab)")
    expect(join).to_have_attribute("target", "_blank")
    # The demo's video rooms are not real sites: answer for them here to see where the tab goes.
    tab.context.route(
        "https://video.oakstreetcounseling.example/**",
        lambda route: route.fulfill(body="<title>Video room</title>", content_type="text/html"),
    )
    with page.expect_popup() as room:
        join.click()
    expect(room.value).to_have_url("https://video.oakstreetcounseling.example/maya-chen")
    expect(room.value).to_have_title("Video room")


def test_a_therapist_records_a_session_that_took_place(tab, session_written):
    session_written(
        logins.SECOND_CLIENT.email, "robin-park", starts_in=-timedelta(hours=2), forum=Forum.IN_PERSON
    )
    page = tab.open_as(logins.CLINICIAN)

    to_record = page.get_by_role("heading", name="Sessions to record")
    expect(to_record).to_be_visible()
    page.get_by_role("button", name=re.compile(r"Sam Taylor, Individual Therapy, .*Confirmed")).first.click()
    details = page.get_by_role("dialog")
    expect(details.get_by_role("button", name="Cancel appointment")).to_have_count(0)
    details.get_by_role("button", name="Attended").click()

    expect(page.get_by_role("status").filter(has_text="Recorded as attended.")).to_be_visible()
    expect(to_record).to_have_count(0)
