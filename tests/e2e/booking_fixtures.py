"""The demo clinician the booking flows use, and steps those flows share.

Robin Park (seeded by ``portal_app.seed``) is open every day 8:00–20:00 practice time,
in-person at the Downtown Office, for Individual Therapy, with nothing booked: the flows do not
depend on the other clinicians' hours, and need nothing beyond the demo seed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

BROWSER_ZONE = ZoneInfo("America/Chicago")
# The demo practice's zone: the therapist's own calendars (schedule, proposal, preview) use it.
PRACTICE_ZONE = ZoneInfo("America/New_York")


@dataclass(frozen=True)
class BookableProvider:
    name: str
    label: str  # as the Provider list shows it
    slug: str  # of the direct booking link /book/<slug>


PROVIDER = BookableProvider(name="Robin Park", label="Robin Park, LPC", slug="robin-park")


def day_in_next_week(offset: int) -> date:
    """A day of the wizard's second week (today + 7 … today + 13), in the browser's zone."""
    assert 7 <= offset <= 13
    return datetime.now(BROWSER_ZONE).date() + timedelta(days=offset)


def date_words(day: date) -> str:
    """A date as the portal writes it everywhere: ``Tue, Dec 1, 2026``."""
    return f"{day:%a, %b} {day.day}, {day.year}"


def zone_words(day: date, zone: ZoneInfo = BROWSER_ZONE) -> str:
    """``zone``'s abbreviation on ``day`` (the calendar names it in every cell)."""
    return datetime.combine(day, time(12), tzinfo=zone).tzname() or ""


def cell_name(
    day: date, clock: str, state: str = "available", zone: ZoneInfo = BROWSER_ZONE
) -> re.Pattern[str]:
    """The accessible name of a calendar cell, e.g. ``Tue, Dec 1, 2026, 9:00 AM CST, 50 or 80 min,
    available`` (a free cell says the lengths that may start there); ``zone`` is the calendar's."""
    lengths = r"(\d+ min|(\d+, )*\d+ or \d+ min), " if state == "available" else ""
    known = re.escape(f"{date_words(day)}, {clock} {zone_words(day, zone)}, ")
    return re.compile(rf"^{known}{lengths}{state}$")


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


def request_time(page: Page, provider, day: date, clock: str) -> None:
    """Request the 50-minute session starting at ``clock`` on ``day`` (browser zone)."""
    open_wizard_at_next_week(page, provider)
    page.get_by_role("gridcell", name=cell_name(day, clock)).click()
    save_and_submit(page)


def expect_requested(page: Page, day, clock_range: str) -> None:
    page.get_by_role("button", name="View My Appointments").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    request = page.get_by_role(
        "button", name=re.compile(rf"{day:%b} {day.day}, .*Individual Therapy, .*Unconfirmed")
    )
    expect(request).to_contain_text(clock_range)
    expect(request).to_contain_text(PROVIDER.name)
