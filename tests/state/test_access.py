"""Protected handlers refuse anyone without a live session of the right role, and change nothing."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from portal_app import database, routes
from portal_app.models import Appointment, Client, User, UserSession
from portal_app.services import auth
from portal_app.state import wording
from portal_app.state.appointments import ClientAppointmentsState
from portal_app.state.availability import AvailabilityState
from portal_app.state.client_calendar import ClientCalendarState
from portal_app.state.dashboard import DashboardState
from portal_app.state.session import SessionState
from portal_app.state.settings import SettingsState
from tests.state.conftest import (
    Browser,
    browser_for,
    redirect_target,
    refused_as_bad_input,
    run,
    signed_in_token,
)

ALEX = "alex.rivera@example.com"
SAM = "sam.taylor@example.com"
MAYA = "maya.chen@example.org"

CLIENT_HANDLERS = [
    (ClientAppointmentsState, "load", ()),
    (ClientAppointmentsState, "open_details", (1,)),
    (ClientAppointmentsState, "withdraw", (1, {"message": ""})),
    (ClientAppointmentsState, "cancel", (1, {"message": ""})),
    (ClientCalendarState, "load", ()),
    (ClientCalendarState, "change_week", (1,)),
]
STAFF_HANDLERS = [
    (DashboardState, "load", ()),
    (DashboardState, "accept", (1,)),
    (DashboardState, "ask_decline", (1,)),
    (DashboardState, "decline", ({"message": "no"},)),
    (DashboardState, "open_details", (1,)),
    (AvailabilityState, "load", ()),
    (SettingsState, "load", ()),
]


def _expired_cookie() -> str:
    long_ago = datetime.now(UTC) - auth.SESSION_LIFETIME - timedelta(minutes=1)
    return f"{routes.SESSION_COOKIE}={signed_in_token(ALEX, now=long_ago)}"


def _revoked_cookie() -> str:
    token = signed_in_token(ALEX)
    with database.open_session(for_writing=True) as session:
        auth.revoke_session(session=session, token=token, now=datetime.now(UTC))
    return f"{routes.SESSION_COOKIE}={token}"


def _public_vars(state) -> dict:
    return {name: getattr(state, name) for name in type(state).base_vars}


@pytest.mark.parametrize("cookie_kind", ["none", "forged", "expired", "revoked"])
@pytest.mark.parametrize(("state_cls", "handler", "args"), CLIENT_HANDLERS + STAFF_HANDLERS)
def test_handlers_refuse_without_a_live_session_and_change_nothing(
    app_db, cookie_kind, state_cls, handler, args
):
    cookie = {
        "none": lambda: "",
        "forged": lambda: f"{routes.SESSION_COOKIE}=not-a-real-token",
        "expired": _expired_cookie,
        "revoked": _revoked_cookie,
    }[cookie_kind]()
    state = Browser(cookie=cookie).state(state_cls, path="/somewhere")
    before = _public_vars(state)

    event = run(state, handler, *args)

    assert redirect_target(event).startswith(routes.LOGIN)
    after = _public_vars(state)
    assert after == before


@pytest.mark.parametrize(("state_cls", "handler", "args"), STAFF_HANDLERS)
def test_a_client_is_refused_by_staff_handlers(app_db, state_cls, handler, args):
    state = browser_for(ALEX).state(state_cls)

    event = run(state, handler, *args)

    assert redirect_target(event) == routes.APPOINTMENTS
    assert not state.loaded


@pytest.mark.parametrize(("state_cls", "handler", "args"), CLIENT_HANDLERS)
def test_a_clinician_is_refused_by_client_handlers(app_db, state_cls, handler, args):
    state = browser_for(MAYA).state(state_cls)

    event = run(state, handler, *args)

    assert redirect_target(event) == routes.DASHBOARD


def test_revocation_bites_on_the_very_next_event(app_db):
    browser = browser_for(ALEX)
    state = browser.state(ClientAppointmentsState)
    assert redirect_target(run(state, "load")) is None
    assert state.loaded

    with database.open_session(for_writing=True) as session:
        for row in session.exec(select(UserSession)):
            row.revoked_at = datetime.now(UTC)
            session.add(row)
        session.commit()

    assert redirect_target(run(state, "load")).startswith(routes.LOGIN)


def _appointment_ids_of(email: str) -> list[int]:
    with database.open_session() as session:
        client = session.exec(select(Client).where(Client.email == email)).one()
        return list(session.exec(select(Appointment.id).where(Appointment.client_id == client.id)))


def test_a_client_cannot_open_another_clients_appointment_by_id(app_db):
    state = browser_for(ALEX).state(ClientAppointmentsState)
    sams_appointment = _appointment_ids_of(SAM)[0]

    run(state, "open_details", sams_appointment)

    assert state.detail.appointment.id == 0
    assert state.detail_error == wording.NOT_FOUND


def test_a_client_opens_their_own_appointment(app_db):
    state = browser_for(ALEX).state(ClientAppointmentsState)
    own = _appointment_ids_of(ALEX)[0]

    run(state, "open_details", own)

    assert state.detail.appointment.id == own
    assert state.detail.appointment.clinician
    assert state.detail_error == ""


@pytest.mark.parametrize(
    "garbage",
    [None, "", "1", "1; DROP TABLE appointment", "9" * 25, "²", ["1"], {"id": 1}, -1, 3.5, True, 10**30],
)
def test_garbage_ids_get_a_clear_message(app_db, garbage):
    state = browser_for(ALEX).state(ClientAppointmentsState)

    event = run(state, "open_details", garbage)

    assert refused_as_bad_input(event)
    assert state.detail.appointment.id == 0
    assert state.detail_open is False


def test_only_the_own_clients_appointments_are_listed(app_db):
    state = browser_for(ALEX).state(ClientAppointmentsState)

    run(state, "load")

    shown = {row.id for section in (state.upcoming, state.requested, state.past) for row in section}
    assert shown == set(_appointment_ids_of(ALEX))


@pytest.mark.parametrize("step", [5, "1", None, [1], -2, 0, True])
def test_calendar_ignores_steps_other_than_one_week(app_db, step):
    state = browser_for(ALEX).state(ClientCalendarState)
    run(state, "load")
    shown = state.week_label

    run(state, "change_week", step)

    assert state.week_label == shown


def test_guard_turns_a_client_away_from_the_dashboard(app_db):
    state = browser_for(ALEX).state(SessionState, path=routes.DASHBOARD)

    assert redirect_target(run(state, "guard_page")) == routes.APPOINTMENTS
    assert state.page_allowed is False


def test_guard_closes_pages_it_does_not_know(app_db):
    state = browser_for(ALEX).state(SessionState, path="/not-a-page")

    run(state, "guard_page")

    assert state.page_allowed is False


def test_an_unknown_zone_from_the_browser_is_ignored(app_db):
    state = browser_for(ALEX).state(SessionState, path=routes.APPOINTMENTS)

    run(state, "set_browser_zone", "Mars/Olympus_Mons")
    run(state, "set_browser_zone", {"zone": "UTC"})

    assert state.browser_zone == ""


@pytest.mark.parametrize("zone", ["localtime", "Factory", "posixrules", "../../etc/localtime", "utc"])
def test_zone_files_that_are_not_places_are_ignored_and_not_remembered(app_db, zone):
    def stored_zone() -> str | None:
        with database.open_session() as session:
            return session.exec(select(User.time_zone).where(User.email == ALEX)).one()

    before = stored_zone()
    state = browser_for(ALEX).state(SessionState, path=routes.APPOINTMENTS)

    run(state, "set_browser_zone", zone)
    run(state, "guard_page")

    assert state.browser_zone == ""
    assert stored_zone() == before


@pytest.mark.parametrize("handler", ["withdraw", "cancel"])
def test_a_client_cannot_change_another_clients_appointment(app_db, handler):
    state = browser_for(ALEX).state(ClientAppointmentsState)
    sams = _appointment_ids_of(SAM)
    with database.open_session() as session:
        before = {i: session.get(Appointment, i).status for i in sams}

    for appointment_id in sams:
        run(state, handler, appointment_id, {"message": "mine now"})
        assert state.detail_error == wording.NOT_FOUND

    with database.open_session() as session:
        assert {i: session.get(Appointment, i).status for i in sams} == before


def test_a_clients_direct_accept_changes_nothing(app_db):
    with database.open_session() as session:
        pending = session.exec(select(Appointment).where(Appointment.status == "requested")).all()
    state = browser_for(ALEX).state(DashboardState)

    for appointment in pending:
        assert redirect_target(run(state, "accept", appointment.id)) == routes.APPOINTMENTS

    with database.open_session() as session:
        assert all(session.get(Appointment, a.id).status == "requested" for a in pending)
