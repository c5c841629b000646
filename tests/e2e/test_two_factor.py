"""Two-factor sign-in in a real browser: a therapist sets up an app, then signs in with a code, and
with a recovery code that works once."""

from __future__ import annotations

import re
import time

import pyotp
from playwright.sync_api import Page, expect

from tests.e2e import logins
from tests.e2e.screenshots import screenshots

JORDAN = logins.TWO_FACTOR_CLINICIAN


def _log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You have been logged out.")).to_be_visible()


def _password_step(tab) -> Page:
    page = tab.sign_in(JORDAN)
    expect(page).to_have_url(re.compile(r"/login/code/?$"))
    expect(page.get_by_role("heading", name="Enter your sign-in code", level=1)).to_be_visible()
    return page


def _verify(page: Page, code: str) -> None:
    page.get_by_role("textbox").fill(code)
    page.get_by_role("button", name="Verify").click()


def _on_dashboard(page: Page) -> None:
    expect(page).to_have_url(re.compile(r"/dashboard/?$"))
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()


def test_a_therapist_turns_on_two_factor_then_signs_in_with_a_code_and_a_recovery_code_once(tab):
    page = tab.sign_in(JORDAN)
    _on_dashboard(page)
    page.get_by_role("link", name="Sign-in security").click()
    expect(page.get_by_role("heading", name="Sign-in security", level=1)).to_be_visible()
    page.get_by_role("button", name="Turn on two-factor").click()
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    app = pyotp.TOTP(page.get_by_test_id("setup-key").inner_text().replace(" ", ""))
    screenshots(page, "two-factor-enrolment")
    enrolment_code = app.now()
    page.get_by_label("6-digit code").fill(enrolment_code)
    page.get_by_role("button", name="Turn on", exact=True).click()

    recovery = page.get_by_role("group", name="Recovery codes")
    expect(recovery.locator("code")).to_have_count(10)
    screenshots(page, "two-factor-recovery-codes")
    codes = recovery.locator("code").all_inner_texts()
    # The setup key has left the page.
    expect(page.get_by_test_id("setup-key")).to_have_count(0)
    try:
        page.get_by_role("button", name="I have saved my recovery codes").click()
        expect(page.get_by_text("Recovery codes left: 10")).to_be_visible()
        _log_out(page)

        # Password, then the app's code; the one that turned it on does not work twice.
        page = _password_step(tab)
        screenshots(page, "two-factor-code")
        _verify(page, enrolment_code)
        expect(page.get_by_role("alert")).to_contain_text("That code didn't work")
        # The app's next code: accepted one step early, as a phone's clock may run ahead.
        _verify(page, app.at(time.time() + 30))
        _on_dashboard(page)
        _log_out(page)

        # A recovery code signs in once.
        page = _password_step(tab)
        page.get_by_role("link", name="Lost your phone? Use a recovery code").click()
        expect(page.get_by_label("Recovery code")).to_be_visible()
        screenshots(page, "two-factor-recovery-code")
        _verify(page, codes[0])
        _on_dashboard(page)
        _log_out(page)

        page = _password_step(tab)
        page.get_by_role("link", name="Lost your phone? Use a recovery code").click()
        _verify(page, codes[0])
        expect(page.get_by_role("alert")).to_contain_text("That code didn't work")
        _verify(page, codes[1])
        _on_dashboard(page)
    finally:
        # Put Jordan back as the demo has them: two-factor off (with a recovery code).
        page = tab.open("/security")
        page.get_by_role("button", name="Turn off two-factor").click()
        page.get_by_label("Code").fill(codes[2])
        page.get_by_role("button", name="Turn off two-factor").click()
        expect(page.get_by_text("Two-factor sign-in is off.")).to_be_visible()


def _require_two_factor_for_staff(admin, required: bool) -> None:
    """On the admin's Settings page: the practice's rule, saved (and audited)."""
    page = admin.open("/settings")
    switch = page.get_by_role("switch", name="Two-factor sign-in required for staff")
    expect(switch).to_be_visible()
    if (switch.get_attribute("aria-checked") == "true") != required:
        switch.click()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("status").filter(has_text=re.compile("Saved|Nothing to change"))).to_be_visible()


def test_when_the_practice_requires_it_a_therapist_sets_up_an_app_at_sign_in_and_an_admin_can_reset_it(
    new_tab,
):
    admin = new_tab()
    admin.open_as(logins.ADMIN, "/settings")
    try:
        _require_two_factor_for_staff(admin, True)

        tab = new_tab()
        page = tab.sign_in(JORDAN)
        expect(page.get_by_role("heading", name="Set up two-factor sign-in", level=1)).to_be_visible()
        expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
        screenshots(page, "sign-in-enrolment")
        app = pyotp.TOTP(page.get_by_test_id("setup-key").inner_text().replace(" ", ""))
        _verify(page, app.now())
        expect(page.get_by_role("group", name="Recovery codes").locator("code")).to_have_count(10)
        page.get_by_role("button", name="I have saved my recovery codes").click()
        _on_dashboard(page)
        # Required: their own page offers no way to turn it off.
        page.get_by_role("link", name="Sign-in security").click()
        expect(page.get_by_text("Your practice requires two-factor sign-in for staff.")).to_be_visible()
        expect(page.get_by_role("button", name="Turn off two-factor")).to_have_count(0)

        # The phone is lost: an admin resets it, and Jordan's open session ends at once.
        team = admin.open("/team")
        team.get_by_role("button", name="Reset two-factor sign-in of Jordan Alvarez").click()
        confirm = team.get_by_role("alertdialog", name="Reset Jordan Alvarez's two-factor sign-in?")
        screenshots(team, "two-factor-reset-by-admin")
        confirm.get_by_role("button", name="Reset two-factor").click()
        expect(team.get_by_role("status").filter(has_text="two-factor sign-in was reset")).to_be_visible()
        expect(team.get_by_role("button", name="Reset two-factor sign-in of Jordan Alvarez")).to_have_count(0)
        page.get_by_role("link", name="Dashboard").click()
        expect(page).to_have_url(re.compile(r"/login"))
    finally:
        _require_two_factor_for_staff(admin, False)
