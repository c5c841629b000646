"""Signing in and out, and pages closed to the wrong people, in a real browser."""

import re
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar
from playwright.sync_api import expect

from tests.e2e import logins

ALEX = logins.CLIENT
MAYA = logins.OTHER_CLINICIAN


def test_demo_client_lands_on_appointments_with_their_name(tab):
    page = tab.sign_in(ALEX)

    expect(page).to_have_url(re.compile(r"/appointments/?$"))
    expect(page.get_by_role("heading", name="Appointments", level=1)).to_be_visible()
    expect(page.get_by_role("banner").get_by_text("Alex Rivera").filter(visible=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Upcoming")).to_be_visible()
    seeded = page.get_by_role("button", name=re.compile("Individual Therapy.*Confirmed")).filter(
        has_text="Dr. Maya Chen"
    )
    expect(seeded).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_times_are_shown_in_the_browsers_zone_with_the_zone_named(tab):
    page = tab.open_as(ALEX)

    upcoming = page.get_by_role("button", name=re.compile("Individual Therapy.*Confirmed")).filter(
        has_text="Dr. Maya Chen"
    )
    # The seed books 10:00 in New York; this browser is in Chicago.
    expect(upcoming).to_contain_text(re.compile(r"9:00 AM – 9:50 AM C[SD]T"))


def test_wrong_password_shows_a_clear_error_and_opens_no_session(tab):
    page = tab.sign_in(ALEX, password="not the password")

    expect(page.get_by_role("alert")).to_have_text("That email and password don't match our records.")
    assert tab.session_cookie() is None
    tab.open("/appointments")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fappointments"))
    expect(page.get_by_text("Please sign in to continue.")).to_be_visible()


def test_unknown_email_gets_the_same_message(tab):
    page = tab.sign_in("nobody@example.com")

    expect(page.get_by_role("alert")).to_have_text("That email and password don't match our records.")


def test_a_client_is_turned_away_from_the_clinician_dashboard(tab):
    page = tab.open_as(ALEX)
    expect(page.get_by_role("heading", name="Appointments", level=1)).to_be_visible()

    tab.open("/dashboard")

    expect(page).to_have_url(re.compile(r"/appointments/?$"))
    expect(page.get_by_role("heading", name="Dashboard")).to_have_count(0)
    expect(page.get_by_text("Requests waiting for you")).to_have_count(0)


def test_log_out_closes_the_protected_pages_again(tab):
    page = tab.sign_in(ALEX)
    expect(page.get_by_role("heading", name="Appointments", level=1)).to_be_visible()

    page.get_by_role("button", name="Log out").click()

    expect(page.get_by_text("You have been logged out.")).to_be_visible()
    assert tab.session_cookie() is None
    tab.open("/appointments")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fappointments"))
    expect(page.get_by_role("heading", name="Upcoming")).to_have_count(0)


def test_signing_in_returns_to_the_page_asked_for(tab):
    page = tab.open("/calendar")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fcalendar"))

    page.get_by_label("Email").fill(ALEX.email)
    page.get_by_label("Password").fill(ALEX.password)
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(re.compile(r"/calendar/?$"))
    expect(page.get_by_role("heading", name="Calendar", level=1)).to_be_visible()


def test_clinician_sees_their_own_dashboard_and_staff_navigation(tab):
    page = tab.sign_in(MAYA)

    expect(page).to_have_url(re.compile(r"/dashboard/?$"))
    nav = page.get_by_role("banner")
    for label in ("Dashboard", "Clients", "Availability", "Settings"):
        expect(nav.get_by_role("link", name=label)).to_be_visible()
    expect(nav.get_by_role("link", name="Appointments")).to_have_count(0)
    expect(page.get_by_role("heading", name="Requests waiting for you")).to_be_visible()
    expect(page.get_by_role("group", name=re.compile("Request from Sam Taylor"))).to_contain_text(
        "Brief Check-in"
    )


def test_a_client_opens_an_appointments_details(tab):
    page = tab.open_as(ALEX)

    requested = page.get_by_role("button", name=re.compile("Individual Therapy.*Unconfirmed"))
    requested.filter(has_text="Jordan Alvarez").click()

    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Jordan Alvarez")
    expect(dialog).to_contain_text("Brookline Office")
    with page.expect_download() as download:
        dialog.get_by_role("link", name="Add to calendar").click()
    event = Calendar.from_ical(Path(download.value.path()).read_bytes()).walk("VEVENT")[0]
    assert "Jordan Alvarez" in str(event["SUMMARY"]) + str(event.get("DESCRIPTION", ""))
    assert event["DTSTART"].dt.astimezone(ZoneInfo("America/New_York")).hour == 14
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_have_count(0)


def test_the_shell_fits_a_phone(new_tab):
    tab = new_tab(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = tab.open_as(ALEX)
    expect(page.get_by_role("heading", name="Appointments", level=1)).to_be_visible()

    page.get_by_role("button", name="Menu").click()
    page.get_by_role("menuitem", name="Calendar").click()

    expect(page.get_by_role("heading", name="Calendar", level=1)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
