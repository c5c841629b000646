"""The client's Calendar tab: their sessions in their cells, details on a click, free time booked."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

from tests.e2e import logins
from tests.e2e.booking_fixtures import BROWSER_ZONE, cell_name, date_words
from tests.e2e.screenshots import screenshots

ALEX = logins.CLIENT
PRACTICE_ZONE = ZoneInfo("America/New_York")


def _seeded(weekday: int, at: time) -> datetime:
    """When the demo seed put one of Alex's sessions: that weekday, at least two days ahead."""
    day = datetime.now(PRACTICE_ZONE).date() + timedelta(days=2)
    day += timedelta(days=(weekday - day.weekday()) % 7)
    return datetime.combine(day, at, tzinfo=PRACTICE_ZONE).astimezone(BROWSER_ZONE)


def _week_start(day: date) -> date:
    """Every week shown starts on today's weekday: the first day of the week holding ``day``."""
    today = datetime.now(BROWSER_ZONE).date()
    return today + timedelta(weeks=(day - today).days // 7)


def _week_of(day: date) -> str:
    first = _week_start(day)
    return f"Week of {first:%b} {first.day}, {first.year}"


def _show_week_of(page: Page, day: date) -> None:
    """Step the calendar to the week holding ``day``, one week at a time."""
    label = page.get_by_text(re.compile(r"^Week of "))
    shown = datetime.strptime(label.inner_text(), "Week of %b %d, %Y").date()
    weeks = (_week_start(day) - shown).days // 7
    for _ in range(abs(weeks)):
        shown += timedelta(weeks=1 if weeks > 0 else -1)
        page.get_by_role("button", name="Next week" if weeks > 0 else "Previous week").click()
        expect(label).to_have_text(_week_of(shown))


def _clock(instant: datetime) -> str:
    return f"{instant.hour % 12 or 12}:{instant.minute:02d} {'AM' if instant.hour < 12 else 'PM'}"


def _session_button(page: Page, what: str, instant: datetime, status: str):
    service, who = what.split(" with ")
    name = f"{_clock(instant)} {who} · {status}, {service}, {date_words(instant.date())}, {instant:%Z}"
    return page.get_by_role("button", name=name, exact=True)


def test_the_calendar_shows_the_clients_sessions_in_their_cells_and_opens_them(tab):
    confirmed = _seeded(0, time(10))  # Dr. Maya Chen, Monday 10:00 practice time
    requested = _seeded(3, time(14))  # Jordan Alvarez, Thursday 2:00 PM practice time
    page = tab.open_as(ALEX, "/calendar")

    # This week, or (when it holds nothing) the week of the next appointment; named, with the zone.
    today = datetime.now(BROWSER_ZONE).date()
    this_week = {_week_start(today)} & {_week_start(confirmed.date()), _week_start(requested.date())}
    opening = today if this_week else min(confirmed, requested).date()
    expect(page.get_by_text(re.compile(r"^Week of "))).to_have_text(_week_of(opening))
    expect(page.get_by_text(re.compile(r"Times in America/Chicago \(C[SD]T\)"))).to_be_visible()
    if not this_week:
        expect(page.get_by_role("status").filter(has_text="week of your next appointment")).to_be_visible()

    _show_week_of(page, requested.date())
    request = _session_button(page, "Individual Therapy with Jordan Alvarez", requested, "Unconfirmed")
    expect(request).to_be_visible()
    cell = page.get_by_role("gridcell", name=cell_name(requested.date(), _clock(requested), "your request"))
    # Drawn over its own cell: the block starts at the cell's top, in the cell's column.
    block, under = request.bounding_box(), cell.bounding_box()
    assert abs(block["y"] - under["y"]) < 4
    assert under["x"] <= block["x"] + block["width"] / 2 <= under["x"] + under["width"]
    screenshots(page, "week")

    request.click()
    dialog = page.get_by_role("dialog", name="Individual Therapy")
    expect(dialog).to_contain_text("Unconfirmed")
    expect(dialog).to_contain_text("Jordan Alvarez")
    dialog.get_by_role("button", name="Withdraw request").click()
    expect(
        dialog.get_by_role("heading", name=re.compile(r"^Withdraw Individual Therapy on "))
    ).to_be_visible()
    dialog.get_by_role("button", name="Keep it").click()
    expect(dialog.get_by_role("button", name="Manage Appointment")).to_be_visible()
    dialog.get_by_role("button", name="Close").click()
    expect(page.get_by_role("dialog")).to_have_count(0)

    _show_week_of(page, confirmed.date())
    session = _session_button(page, "Individual Therapy with Dr. Maya Chen", confirmed, "Confirmed")
    expect(
        page.get_by_role("gridcell", name=cell_name(confirmed.date(), _clock(confirmed), "your appointment"))
    )
    session.click()
    dialog = page.get_by_role("dialog", name="Individual Therapy")
    expect(dialog).to_contain_text("Confirmed")
    expect(dialog.get_by_role("button", name="Request a new time")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)

    # The month: every session a button; a day opens its week.
    page.get_by_role("radio", name="Month").click()
    expect(page.get_by_text(f"{confirmed:%B %Y}", exact=True)).to_be_visible()
    month_session = _session_button(page, "Individual Therapy with Dr. Maya Chen", confirmed, "Confirmed")
    expect(month_session).to_be_visible()
    screenshots(page, "month")
    month_session.click()
    expect(page.get_by_role("dialog", name="Individual Therapy")).to_contain_text("Dr. Maya Chen")
    page.keyboard.press("Escape")
    page.get_by_role("button", name=f"Show the week of {date_words(confirmed.date())}").click()
    expect(page.get_by_text(re.compile(r"^Week of "))).to_have_text(_week_of(confirmed.date()))


def test_free_time_opens_the_wizard_there_and_the_time_is_requested(tab, provider):
    day = datetime.now(BROWSER_ZONE).date() + timedelta(days=10)
    page = tab.open_as(ALEX, "/calendar")
    expect(page.get_by_text(re.compile(r"^Week of "))).to_be_visible()
    _show_week_of(page, day)

    page.get_by_role("gridcell", name=cell_name(day, "3:00 PM")).click()
    wizard = page.get_by_role("dialog", name="New Appointment")
    expect(wizard.get_by_role("status").filter(has_text="You chose")).to_contain_text(
        f"{day:%a, %b} {day.day}, {day.year}, 3:00 PM"
    )
    wizard.get_by_role("combobox", name="Provider").click()
    page.get_by_role("option", name=provider.label).click()
    expect(wizard.get_by_role("combobox", name="Location")).to_have_text("Downtown Office")
    wizard.get_by_role("combobox", name="Service").click()
    page.get_by_role("option", name="Individual Therapy").click()

    # The time is kept: the provider's own week, with it chosen.
    expect(wizard.get_by_role("status").filter(has_text="Selected:")).to_contain_text("3:00 PM – 3:50 PM")
    expect(wizard.get_by_role("status").filter(has_text="is free at")).to_contain_text(provider.label)
    screenshots(page, "wizard")
    wizard.get_by_role("button", name="Save").click()
    expect(wizard.get_by_text("Please check your request.")).to_be_visible()
    expect(wizard).to_contain_text(re.compile(r"3:00 PM – 3:50 PM C[SD]T"))
    wizard.get_by_role("button", name="Submit New Appointment").click()
    expect(wizard.get_by_role("heading", name="Request sent")).to_be_visible()
    page.keyboard.press("Escape")

    # Back on the calendar, the request is there, in its cell.
    starts = datetime.combine(day, time(15), tzinfo=BROWSER_ZONE)
    request = _session_button(page, "Individual Therapy with Robin Park", starts, "Unconfirmed")
    expect(request).to_be_visible()
    expect(page.get_by_role("gridcell", name=cell_name(day, "3:00 PM", "your request"))).to_be_attached()

    # Its details offer what the Appointments tab offers: Manage Appointment opens the wizard on it…
    request.click()
    details = page.get_by_role("dialog", name="Individual Therapy")
    details.get_by_role("button", name="Manage Appointment").click()
    manage = page.get_by_role("dialog", name="Manage Appointment")
    expect(manage.get_by_role("status").filter(has_text="Selected:")).to_contain_text("3:00 PM – 3:50 PM")
    manage.get_by_role("button", name="Cancel").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    # …and Withdraw asks first, then frees the time on the calendar.
    request.click()
    details.get_by_role("button", name="Withdraw request").click()
    details.get_by_role("button", name="Withdraw request").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.get_by_role("status").filter(has_text="Request withdrawn.")).to_be_visible()
    expect(request).to_have_count(0)
    expect(page.get_by_role("gridcell", name=cell_name(day, "3:00 PM"))).to_be_visible()


def test_the_keyboard_opens_the_wizard_at_the_chosen_time(tab):
    page = tab.open_as(ALEX, "/calendar")
    grid = page.get_by_role("grid", name="Your calendar")
    expect(grid).to_be_visible()
    week = page.get_by_text(re.compile(r"^Week of "))
    shown = week.inner_text()
    page.get_by_role("button", name="Next week").click()
    # Focus only once the next week is drawn: the cell that takes Tab moves with the data.
    expect(week).not_to_have_text(shown)
    first_free = grid.locator('[role="gridcell"][tabindex="0"]')
    first_free.focus()
    expect(first_free).to_be_focused()
    name = first_free.get_attribute("aria-label")
    assert name.endswith(", available")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    wizard = page.get_by_role("dialog", name="New Appointment")
    expect(wizard.get_by_role("status").filter(has_text="You chose")).to_be_visible()
    wizard.get_by_role("button", name="Cancel").click()
    expect(page.get_by_role("dialog")).to_have_count(0)


def test_a_time_the_provider_does_not_offer_is_said_and_nothing_is_chosen(tab, provider):
    # Robin Park sees clients until 8:00 PM practice time, 7:00 PM in Chicago.
    day = datetime.now(BROWSER_ZONE).date() + timedelta(days=10)
    page = tab.open_as(ALEX, "/calendar")
    expect(page.get_by_text(re.compile(r"^Week of "))).to_be_visible()
    _show_week_of(page, day)
    page.get_by_role("gridcell", name=cell_name(day, "7:30 PM")).click()
    wizard = page.get_by_role("dialog", name="New Appointment")
    wizard.get_by_role("combobox", name="Provider").click()
    page.get_by_role("option", name=provider.label).click()
    wizard.get_by_role("combobox", name="Service").click()
    page.get_by_role("option", name="Individual Therapy").click()

    expect(wizard.get_by_role("status").filter(has_text="cannot offer")).to_contain_text(
        f"{provider.label} cannot offer Individual Therapy at {day:%a, %b} {day.day}, {day.year}, 7:30 PM"
    )
    expect(wizard.get_by_role("button", name="Save")).to_be_disabled()
    expect(wizard.get_by_text(f"{_week_start(day):%b} {_week_start(day).day} – ")).to_be_visible()
    screenshots(page, "not-offered")
    wizard.get_by_role("button", name="Cancel").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    # Nothing was requested, so nothing stays marked on the calendar.
    expect(page.get_by_text(re.compile(r"^7:30 PM · \d+ min$"))).to_have_count(0)
    expect(page.get_by_role("gridcell", name=cell_name(day, "7:30 PM"))).to_be_visible()
