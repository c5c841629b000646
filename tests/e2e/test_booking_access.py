"""Booking without a mouse: the keyboard alone (any length, focus always somewhere sensible), and a
phone's taps on a full-screen wizard that shows three days at a time."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e import logins
from tests.e2e.booking_fixtures import cell_name, day_in_next_week, request_time

ALEX = logins.CLIENT
SAM = logins.SECOND_CLIENT
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}


def _tab_to(page: Page, target, most: int = 12) -> None:
    """Press Tab until ``target`` has the focus (as a keyboard user would), at most ``most`` times."""
    for _ in range(most):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    expect(target).to_be_focused()


def _expect_listed(page: Page, day, clock_range: str) -> None:
    """The Appointments tab lists the request (other flows book other times of the same day)."""
    expect(page.get_by_role("dialog")).to_have_count(0)
    start = clock_range.split(" – ")[0]
    request = page.get_by_role("button", name=re.compile(rf"{day:%b} {day.day},.* {start} .*Unconfirmed"))
    expect(request).to_contain_text(clock_range)
    expect(request).to_contain_text("Robin Park")


def _selected(page: Page):
    return page.get_by_role("status").filter(has_text="Selected:")


def test_the_keyboard_alone_books_80_minutes_and_focus_follows_each_step(tab, provider):
    page = tab.open_as(ALEX)
    new = page.get_by_role("button", name="New Appointment")
    _tab_to(page, new, most=30)
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="New Appointment")
    provider_box = dialog.get_by_role("combobox", name="Provider")
    _tab_to(page, provider_box)
    page.keyboard.press("Enter")
    option = page.get_by_role("option", name=provider.label)
    page.keyboard.press("ArrowDown")
    for _ in range(8):
        if option.evaluate("element => element === document.activeElement"):
            break
        page.keyboard.press("ArrowDown")
    expect(option).to_be_focused()
    page.keyboard.press("Enter")
    expect(provider_box).to_be_focused()
    expect(dialog.get_by_role("combobox", name="Location")).to_have_text("Downtown Office")

    service = dialog.get_by_role("combobox", name="Service")
    _tab_to(page, service)
    page.keyboard.press("Enter")
    therapy = page.get_by_role("option", name="Individual Therapy")
    expect(therapy).to_be_focused()
    page.keyboard.press("Enter")
    expect(service).to_be_focused()

    next_week = dialog.get_by_role("button", name="Next week")
    _tab_to(page, next_week)
    page.keyboard.press("Enter")
    expect(next_week).to_be_focused()
    day = day_in_next_week(7)
    first_free = dialog.get_by_role("gridcell", name=cell_name(day, "7:00 AM"))
    expect(first_free).to_have_attribute("tabindex", "0")

    # The length control: 80 minutes, then the calendar's first free cell takes the focus.
    eighty = dialog.get_by_role("radio", name="80 min")
    _tab_to(page, dialog.get_by_role("radio").first)
    page.keyboard.press("ArrowRight")
    expect(eighty).to_be_focused()
    page.keyboard.press("Space")
    expect(eighty).to_be_checked()
    _tab_to(page, first_free)

    for _ in range(16):  # 7:00 → 11:00 AM, a quarter hour a row
        page.keyboard.press("ArrowDown")
    eleven = dialog.get_by_role("gridcell", name=cell_name(day, "11:00 AM"))
    expect(eleven).to_be_focused()
    expect(eleven).to_have_accessible_name(re.compile(r"11:00 AM C[SD]T, 50 or 80 min, available$"))
    page.keyboard.press("Enter")
    expect(_selected(page)).to_contain_text(re.compile("11:00 AM – 12:20 PM C[SD]T"))
    expect(eleven).to_have_attribute("aria-selected", "true")
    expect(dialog.get_by_role("gridcell", name=cell_name(day, "12:00 PM"))).to_have_attribute(
        "aria-selected", "true"
    )
    expect(eleven).to_be_focused()

    # Shift+Up and Shift+Down step through the lengths the cell allows; focus stays on it.
    page.keyboard.press("Shift+ArrowUp")
    expect(_selected(page)).to_contain_text("11:00 AM – 11:50 AM")
    expect(dialog.get_by_role("radio", name="50 min")).to_be_checked()
    page.keyboard.press("Shift+ArrowDown")
    expect(_selected(page)).to_contain_text("11:00 AM – 12:20 PM")
    expect(eleven).to_be_focused()

    # Escape, even from inside the calendar, asks first; keeping the request returns to the cell.
    page.keyboard.press("Escape")
    question = page.get_by_role("alertdialog", name="Discard this request?")
    expect(question.get_by_role("button", name="Keep choosing")).to_be_focused()
    page.keyboard.press("Enter")
    expect(question).to_have_count(0)
    expect(dialog).to_be_visible()
    expect(eleven).to_be_focused()
    expect(_selected(page)).to_contain_text("11:00 AM – 12:20 PM")

    # Tab leaves the calendar for the wizard's buttons.
    page.keyboard.press("Tab")
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    page.keyboard.press("Tab")
    expect(dialog.get_by_role("button", name="Save")).to_be_focused()
    page.keyboard.press("Enter")
    expect(dialog.get_by_text("Please check your request.")).to_be_focused()
    expect(dialog).to_contain_text(re.compile("11:00 AM – 12:20 PM C[SD]T"))
    submit = dialog.get_by_role("button", name="Submit New Appointment")
    _tab_to(page, submit)
    page.keyboard.press("Enter")
    expect(dialog.get_by_role("heading", name="Request sent")).to_be_focused()
    _tab_to(page, dialog.get_by_role("button", name="View My Appointments"))
    page.keyboard.press("Enter")
    _expect_listed(page, day, "11:00 AM – 12:20 PM")


def _tap_until_shown(later, cell) -> None:
    """Show later days until ``cell``'s day is among the three shown."""
    for _ in range(3):
        if cell.count():
            break
        later.tap()
    expect(cell).to_be_visible()


def test_a_phone_books_80_minutes_by_taps_and_sees_when_the_time_was_just_taken(new_tab, provider):
    page = new_tab(**PHONE).open_as(ALEX)
    page.get_by_role("button", name="New Appointment").tap()
    dialog = page.get_by_role("dialog", name="New Appointment")
    expect(dialog).to_be_visible()
    # A sheet: the whole width of the screen, nothing past its right edge.
    box = dialog.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    dialog.get_by_role("combobox", name="Provider").tap()
    page.get_by_role("option", name=provider.label).tap()
    expect(dialog.get_by_role("combobox", name="Location")).to_have_text("Downtown Office")
    dialog.get_by_role("combobox", name="Service").tap()
    page.get_by_role("option", name="Individual Therapy").tap()
    grid = dialog.get_by_role("grid", name="Choose a time")
    expect(grid).to_be_visible()
    next_available = dialog.get_by_role("button", name="Next available")
    expect(next_available).to_be_in_viewport()
    right = next_available.bounding_box()
    assert right["x"] + right["width"] <= 390
    dialog.get_by_role("button", name="Next week").tap()

    # Three days at a time, with big cells; the other days a tap away.
    expect(grid.get_by_role("columnheader")).to_have_count(4)  # the time column and three days
    day = day_in_next_week(11)
    later = dialog.get_by_role("button", name="Later days")
    cell = grid.get_by_role("gridcell", name=cell_name(day, "2:30 PM"))
    _tap_until_shown(later, cell)
    size = cell.bounding_box()
    assert size["width"] >= 44, size
    assert size["height"] >= 32, size

    dialog.get_by_role("radio", name="80 min").tap()
    cell.tap()
    expect(_selected(page)).to_contain_text(re.compile("2:30 PM – 3:50 PM C[SD]T"))
    # The block drawn over the calendar (for the eyes only: the status says it to screen readers)
    # reads whole: "2:30 PM" on one line, not broken into letters.
    block = dialog.locator("[data-selection]")
    expect(block).to_have_text("2:30 PM80 min")
    assert block.get_by_text("2:30 PM").bounding_box()["height"] < 24
    dialog.get_by_role("button", name="Save").tap()
    expect(dialog.get_by_text("Please check your request.")).to_be_in_viewport()

    # Meanwhile another client asks for that time: Submit says so where the phone shows it,
    # on the calendar (refreshed), with the message focused.
    request_time(new_tab().open_as(SAM), provider, day, "2:30 PM")
    dialog.get_by_role("button", name="Submit New Appointment").tap()
    taken = dialog.get_by_role("alert").filter(has_text="That time was just taken")
    expect(taken).to_be_focused()
    expect(taken).to_be_in_viewport()
    # Still the same three days: the time is taken, and the rest of the day is a tap away.
    expect(grid.get_by_role("gridcell", name=cell_name(day, "2:30 PM", "unavailable"))).to_be_visible()

    # Another time, 80 minutes again: the length chosen is kept.
    other = grid.get_by_role("gridcell", name=cell_name(day, "4:00 PM"))
    _tap_until_shown(later, other)
    expect(dialog.get_by_role("radio", name="80 min")).to_be_checked()
    other.tap()
    expect(_selected(page)).to_contain_text(re.compile("4:00 PM – 5:20 PM C[SD]T"))
    dialog.get_by_role("button", name="Save").tap()
    dialog.get_by_role("button", name="Submit New Appointment").tap()
    expect(dialog.get_by_role("heading", name="Request sent")).to_be_in_viewport()
    dialog.get_by_role("button", name="View My Appointments").tap()
    _expect_listed(page, day, "4:00 PM – 5:20 PM")
