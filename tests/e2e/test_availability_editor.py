"""A clinician edits their availability; clients see it at once, and nobody's request is lost silently.

Data: Maya Chen's availability (she has no Saturday hours in the demo) and Robin Park's on days
today+14 … today+20 only (other flows book Robin on today+7 … today+13).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from playwright.sync_api import expect

from tests.e2e import axe, logins
from tests.e2e.booking_fixtures import (
    BROWSER_ZONE,
    PRACTICE_ZONE,
    cell_name,
    open_wizard_at_next_week,
    save_and_submit,
)
from tests.e2e.screenshots import screenshots

MAYA = logins.OTHER_CLINICIAN
ALEX = logins.CLIENT
ROBIN = logins.CLINICIAN
PUSHED = 5_000


def _today() -> date:
    return datetime.now(BROWSER_ZONE).date()


def _next_saturday() -> date:
    """The first Saturday at least two days ahead (clear of the 24-hour notice in any zone)."""
    day = _today() + timedelta(days=2)
    return day + timedelta(days=(5 - day.weekday()) % 7)


def _uncheck_weekdays_but(panel, keep: str) -> None:
    for name in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"):
        box = panel.get_by_role("checkbox", name=name, exact=True)
        want = name == keep
        if (box.get_attribute("data-state") == "checked") != want:
            box.click()
        expect(box).to_have_attribute("data-state", "checked" if want else "unchecked")


def test_a_clinician_adds_weekly_hours_and_the_clients_calendar_offers_them(new_tab):
    saturday = _next_saturday()
    therapist = new_tab().open_as(MAYA, "/availability")
    expect(therapist.get_by_role("heading", name="Weekly hours")).to_be_visible()
    preview = therapist.get_by_role("grid", name="Client preview")
    expect(preview).to_be_visible()
    if saturday - _today() >= timedelta(days=7):
        therapist.get_by_role("button", name="Next week").click()
    # Practice time (New York): 10:00 AM there is 9:00 AM in the client's Chicago.
    preview_cell = therapist.get_by_role("gridcell", name=cell_name(saturday, "10:00 AM", zone=PRACTICE_ZONE))
    expect(preview_cell).to_have_count(0)

    therapist.get_by_role("button", name="Add weekly hours").click()
    panel = therapist.get_by_role("region", name="Add weekly hours")
    _uncheck_weekdays_but(panel, "Sat")
    panel.get_by_label("Start").fill("10:00")
    panel.get_by_label("End").fill("14:00")
    panel.get_by_role("combobox", name="Location").click()
    therapist.get_by_role("option", name="Downtown Office").click()
    panel.get_by_role("checkbox", name="Individual Therapy").click()
    # The preview follows the draft before anything is saved.
    expect(therapist.get_by_text("Draft, not saved yet")).to_be_visible()
    expect(preview_cell).to_be_visible()
    screenshots(therapist, "availability-editor-form")

    panel.get_by_role("button", name="Save").click()
    expect(therapist.get_by_role("status").filter(has_text="Availability saved")).to_be_visible()
    block = therapist.get_by_role("group", name=re.compile(r"Weekly hours: Sat, 10:00 AM – 2:00 PM"))
    expect(block).to_contain_text("Individual Therapy")
    expect(preview_cell).to_be_visible()
    screenshots(therapist, "availability-editor")

    client = new_tab().open_as(ALEX)
    client.get_by_role("button", name="New Appointment").click()
    wizard = client.get_by_role("dialog", name="New Appointment")
    wizard.get_by_role("combobox", name="Provider").click()
    client.get_by_role("option", name="Maya Chen, PsyD").click()
    wizard.get_by_role("radio", name="In-person").click()
    wizard.get_by_role("combobox", name="Service").click()
    client.get_by_role("option", name="Individual Therapy").click()
    expect(wizard.get_by_role("grid", name="Choose a time")).to_be_visible()
    if saturday - _today() >= timedelta(days=7):
        wizard.get_by_role("button", name="Next week").click()
    expect(wizard.get_by_role("gridcell", name=cell_name(saturday, "9:00 AM"))).to_be_visible()

    # Put Maya's week back as the demo has it.
    block.get_by_role("button", name="Delete").click()
    confirm = therapist.get_by_role("alertdialog", name="Delete weekly hours?")
    expect(confirm).to_contain_text("Sat, 10:00 AM – 2:00 PM at Downtown Office")
    confirm.get_by_role("button", name="Delete").click()
    expect(therapist.get_by_role("status").filter(has_text="Deleted")).to_be_visible()
    expect(block).to_have_count(0)


def test_time_off_over_a_pending_request_asks_first_and_declines_it(new_tab, provider):
    day = _today() + timedelta(days=15)
    client = new_tab().open_as(ALEX)
    open_wizard_at_next_week(client, provider)
    client.get_by_role("dialog", name="New Appointment").get_by_role("button", name="Next week").click()
    client.get_by_role("gridcell", name=cell_name(day, "2:00 PM")).click()
    save_and_submit(client)
    client.get_by_role("button", name="View My Appointments").click()
    requested = client.get_by_role("button", name=re.compile(rf"{day:%b} {day.day}, .*Unconfirmed"))
    expect(requested).to_be_visible()

    # The page's Content-Security-Policy would refuse the injected axe-core.
    therapist = new_tab(bypass_csp=True).open_as(ROBIN, "/availability")
    therapist.get_by_role("button", name="Add time off").click()
    panel = therapist.get_by_role("region", name="Add time off")
    panel.get_by_label("First day").fill(day.isoformat())
    panel.get_by_label("Note (only staff see it)").fill("Conference")
    panel.get_by_role("button", name="Save").click()

    decide = therapist.get_by_role("dialog", name="Before saving")
    # The practice's zone: 2:00 PM in Chicago is 3:00 PM in New York.
    session = decide.get_by_role("group", name=re.compile(r"Alex Rivera, .*Unconfirmed"))
    expect(session).to_contain_text("3:00 PM")
    axe.assert_accessible(therapist, "Before saving", within=axe.DIALOGS)
    screenshots(therapist, "availability-before-saving")
    session.get_by_role("radio", name="Decline request").click()
    message = session.get_by_label("Message to Alex Rivera (optional)")
    message.fill("I'm at a conference that day, sorry!")
    message.blur()
    decide.get_by_role("button", name="Save changes").click()
    expect(therapist.get_by_role("status").filter(has_text="1 session was declined")).to_be_visible()
    time_off = therapist.get_by_role("group", name=re.compile(rf"Time off: .*{day:%b} {day.day}"))
    expect(time_off).to_contain_text("Conference")

    declined = client.get_by_role("button", name=re.compile(rf"{day:%b} {day.day}, .*Declined"))
    expect(declined).to_be_visible(timeout=PUSHED)
    expect(declined).to_contain_text("I'm at a conference that day, sorry!")

    # Robin's days back as they were.
    time_off.get_by_role("button", name="Delete").click()
    therapist.get_by_role("alertdialog").get_by_role("button", name="Delete").click()
    expect(time_off).to_have_count(0)
