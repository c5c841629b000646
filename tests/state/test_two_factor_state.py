"""Two-factor sign-in, the security page and idle staff sessions, driven as a browser's events would."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from sqlmodel import select

from portal_app import database, routes
from portal_app.demo_logins import DEMO_PASSWORD
from portal_app.models import Practice, UserSession
from portal_app.state import wording
from portal_app.state.dashboard import DashboardState
from portal_app.state.login import LoginState
from portal_app.state.security import SecurityState
from portal_app.state.session import SessionState
from portal_app.state.sign_in_code import SignInCodeState
from portal_app.state.team import TeamState
from tests.state.conftest import Browser, browser_for, redirect_target, run, sent

CLIENT = "alex.rivera@example.com"
THERAPIST = "jordan.alvarez@example.org"


def _require_two_factor_for_staff() -> None:
    with database.open_session(for_writing=True) as session:
        practice = session.exec(select(Practice)).one()
        practice.staff_two_factor_required = True
        session.add(practice)
        session.commit()


def _password_step(email: str, browser: Browser) -> tuple[list, SignInCodeState]:
    login = browser.state(LoginState, path=routes.LOGIN)
    answers = sent(login, "submit", {"email": email, "password": DEMO_PASSWORD})
    code_step = asyncio.run(login.get_state(SignInCodeState))
    browser.connect(code_step, routes.SIGN_IN_CODE)
    return answers, code_step


def _goes_to_session(event) -> bool:
    return event is not None and routes.API_SIGN_IN_COMPLETE in str(event)


def test_staff_set_up_an_app_at_sign_in_when_the_practice_requires_it(app_db):
    _require_two_factor_for_staff()
    browser = Browser(cookie=f"{routes.BROWSER_COOKIE}=this-browser")

    answers, step = _password_step(THERAPIST, browser)
    assert redirect_target(answers[-1]) == routes.SIGN_IN_CODE
    run(step, "load")
    assert step.enrolling
    assert step.qr_image.startswith("data:image/svg+xml")
    app = pyotp.TOTP(step.secret_text.replace(" ", ""))

    run(step, "submit", {"code": "000000"})
    assert step.error.startswith("That code didn't work")
    assert step.recovery_codes == []
    run(step, "submit", {"code": app.now()})

    assert step.error == ""
    assert len(step.recovery_codes) == 10
    # The secret leaves the page as soon as the app is confirmed.
    assert (step.qr_image, step.secret_text) == ("", "")
    assert _goes_to_session(run(step, "finish"))


def test_the_code_step_works_only_in_the_browser_that_typed_the_password(app_db):
    _require_two_factor_for_staff()
    _, step = _password_step(THERAPIST, Browser(cookie=f"{routes.BROWSER_COOKIE}=this-browser"))
    # The same tab's state reached with another browser's cookie (a stolen token, say).
    Browser(cookie=f"{routes.BROWSER_COOKIE}=another-browser").connect(step, routes.SIGN_IN_CODE)

    assert redirect_target(run(step, "load")) == f"{routes.LOGIN}?expired=1"
    assert step.secret_text == ""


def test_without_a_waiting_sign_in_the_code_page_goes_to_sign_in(app_db):
    step = Browser(cookie=f"{routes.BROWSER_COOKIE}=b").state(SignInCodeState, path=routes.SIGN_IN_CODE)
    assert redirect_target(run(step, "load")) == routes.LOGIN
    assert run(step, "submit", {"code": "123456"}) is None


def test_a_client_turns_two_factor_on_and_then_signs_in_with_a_code_or_a_recovery_code(app_db):
    page = browser_for(CLIENT).state(SecurityState, path=routes.SECURITY)
    run(page, "load")
    assert not page.enabled
    run(page, "start")
    enrolment_code = pyotp.TOTP(page.secret_text.replace(" ", "")).now()
    run(page, "confirm", {"code": enrolment_code})
    assert page.enabled
    codes = list(page.recovery_codes)
    assert len(codes) == 10
    assert page.secret_text == ""

    answers, step = _password_step(CLIENT, Browser(cookie=f"{routes.BROWSER_COOKIE}=phone"))
    assert redirect_target(answers[-1]) == routes.SIGN_IN_CODE
    run(step, "load")
    assert not step.enrolling
    # The enrolment's code is spent, even while the app may still show it.
    run(step, "submit", {"code": enrolment_code})
    assert step.error == wording.CODE_OUTCOMES["wrong"]
    run(step, "set_use_recovery_code", True)
    assert _goes_to_session(run(step, "submit", {"code": codes[0]}))

    _, again = _password_step(CLIENT, Browser(cookie=f"{routes.BROWSER_COOKIE}=laptop"))
    run(again, "load")
    run(again, "submit", {"code": codes[0]})
    assert again.error == wording.CODE_OUTCOMES["wrong"]


def test_turning_off_needs_a_code_and_staff_cannot_while_required(app_db):
    page = browser_for(THERAPIST).state(SecurityState, path=routes.SECURITY)
    run(page, "load")
    run(page, "start")
    run(page, "confirm", {"code": pyotp.TOTP(page.secret_text.replace(" ", "")).now()})
    codes = list(page.recovery_codes)
    run(page, "saved_codes")

    run(page, "ask_turn_off")
    run(page, "turn_off", {"code": "999999"})
    assert page.enabled
    assert page.error == wording.CODE_OUTCOMES["wrong"]
    _require_two_factor_for_staff()
    run(page, "turn_off", {"code": codes[0]})
    assert page.enabled
    assert page.required
    assert page.error == wording.CODE_OUTCOMES["required"]


class _Clock:
    """Moves the states' clock on (the server's ``now``), as time passing would."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = datetime.now(UTC)
        monkeypatch.setattr(SessionState, "_now", lambda _state: self.now)

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def _last_active() -> datetime:
    with database.open_session() as session:
        return session.exec(select(UserSession.last_active_at)).one()


def test_an_idle_staff_session_is_refused_and_a_refresh_does_not_keep_it_alive(app_db, monkeypatch):
    clock = _Clock(monkeypatch)
    dashboard = browser_for(THERAPIST).state(DashboardState, path=routes.DASHBOARD)
    signed_in_at = _last_active()
    assert redirect_target(run(dashboard, "load")) is None
    assert dashboard.idle_minutes == 30

    clock.advance(minutes=20)
    run(dashboard, "refresh")
    assert _last_active() == signed_in_at
    run(dashboard, "load")
    assert _last_active() == clock.now
    assert dashboard.idle_deadline_ms == int((clock.now + timedelta(minutes=30)).timestamp() * 1000)

    clock.advance(minutes=28, seconds=30)
    run(dashboard, "idle_warning_due")
    assert dashboard.idle_warning_open
    run(dashboard, "stay_signed_in")
    assert not dashboard.idle_warning_open

    clock.advance(minutes=30)
    refusal = run(dashboard, "refresh")
    assert redirect_target(refusal) == routes.login_url(routes.DASHBOARD, idle=True)
    assert not dashboard.signed_in
    # Coming back does not bring the session back.
    assert redirect_target(run(dashboard, "load")).startswith(routes.LOGIN)


def test_the_warning_stays_closed_when_another_tab_kept_the_session_alive(app_db, monkeypatch):
    clock = _Clock(monkeypatch)
    browser = browser_for(THERAPIST)
    quiet_tab = browser.state(DashboardState, path=routes.DASHBOARD)
    busy_tab = browser.state(DashboardState, path=routes.DASHBOARD, connection="connection-2")
    run(quiet_tab, "load")

    clock.advance(minutes=20)
    run(busy_tab, "load")
    clock.advance(minutes=8)
    run(quiet_tab, "idle_warning_due")

    assert not quiet_tab.idle_warning_open
    assert quiet_tab.idle_deadline_ms > (clock.now + timedelta(minutes=20)).timestamp() * 1000


def test_clients_have_no_idle_deadline(app_db, monkeypatch):
    clock = _Clock(monkeypatch)
    page = browser_for(CLIENT).state(SecurityState, path=routes.SECURITY)
    run(page, "load")
    clock.advance(hours=2)
    assert redirect_target(run(page, "load")) is None
    assert page.idle_deadline_ms == 0


def test_the_sign_in_page_says_why_after_an_idle_end(app_db):
    login = Browser().state(LoginState, path=routes.login_url(routes.DASHBOARD, idle=True))
    run(login, "load")
    assert login.notice == wording.SIGNED_OUT_IDLE


def test_an_admin_resets_a_therapist_s_two_factor_and_signs_them_out(app_db):
    therapist = browser_for(THERAPIST)
    page = therapist.state(SecurityState, path=routes.SECURITY)
    run(page, "start")
    run(page, "confirm", {"code": pyotp.TOTP(page.secret_text.replace(" ", "")).now()})
    assert page.enabled

    team = browser_for("office@example.org").state(TeamState, path=routes.TEAM)
    run(team, "load")
    (jordan,) = [row for row in team.clinicians if row.email == THERAPIST]
    assert jordan.can_reset_two_factor
    assert not any(row.can_reset_two_factor for row in team.clinicians if row.email != THERAPIST)
    run(team, "ask", "reset_two_factor", "clinician", jordan.id)
    assert team.confirm_title == "Reset Jordan Alvarez's two-factor sign-in?"
    run(team, "confirm")

    assert team.notice.startswith("Jordan Alvarez's two-factor sign-in was reset")
    assert not next(row for row in team.clinicians if row.email == THERAPIST).can_reset_two_factor
    # Signed out everywhere; the password alone signs in again.
    assert redirect_target(run(page, "load")).startswith(routes.LOGIN)
    answers, _ = _password_step(THERAPIST, Browser(cookie=f"{routes.BROWSER_COOKIE}=b"))
    assert _goes_to_session(answers[-1])


def test_the_idle_deadline_goes_to_the_browser_only_when_it_moves(app_db, monkeypatch):
    clock = _Clock(monkeypatch)
    dashboard = browser_for(THERAPIST).state(DashboardState, path=routes.DASHBOARD)
    run(dashboard, "load")
    session = dashboard.parent_state

    dashboard._get_root_state()._clean()
    clock.advance(seconds=10)
    run(dashboard, "load")
    assert session.dirty_vars == set()

    clock.advance(minutes=1)
    run(dashboard, "load")
    assert "idle_deadline_ms" in session.dirty_vars
