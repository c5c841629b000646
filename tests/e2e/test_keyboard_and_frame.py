"""Keyboard alone through a therapist's decisions, and the frame every page shares.

Where focus is after each step is what a keyboard or screen-reader user lives by: after Accept
it waits on the status message (never on the next request's Accept, where a second Enter would
accept another client); Escape from a dialog goes back to the button that opened it.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from portal_app import routes
from portal_app.seed import PRACTICE_NAME
from tests.e2e import logins
from tests.e2e.booking_fixtures import day_in_next_week, request_time

ALEX = logins.CLIENT
# Sam books the requests decided here: Alex's pages are checked by other flows on every day.
SAM = logins.SECOND_CLIENT
THERAPIST = logins.CLINICIAN
STATUS = "[data-focus-fallback]"


def _request_card(page, day, clock: str):
    cards = page.get_by_role("group", name=re.compile(rf"Request from Sam Taylor, .*{day:%b} {day.day}"))
    return cards.filter(has_text=clock)


def test_keyboard_alone_accepts_and_declines_with_focus_in_a_safe_place(new_tab, provider):
    day = day_in_next_week(13)
    client = new_tab().open_as(SAM)
    # Chicago 8:00 and 11:30 AM are 9:00 AM and 12:30 PM in the practice's New York.
    request_time(client, provider, day, "8:00 AM")
    client.reload()
    request_time(client, provider, day, "11:30 AM")

    page = new_tab().open_as(THERAPIST)
    first, second = _request_card(page, day, "9:00 AM"), _request_card(page, day, "12:30 PM")
    expect(second).to_be_visible()

    accept = first.get_by_role("button", name="Accept")
    accept.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Accepted")).to_be_visible()
    expect(first).to_have_count(0)
    expect(page.locator(STATUS)).to_be_focused()
    # A second Enter lands on the status message, not on another request's Accept.
    page.keyboard.press("Enter")
    expect(second).to_be_visible()
    expect(second.get_by_role("button", name="Accept")).to_be_enabled()

    decline = second.get_by_role("button", name="Decline")
    decline.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Decline request")
    expect(dialog.get_by_label("Message to the client (optional)")).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(decline).to_be_focused()

    page.keyboard.press("Enter")
    expect(dialog.get_by_label("Message to the client (optional)")).to_be_focused()
    page.keyboard.type("I'm away that morning, could you choose the afternoon?")
    page.keyboard.press("Tab")
    expect(dialog.get_by_role("button", name="Keep request")).to_be_focused()
    page.keyboard.press("Tab")
    expect(dialog.get_by_role("button", name="Decline request")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Declined")).to_be_visible()
    expect(second).to_have_count(0)
    expect(page.locator(STATUS)).to_be_focused()


def test_closing_details_returns_focus_to_the_card_that_opened_them(tab):
    page = tab.open_as(ALEX)
    card = page.get_by_role("button", name=re.compile(r"^\w{3}, \w{3} \d{1,2}, \d{4}, ")).first
    card.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(card).to_be_focused()


def test_signed_out_pages_have_landmarks_and_name_the_practice(tab):
    page = tab.open(routes.HOME)
    expect(page.get_by_role("main")).to_be_visible()
    # One stop of the Tab key: a link, not a link around a button.
    expect(page.get_by_role("link", name="I'm an Existing Client")).to_be_visible()
    expect(page.get_by_role("button", name="I'm an Existing Client")).to_have_count(0)

    page = tab.open(routes.LOGIN)
    expect(page.get_by_role("main")).to_be_visible()
    expect(page.get_by_role("button", name="Sign in")).to_be_enabled()
    # After the page asked the browser for its zone, the practice is still named.
    expect(page.get_by_label("Email")).to_be_focused()
    expect(page.get_by_text(PRACTICE_NAME, exact=True)).to_be_visible()

    page = tab.open("/no-such-page")
    expect(page.get_by_role("main").get_by_role("heading", name="Page not found", level=1)).to_be_visible()
    expect(page.get_by_text(PRACTICE_NAME, exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Go to the portal")).to_have_attribute("href", "/")


def test_the_signed_in_frame_skip_link_header_and_type(new_tab):
    # The admin has the most navigation: one line at 1280 px.
    page = new_tab(viewport={"width": 1280, "height": 860}).open_as(logins.ADMIN, routes.SETTINGS)
    header = page.get_by_role("banner")
    expect(header.get_by_role("link", name="Email outbox")).to_be_visible()
    assert header.bounding_box()["height"] <= 66
    assert header.evaluate("(el) => getComputedStyle(el).position") == "sticky"

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    assert skip.bounding_box()["y"] >= 0
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()

    # A grey button's focus ring is the dark accent (at least 3:1), not its own pale grey.
    log_out = header.get_by_role("button", name="Log out")
    log_out.focus()
    ring = log_out.evaluate("(el) => [getComputedStyle(el).outlineStyle, getComputedStyle(el).outlineColor]")
    assert ring == ["solid", "rgb(11, 114, 102)"], ring

    # The time zone is chosen from the IANA names, not typed.
    zone = page.get_by_role("combobox", name="Time zone")
    expect(zone).to_have_value("America/New_York")
    assert zone.locator("option").count() > 300
    # Emphasis (the therapist's message) in the portal's own upright font.
    emphasis = page.evaluate(
        """() => { const em = document.createElement('em'); em.className = 'rt-Em';
            document.querySelector('main').appendChild(em); const s = getComputedStyle(em);
            const found = [s.fontFamily, s.fontStyle]; em.remove(); return found; }"""
    )
    assert "serif" not in emphasis[0].replace("sans-serif", ""), emphasis
    assert emphasis[1] == "normal", emphasis


def test_at_400_percent_zoom_the_header_scrolls_away(new_tab):
    # 1280 x 860 at 400%: a window of 320 x 215 CSS pixels.
    page = new_tab(viewport={"width": 320, "height": 215}).open_as(ALEX)
    expect(page.get_by_role("heading", name="Appointments", level=1)).to_be_visible()
    assert page.get_by_role("banner").evaluate("(el) => getComputedStyle(el).position") == "static"
