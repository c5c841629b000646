"""Booking a time on the week calendar: drag, click, keyboard, greyed time, and a race."""

import re
from pathlib import Path

from icalendar import Calendar
from playwright.sync_api import expect

from tests.e2e import logins
from tests.e2e.booking_fixtures import (
    cell_name,
    day_in_next_week,
    expect_requested,
    open_wizard_at_next_week,
    request_time,
    save_and_submit,
)

ALEX = logins.CLIENT
SAM = logins.SECOND_CLIENT
TAKEN = "That time was just taken — please choose another"


def test_drag_books_a_request_with_one_websocket_frame(tab, provider):
    page = tab.open_as(ALEX)
    open_wizard_at_next_week(page, provider)
    day = day_in_next_week(8)
    frames = tab.sent_frames
    start = page.get_by_role("gridcell", name=cell_name(day, "11:00 AM"))
    end = page.get_by_role("gridcell", name=cell_name(day, "12:15 PM"))
    end.scroll_into_view_if_needed()  # the start is 5 rows above it: both on the screen
    start_box, end_box = start.bounding_box(), end.bounding_box()
    sent_before = len(frames)

    page.mouse.move(start_box["x"] + start_box["width"] / 2, start_box["y"] + start_box["height"] / 2)
    page.mouse.down()
    page.mouse.move(end_box["x"] + end_box["width"] / 2, end_box["y"] + end_box["height"] / 2, steps=12)
    sent_during_drag = len(frames) - sent_before
    page.mouse.up()

    expect(page.get_by_role("status").filter(has_text="Selected:")).to_contain_text(
        re.compile("11:00 AM – 12:20 PM C[SD]T")
    )
    assert sent_during_drag == 0
    assert len(frames) - sent_before == 1
    save_and_submit(page)
    expect_requested(page, day, "11:00 AM – 12:20 PM")


def test_single_clicks_book_a_request(tab, provider):
    page = tab.open_as(ALEX)
    open_wizard_at_next_week(page, provider)
    day = day_in_next_week(9)

    page.get_by_role("gridcell", name=cell_name(day, "1:30 PM")).click()

    expect(page.get_by_role("status").filter(has_text="Selected:")).to_contain_text("1:30 PM – 2:20 PM")
    save_and_submit(page)
    expect_requested(page, day, "1:30 PM – 2:20 PM")


def test_the_confirmation_offers_the_calendar_file_and_cancelling_the_request(tab, provider):
    page = tab.open_as(ALEX)
    day = day_in_next_week(8)
    request_time(page, provider, day, "4:30 PM")
    dialog = page.get_by_role("dialog", name="New Appointment")
    expect(dialog).to_contain_text(provider.name)
    expect(dialog).to_contain_text(re.compile(r"4:30 PM – 5:20 PM C[SD]T"))

    with page.expect_download() as download:
        dialog.get_by_role("link", name="Add to calendar").click()
    event = Calendar.from_ical(Path(download.value.path()).read_bytes()).walk("VEVENT")[0]
    assert str(event["STATUS"]) == "TENTATIVE"

    dialog.get_by_role("button", name="Cancel request").click()
    confirm = dialog.get_by_role("form", name=re.compile("Cancel your request for"))
    confirm.get_by_role("button", name="Cancel request").click()
    expect(dialog.get_by_role("status")).to_have_text("Request withdrawn.")
    dialog.get_by_role("button", name="View My Appointments").click()
    expect(
        page.get_by_role("button", name=re.compile(rf"{day:%b} {day.day}, .*4:30 PM.*Withdrawn"))
    ).to_be_visible()


def _press_enter_on(locator) -> None:
    """Focus a control and press Enter once it really has the focus (keys go where focus is)."""
    locator.focus()
    expect(locator).to_be_focused()
    locator.page.keyboard.press("Enter")


def test_keyboard_alone_books_a_request(tab, provider):
    page = tab.open_as(ALEX)
    _press_enter_on(page.get_by_role("button", name="New Appointment"))
    dialog = page.get_by_role("dialog", name="New Appointment")
    _press_enter_on(dialog.get_by_role("combobox", name="Provider"))
    _press_enter_on(page.get_by_role("option", name=provider.label))
    _press_enter_on(dialog.get_by_role("combobox", name="Service"))
    _press_enter_on(page.get_by_role("option", name="Individual Therapy"))
    _press_enter_on(dialog.get_by_role("button", name="Next week"))
    day = day_in_next_week(7)
    first_free = dialog.get_by_role("gridcell", name=re.compile(r", available$")).first
    # The first free cell is the first day's 7:00 AM (8:00 in New York); go to the next day, 8:00 AM.
    expect(first_free).to_have_accessible_name(cell_name(day, "7:00 AM"))
    expect(first_free).to_have_attribute("tabindex", "0")
    first_free.focus()
    expect(first_free).to_be_focused()
    for key in ["ArrowRight", "ArrowDown", "ArrowDown", "ArrowDown", "ArrowDown"]:
        page.keyboard.press(key)
    next_day = day_in_next_week(8)
    expect(dialog.get_by_role("gridcell", name=cell_name(next_day, "8:00 AM"))).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_role("status").filter(has_text="Selected:")).to_contain_text(
        f"{next_day:%b} {next_day.day}"
    )
    expect(page.get_by_role("status").filter(has_text="Selected:")).to_contain_text("8:00 AM – 8:50 AM")
    _press_enter_on(dialog.get_by_role("button", name="Save"))
    _press_enter_on(dialog.get_by_role("button", name="Submit New Appointment"))
    expect(dialog.get_by_role("heading", name="Request sent")).to_be_visible()
    _press_enter_on(page.get_by_role("button", name="View My Appointments"))
    requested = page.get_by_role("button", name=re.compile(rf"{next_day:%b} {next_day.day}, .*Unconfirmed"))
    expect(requested.filter(has_text="8:00 AM – 8:50 AM")).to_be_visible()


def test_greyed_time_cannot_be_chosen_and_a_drag_stops_at_it(tab, new_tab, provider):
    day = day_in_next_week(11)
    request_time(new_tab().open_as(SAM), provider, day, "11:00 AM")
    page = tab.open_as(ALEX)
    open_wizard_at_next_week(page, provider)
    taken = page.get_by_role("gridcell", name=cell_name(day, "11:00 AM", "unavailable"))
    expect(taken).to_be_visible()

    # It is marked disabled for assistive technology; a person can still click on it.
    taken.click(force=True)
    expect(page.get_by_role("status").filter(has_text="Selected:")).to_have_count(0)
    expect(page.get_by_role("button", name="Save")).to_be_disabled()

    start = page.get_by_role("gridcell", name=cell_name(day, "9:45 AM")).bounding_box()
    past_it = page.get_by_role("gridcell", name=cell_name(day, "12:30 PM", "available")).bounding_box()
    page.mouse.move(start["x"] + 10, start["y"] + 5)
    page.mouse.down()
    page.mouse.move(past_it["x"] + 10, past_it["y"] + 5, steps=15)
    page.mouse.up()

    # 80 minutes would run into the other request (and its buffer): the longest that fits is 50.
    expect(page.get_by_role("status").filter(has_text="Selected:")).to_contain_text("9:45 AM – 10:35 AM")


def test_two_clients_race_for_one_slot_and_exactly_one_wins(new_tab, provider):
    day = day_in_next_week(12)
    pages = []
    for client in (ALEX, SAM):
        page = new_tab().open_as(client)
        open_wizard_at_next_week(page, provider)
        page.get_by_role("gridcell", name=cell_name(day, "3:00 PM")).click()
        page.get_by_role("dialog").get_by_role("button", name="Save").click()
        expect(page.get_by_role("button", name="Submit New Appointment")).to_be_visible()
        pages.append(page)

    for page in pages:
        page.get_by_role("button", name="Submit New Appointment").click()

    outcomes = []
    for page in pages:
        sent = page.get_by_role("heading", name="Request sent")
        taken = page.get_by_role("alert").filter(has_text=TAKEN)
        expect(sent.or_(taken)).to_be_visible()
        outcomes.append("won" if sent.is_visible() else "lost")
    assert sorted(outcomes) == ["lost", "won"]
    loser = pages[outcomes.index("lost")]
    # The loser's calendar was refreshed: the slot is no longer offered.
    expect(loser.get_by_role("gridcell", name=cell_name(day, "3:00 PM", "unavailable"))).to_be_visible()


def test_direct_link_preselects_the_provider_after_sign_in(tab, provider):
    page = tab.open(f"/book/{provider.slug}")
    page.get_by_role("link", name="I'm an Existing Client").click()
    expect(page).to_have_url(re.compile(rf"/login\?next=%2Fbook%2F{provider.slug}"))
    page.get_by_label("Email").fill(ALEX.email)
    page.get_by_label("Password").fill(ALEX.password)
    page.get_by_role("button", name="Sign in").click()

    dialog = page.get_by_role("dialog", name="New Appointment")
    expect(dialog.get_by_role("combobox", name="Provider")).to_have_text(provider.label)
    expect(dialog.get_by_role("combobox", name="Location")).to_have_text("Downtown Office")
