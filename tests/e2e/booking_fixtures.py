"""A provider with wide, simple availability, so booking tests do not depend on the demo's."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect
from sqlmodel import select

from portal_app import database
from portal_app import models as m
from portal_app.seed import DEMO_PASSWORD
from portal_app.services.passwords import hash_password

PROVIDER_NAME = "Robin Test"
PROVIDER_EMAIL = "robin.test@example.org"
PROVIDER_SLUG = "robin-test"
BROWSER_ZONE = ZoneInfo("America/Chicago")


@dataclass(frozen=True)
class BookableProvider:
    clinician_id: int
    label: str  # as the Provider list shows it


def create_test_provider() -> BookableProvider:
    """Every day 8:00–20:00 (practice time), in-person at the Downtown Office, Individual Therapy."""
    with database.open_session(for_writing=True) as session:
        practice = session.exec(select(m.Practice)).first()
        location = session.exec(select(m.Location).where(m.Location.name == "Downtown Office")).one()
        service = session.exec(select(m.Service).where(m.Service.name == "Individual Therapy")).one()
        user = m.User(
            practice_id=practice.id,
            email=PROVIDER_EMAIL,
            password_hash=hash_password(DEMO_PASSWORD),
            role=m.Role.CLINICIAN,
            display_name=PROVIDER_NAME,
        )
        session.add(user)
        session.flush()
        clinician = m.Clinician(
            practice_id=practice.id,
            user_id=user.id,
            display_name=PROVIDER_NAME,
            credentials="LPC",
            slug=PROVIDER_SLUG,
        )
        session.add(clinician)
        session.flush()
        session.add(
            m.AvailabilityBlock(
                clinician_id=clinician.id,
                location_id=location.id,
                weekdays=list(range(7)),
                start_local=time(8),
                end_local=time(20),
                valid_from=date(2025, 1, 1),
                in_person=True,
                telehealth=False,
                service_ids=[service.id],
            )
        )
        session.commit()
        return BookableProvider(clinician_id=clinician.id, label=f"{PROVIDER_NAME}, LPC")


def book_directly(clinician_id: int, *, client_email: str, day: date, at: time, minutes: int = 50) -> None:
    """Put someone else's request on the calendar (browser-zone wall clock)."""
    starts_at = datetime.combine(day, at, tzinfo=BROWSER_ZONE)
    with database.open_session(for_writing=True) as session:
        client = session.exec(select(m.Client).where(m.Client.email == client_email)).one()
        service = session.exec(select(m.Service).where(m.Service.name == "Individual Therapy")).one()
        location = session.exec(select(m.Location).where(m.Location.name == "Downtown Office")).one()
        session.add(
            m.Appointment(
                practice_id=client.practice_id,
                clinician_id=clinician_id,
                client_id=client.id,
                service_id=service.id,
                location_id=location.id,
                forum=m.Forum.IN_PERSON,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=minutes),
                status=m.AppointmentStatus.REQUESTED,
            )
        )
        session.commit()


def day_in_next_week(offset: int) -> date:
    """A day of the wizard's second week (today + 7 … today + 13), in the browser's zone."""
    assert 7 <= offset <= 13
    return datetime.now(BROWSER_ZONE).date() + timedelta(days=offset)


def cell_name(day: date, clock: str, state: str = "available") -> str:
    """The accessible name of a calendar cell, e.g. ``Tuesday 1 December, 9:00 AM, available``."""
    return f"{day:%A} {day.day} {day:%B}, {clock}, {state}"


def open_wizard_at_next_week(page: Page, provider) -> None:
    page.get_by_role("button", name="New Appointment").click()
    dialog = page.get_by_role("dialog", name="New Appointment")
    dialog.get_by_role("combobox", name="Provider").click()
    page.get_by_role("option", name=provider.label).click()
    # One location and one forum: the wizard chooses them and moves on.
    expect(dialog.get_by_role("combobox", name="Location")).to_have_text("Downtown Office")
    dialog.get_by_role("combobox", name="Service").click()
    page.get_by_role("option", name="Individual Therapy").click()
    expect(dialog.get_by_role("grid", name="Choose a time")).to_be_visible()
    dialog.get_by_role("button", name="Next week").click()


def save_and_submit(page: Page) -> None:
    dialog = page.get_by_role("dialog", name="New Appointment")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog.get_by_text("Please check your request.")).to_be_visible()
    dialog.get_by_role("button", name="Submit New Appointment").click()
    expect(dialog.get_by_role("heading", name="Request sent")).to_be_visible()


def expect_requested(page: Page, day, clock_range: str) -> None:
    page.get_by_role("button", name="View My Appointments").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    request = page.get_by_role(
        "button", name=re.compile(rf"Individual Therapy, .*{day:%b} {day.day}, .*Unconfirmed")
    )
    expect(request).to_contain_text(clock_range)
    expect(request).to_contain_text("Robin Test")
