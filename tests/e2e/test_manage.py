"""Manage Appointment: a client changes a pending request and asks to move a confirmed one."""

import re

from playwright.sync_api import expect

from tests.e2e import logins
from tests.e2e.booking_fixtures import cell_name, day_in_next_week, request_time

ALEX = logins.CLIENT
THERAPIST = logins.CLINICIAN
PUSHED = 5_000


def _card(page, day, text: str, status: str):
    return page.get_by_role("button", name=re.compile(rf"{day:%b} {day.day}, .*{text}.*{status}"))


def test_a_client_moves_a_pending_request_to_another_time(tab, provider):
    page = tab.open_as(ALEX)
    day = day_in_next_week(7)
    request_time(page, provider, day, "5:00 PM")
    page.get_by_role("button", name="View My Appointments").click()

    _card(page, day, "5:00 PM", "Unconfirmed").click()
    page.get_by_role("dialog").get_by_role("button", name="Manage Appointment").click()
    wizard = page.get_by_role("dialog", name="Manage Appointment")
    # The request's own time is shown chosen, and it is free to move.
    expect(wizard.get_by_role("status").filter(has_text="Selected:")).to_contain_text("5:00 PM – 5:50 PM")
    wizard.get_by_role("gridcell", name=cell_name(day, "6:00 PM")).click()
    wizard.get_by_role("button", name="Save").click()
    wizard.get_by_role("button", name="Save changes").click()
    expect(wizard.get_by_role("status")).to_have_text("Request changed.")
    wizard.get_by_role("button", name="View My Appointments").click()

    expect(_card(page, day, "6:00 PM", "Unconfirmed")).to_be_visible()
    expect(_card(page, day, "5:00 PM", "Unconfirmed")).to_have_count(0)


def test_a_confirmed_appointment_moves_only_when_the_therapist_accepts(new_tab, provider):
    day = day_in_next_week(12)
    client = new_tab().open_as(ALEX)
    request_time(client, provider, day, "12:00 PM")
    client.get_by_role("button", name="View My Appointments").click()
    therapist = new_tab().open_as(THERAPIST)
    therapist.get_by_role(
        "group", name=re.compile(rf"Request from Alex Rivera, .*{day:%b} {day.day}")
    ).filter(has_text="1:00 PM").get_by_role("button", name="Accept").click()
    expect(therapist.get_by_role("status").filter(has_text="Accepted")).to_be_visible()

    _card(client, day, "12:00 PM", "Confirmed").click()
    client.get_by_role("dialog").get_by_role("button", name="Request a new time").click()
    wizard = client.get_by_role("dialog", name="Request a new time")
    wizard.get_by_role("gridcell", name=cell_name(day, "6:00 PM")).click()
    wizard.get_by_role("button", name="Save").click()
    expect(wizard).to_contain_text("Your current appointment stays booked until they accept the new time.")
    wizard.get_by_role("button", name="Request this time").click()
    expect(wizard.get_by_role("status")).to_contain_text("New time requested.")
    wizard.get_by_role("button", name="View My Appointments").click()
    expect(_card(client, day, "12:00 PM", "Confirmed")).to_be_visible()
    expect(_card(client, day, "6:00 PM", "Unconfirmed")).to_contain_text("New time for the appointment of")

    # The therapist sees what the request would move (practice time: 7 PM), and accepts it.
    move = therapist.get_by_role(
        "group", name=re.compile(rf"Request from Alex Rivera, .*{day:%b} {day.day}")
    ).filter(has_text="Asks to move")
    expect(move).to_contain_text("Asks to move the appointment of", timeout=PUSHED)
    move.get_by_role("button", name="Accept").click()
    expect(therapist.get_by_role("status").filter(has_text="Accepted")).to_be_visible()

    expect(_card(client, day, "6:00 PM", "Confirmed")).to_be_visible(timeout=PUSHED)
    expect(_card(client, day, "12:00 PM", "Cancelled")).to_be_visible()


def test_a_reload_does_not_bring_back_a_dialog(tab):
    page = tab.open_as(ALEX)
    page.get_by_role("button", name="New Appointment").click()
    expect(page.get_by_role("dialog", name="New Appointment")).to_be_visible()

    page.reload()

    expect(page.get_by_role("heading", name="Appointments", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="New Appointment")).to_be_enabled()
    expect(page.get_by_role("dialog")).to_have_count(0)
