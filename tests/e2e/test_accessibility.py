"""WCAG 2.1 A/AA (axe-core) on every page and every dialog, for each role, on a desktop and a phone.

The pages come from the app's own routes (``axe.page_routes``), so a new page is scanned
without editing this file; every function that builds a dialog must have an opener in
``DIALOG_OPENERS`` (or the test says which is missing). One browser context per role and size
visits its pages in turn; the test fails with one line per offending element.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import update
from sqlmodel import col

from portal_app import database, routes
from portal_app.domain.vocabulary import Role
from portal_app.models import UserSession
from tests.e2e import axe, logins
from tests.e2e.booking_fixtures import PROVIDER, open_wizard_at_next_week
from tests.e2e.conftest import PORTAL_URL
from tests.e2e.logins import Login

SIZES = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}
NOT_FOUND = "/no-such-page"
# An address to open for each route with a parameter, and for the page of unknown addresses.
ROUTE_SAMPLES = {routes.BOOK: routes.booking_link(PROVIDER.slug), routes.NOT_FOUND: NOT_FOUND}
# Who is scanned: nobody signed in, and one login per role (Maya Chen has a request waiting
# from the demo that no flow decides, so the dashboard's request dialogs can open).
PEOPLE: dict[str, tuple[Login | None, Role | None]] = {
    "signed-out": (None, None),
    "client": (logins.CLIENT, Role.CLIENT),
    "clinician": (logins.OTHER_CLINICIAN, Role.CLINICIAN),
    "admin": (logins.ADMIN, Role.ADMIN),
}
STAFF = (Role.CLINICIAN, Role.ADMIN)
# The page is ready once its heading shows and nothing is loading any more.
LOADING = '[aria-label="Loading"], [aria-label="Opening the booking wizard"], .rt-Skeleton'


@dataclass(frozen=True)
class DialogOpener:
    """How a person opens one dialog: on which page, as whom, and by pressing what."""

    route: str
    roles: tuple[Role, ...]
    open: Callable[[Page], None]
    # Closed by Escape, unless it must be left by reloading the page (the booking wizard).
    reload_to_close: bool = False


def _press(name: str | re.Pattern, *, within: str = "main") -> Callable[[Page], None]:
    return lambda page: page.locator(within).get_by_role("button", name=name).first.click()


def _first_request(action: str) -> Callable[[Page], None]:
    def open_(page: Page) -> None:
        request = page.get_by_role("group", name=re.compile(r"^Request from ")).first
        request.get_by_role("button", name=re.compile(rf"^{action}")).click()

    return open_


def _wizard_then_escape(page: Page) -> None:
    """Escape on a wizard holding choices asks before discarding them."""
    open_wizard_at_next_week(page, PROVIDER)
    page.keyboard.press("Escape")


def _first_client(page: Page) -> None:
    page.locator("[data-client-button]:visible").first.click()


def _in_tab(tab: str, then: Callable[[Page], None]) -> Callable[[Page], None]:
    def open_(page: Page) -> None:
        page.get_by_role("tab", name=tab).click()
        then(page)

    return open_


# An appointment card is a button named after what it shows, its day first: "Mon, Nov 30, 2026, …".
APPOINTMENT_CARD = re.compile(r"^\w{3}, \w{3} \d{1,2}, \d{4}, ")
DIALOG_OPENERS: dict[str, list[DialogOpener]] = {
    "appointment_card.appointment_dialog": [
        DialogOpener(routes.APPOINTMENTS, (Role.CLIENT,), _press(APPOINTMENT_CARD)),
        DialogOpener(routes.DASHBOARD, STAFF, _press(APPOINTMENT_CARD)),
    ],
    "booking_wizard.booking_wizard": [
        DialogOpener(
            routes.APPOINTMENTS,
            (Role.CLIENT,),
            lambda page: open_wizard_at_next_week(page, PROVIDER),
            reload_to_close=True,
        )
    ],
    "booking_wizard._discard_question": [
        DialogOpener(routes.APPOINTMENTS, (Role.CLIENT,), _wizard_then_escape, reload_to_close=True)
    ],
    "dashboard._decline_dialog": [DialogOpener(routes.DASHBOARD, STAFF, _first_request("Decline"))],
    "proposal_dialog.proposal_dialog": [DialogOpener(routes.DASHBOARD, STAFF, _first_request("Propose"))],
    "client_dialogs.client_dialog": [DialogOpener(routes.CLIENTS, STAFF, _first_client)],
    "client_dialogs.add_client_dialog": [DialogOpener(routes.CLIENTS, (Role.ADMIN,), _press("Add client"))],
    "outbox._message_dialog": [DialogOpener(routes.OUTBOX, (Role.ADMIN,), _press(re.compile(r"^Read ")))],
    "team._invite_dialog": [DialogOpener(routes.TEAM, (Role.ADMIN,), _press("Invite clinician"))],
    "team.account_dialogs": [DialogOpener(routes.TEAM, (Role.ADMIN,), _press(re.compile(r"^Deactivate ")))],
    "settings._entry_dialog": [
        DialogOpener(routes.SETTINGS, (Role.ADMIN,), _in_tab("Services", _press("Add service")))
    ],
    "settings._retire_dialog": [
        DialogOpener(routes.SETTINGS, (Role.ADMIN,), _in_tab("Locations", _press(re.compile(r"^Retire "))))
    ],
    "settings._profile_dialog": [
        DialogOpener(routes.SETTINGS, STAFF, _in_tab("Clinicians", _press(re.compile(r"^Edit profile of "))))
    ],
    "availability_dialogs.confirm_dialog": [DialogOpener(routes.AVAILABILITY, STAFF, _press("Delete"))],
}
# Dialogs that only open after changing data, or after time passes; scanned where they open.
SCANNED_IN_THEIR_FLOWS = {
    "availability_dialogs.decisions_dialog": "test_availability_editor.py",
    "idle_watch.idle_warning": "test_the_idle_warning_passes_the_check, below",
}


def _pages_for(role: Role | None) -> list[str]:
    """The pages ``role`` sees (None: signed out); everyone may reach an unknown address."""
    pages = []
    for route in axe.page_routes():
        path = ROUTE_SAMPLES.get(route, route)
        allowed = routes.roles_for(path)
        if path == NOT_FOUND or (allowed is None if role is None else allowed and role in allowed):
            pages.append(path)
    return pages


def _settle(page: Page) -> None:
    expect(page.locator("h1").first).to_be_visible()
    expect(page.locator(LOADING)).to_have_count(0)


def _scan(page: Page, where: str, **within) -> list[str]:
    return axe.report(where, axe.scan(page, **within))


def test_the_scan_reports_what_breaks_the_rules(new_tab):
    """The check itself: a page with known faults gets each reported, with rule and element."""
    assert axe.missing_axe() is None, axe.missing_axe()
    page = new_tab(bypass_csp=True).open(routes.LOGIN)
    _settle(page)
    page.set_content(
        '<main><h1>Faults</h1><button style="color:#fff;background:#12a594">Accept</button>'
        '<button aria-label="Propose another time">Propose time</button><img src="x.png"></main>'
    )
    lines = _scan(page, "faults")
    found = {line.split(": ")[1].split(" ")[0] for line in lines}
    assert found >= {"color-contrast", "label-content-name-mismatch", "image-alt"}, lines


def test_every_dialog_has_an_opener():
    """A new dialog fails here until this test knows how to open it (and so scans it)."""
    unknown = axe.dialog_definitions() - set(DIALOG_OPENERS) - set(SCANNED_IN_THEIR_FLOWS)
    assert not unknown, f"add an opener to DIALOG_OPENERS for: {sorted(unknown)}"


def test_every_route_with_a_parameter_has_a_sample():
    with_parameters = {route for route in axe.page_routes() if "[" in route}
    assert with_parameters <= set(ROUTE_SAMPLES)
    assert routes.NOT_FOUND in axe.page_routes()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("who", PEOPLE)
def test_no_wcag_violations(new_tab, who: str, size: str):
    problem = axe.missing_axe()
    assert problem is None, problem
    login, role = PEOPLE[who]
    # The portal's Content-Security-Policy (rightly) refuses injected scripts such as axe.
    tab = new_tab(viewport=SIZES[size], bypass_csp=True)
    found: list[str] = []
    scanned = 0
    for number, path in enumerate(_pages_for(role)):
        page = tab.open_as(login, path) if number == 0 and login else tab.open(path)
        _settle(page)
        found += _scan(page, f"{who} {size} {path}")
        scanned += 1
        # Each tab of a page (Settings) is scanned as it shows.
        tabs = page.get_by_role("tab")
        for index in range(1, tabs.count()):
            tabs.nth(index).click()
            expect(tabs.nth(index)).to_have_attribute("aria-selected", "true")
            found += _scan(page, f"{who} {size} {path} tab {index + 1}", within='[role="tabpanel"]')
            scanned += 1
        if tabs.count():
            tabs.first.click()
        for definition, openers in DIALOG_OPENERS.items():
            for opener in openers:
                if opener.route != path or role not in opener.roles:
                    continue
                opener.open(page)
                dialog: Locator = page.locator(axe.DIALOGS)
                # The last opened (a question over the wizard is a second dialog above it).
                expect(dialog.last).to_be_visible()
                found += _scan(page, f"{who} {size} {path} {definition}", within=axe.DIALOGS)
                scanned += 1
                if opener.reload_to_close:
                    page.reload()
                    _settle(page)
                else:
                    page.keyboard.press("Escape")
                expect(dialog).to_have_count(0)
        if size == "phone" and login is not None and path == login.home:
            page.get_by_role("button", name="Menu").click()
            expect(page.get_by_role("menu")).to_be_visible()
            found += _scan(page, f"{who} {size} {path} menu", within='[role="menu"]')
            scanned += 1
            page.keyboard.press("Escape")
    assert scanned >= len(_pages_for(role))
    assert not found, f"{len(found)} WCAG 2.1 A/AA violations:\n" + "\n".join(found)


@pytest.mark.skipif(bool(PORTAL_URL), reason="moves a session's last activity back in the local database")
def test_the_idle_warning_passes_the_check(new_tab):
    """Two minutes before a staff session's idle end, "Are you still there?" (scanned, then kept)."""
    tab = new_tab(bypass_csp=True)
    page = tab.sign_in(logins.ADMIN)  # a session of its own: the other flows' stays as it is
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    # As if nothing had been done for the practice's 30 minutes less 90 seconds: the page learns its
    # new deadline at its next refresh (a minute apart), and warns at once.
    token_hash = hashlib.sha256(tab.session_cookie().encode()).hexdigest()
    with database.open_session(for_writing=True) as session:
        session.exec(
            update(UserSession)
            .where(col(UserSession.token_hash) == token_hash)
            .values(last_active_at=datetime.now(UTC) - timedelta(minutes=28, seconds=30))
        )
        session.commit()

    warning = page.get_by_role("alertdialog", name="Are you still there?")
    expect(warning).to_be_visible(timeout=90_000)
    found = _scan(page, "admin desktop idle warning", within=axe.DIALOGS)
    warning.get_by_role("button", name="Stay signed in").click()
    expect(warning).to_have_count(0)
    assert not found, "\n".join(found)
