"""The booking wizard's handlers, called directly as a hostile or stale browser could."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import func, select

from portal_app import database
from portal_app.domain.time_display import time_range_label
from portal_app.models import Appointment, Clinician, Practice, Service
from portal_app.state import wording
from portal_app.state.appointments import ClientAppointmentsState
from portal_app.state.booking import PROBLEM_ID, BookingWizardState
from tests.state.conftest import browser_for, redirect_target, refused_as_bad_input, run

ALEX = "alex.rivera@example.com"
MAYA_SLUG = "maya-chen"


def _appointment_count() -> int:
    with database.open_session() as session:
        return session.exec(select(func.count()).select_from(Appointment)).one()


def _ids() -> dict[str, int]:
    with database.open_session() as session:
        return {
            "maya": session.exec(select(Clinician.id).where(Clinician.slug == MAYA_SLUG)).one(),
            "individual": session.exec(select(Service.id).where(Service.name == "Individual Therapy")).one(),
        }


def _submit(state) -> list:
    async def drain():
        return [event async for event in type(state).submit.fn(state)]

    return asyncio.run(drain())


def _wizard_with_a_free_slot(app_db):
    """A wizard that reached the calendar honestly, with the first free time chosen and saved."""
    state = browser_for(ALEX).state(BookingWizardState, path="/appointments")
    run(state, "open_new")
    ids = _ids()
    run(state, "choose_provider", str(ids["maya"]))
    run(state, "choose_forum", "in_person")
    run(state, "choose_service", str(ids["individual"]))
    run(state, "change_week", 1)
    calendar = state.calendar
    day, row = next(
        (d, r) for d, states in enumerate(calendar.states) for r, cell in enumerate(states) if cell == "free"
    )
    run(state, "select_time", calendar.starts[day][row], calendar.lengths[day][row][0])
    assert state.selected_start
    run(state, "save")
    assert state.step == "review", state.error
    return state


def test_an_honest_wizard_submits_one_request(app_db):
    state = _wizard_with_a_free_slot(app_db)
    before = _appointment_count()

    _submit(state)
    _submit(state)  # a double click sends the same request again

    assert state.step == "done"
    assert _appointment_count() == before + 1


@pytest.mark.parametrize(
    "tamper",
    ["other_practice_clinician", "self_scheduling_off", "outside_availability", "wrong_length", "past_time"],
)
def test_a_tampered_wizard_is_refused_with_a_message_and_writes_nothing(app_db, tamper):
    state = _wizard_with_a_free_slot(app_db)
    before = _appointment_count()
    with database.open_session(for_writing=True) as session:
        if tamper == "other_practice_clinician":
            other = Practice(name="Elsewhere Clinic")
            session.add(other)
            session.flush()
            clinician = session.get(Clinician, int(state.provider_id))
            clinician.practice_id = other.id
        elif tamper == "self_scheduling_off":
            session.get(Clinician, int(state.provider_id)).self_scheduling = False
        session.commit()
    zone = ZoneInfo("America/New_York")
    if tamper == "outside_availability":
        night = datetime.now(zone).replace(hour=3, minute=0, second=0, microsecond=0) + timedelta(days=10)
        state.selected_start = int(night.timestamp())
    elif tamper == "wrong_length":
        state.selected_minutes = 37
    elif tamper == "past_time":
        state.selected_start = int((datetime.now(UTC) - timedelta(days=2)).timestamp())

    _submit(state)

    assert state.step == "choose"
    assert state.error
    assert _appointment_count() == before


GARBAGE = [None, "", "999999", "1; DROP TABLE appointment", ["1"], {"id": 1}, 3.5, True, -1]


@pytest.mark.parametrize("garbage", GARBAGE)
def test_garbage_choices_are_ignored(app_db, garbage):
    state = browser_for(ALEX).state(BookingWizardState, path="/appointments")
    run(state, "open_new")

    run(state, "choose_provider", garbage)
    run(state, "choose_location", garbage)
    run(state, "choose_forum", garbage)

    assert (state.provider_id, state.location_id, state.forum) == ("", "", "")


@pytest.mark.parametrize("garbage", [*GARBAGE, 0, 10**12])
def test_garbage_times_are_refused_with_a_message_and_keep_the_choice(app_db, garbage):
    state = _wizard_with_a_free_slot(app_db)
    chosen = state.selected_start

    event = run(state, "select_time", garbage, 50)

    assert refused_as_bad_input(event)
    assert state.selected_start == chosen


def test_a_length_the_cell_does_not_offer_is_refused(app_db):
    state = _wizard_with_a_free_slot(app_db)
    start = state.selected_start

    run(state, "select_time", start, 51)

    assert state.selected_start == 0


def test_submit_without_a_saved_time_does_nothing(app_db):
    state = browser_for(ALEX).state(BookingWizardState, path="/appointments")
    run(state, "open_new")
    before = _appointment_count()

    events = _submit(state)

    assert state.step == "choose"
    assert _appointment_count() == before
    assert all(redirect_target(event) is None for event in events if event is not None)


def test_staff_cannot_use_the_wizard(app_db):
    state = browser_for("maya.chen@example.org").state(BookingWizardState, path="/appointments")

    assert redirect_target(run(state, "open_new")) == "/dashboard"
    assert state.is_open is False


def test_with_self_scheduling_off_for_everyone_there_is_no_new_appointment_and_links_explain(app_db):
    with database.open_session(for_writing=True) as session:
        for clinician in session.exec(select(Clinician)):
            clinician.self_scheduling = False
            session.add(clinician)
        session.commit()
    appointments = browser_for(ALEX).state(ClientAppointmentsState, path="/appointments")
    wizard = browser_for(ALEX).state(BookingWizardState, path="/appointments")

    run(appointments, "load")
    run(wizard, "open_for_provider", MAYA_SLUG)

    assert appointments.can_request is False
    assert wizard.providers == []
    assert wizard.notice == wording.NO_PROVIDERS


def test_a_provider_with_self_scheduling_off_is_not_offered(app_db):
    with database.open_session(for_writing=True) as session:
        maya = session.exec(select(Clinician).where(Clinician.slug == MAYA_SLUG)).one()
        maya.self_scheduling = False
        session.add(maya)
        session.commit()
    wizard = browser_for(ALEX).state(BookingWizardState, path="/appointments")

    run(wizard, "open_for_provider", MAYA_SLUG)

    assert "Dr. Maya Chen, PsyD" not in [option.label for option in wizard.providers]
    assert wizard.provider_id == ""
    assert wizard.notice.startswith("That booking link is not open for online requests.")


def test_an_event_sends_back_only_what_it_changed(app_db):
    state = _wizard_with_a_free_slot(app_db)
    run(state, "back_to_calendar")
    session = state.parent_state
    state._get_root_state()._clean()

    run(state, "save")

    # Who is signed in was checked again, but is unchanged: not sent again; nor is the week.
    assert state.step == "review"
    assert session.dirty_vars == set()
    assert "calendar" not in state.dirty_vars
    assert "step" in state.dirty_vars

    state._get_root_state()._clean()
    run(state, "choose_service", state.service_id)  # the same service: the week is drawn again
    assert "calendar" in state.dirty_vars


def _cell_allowing(state, wanted: list[int]) -> int:
    """The start of the first free cell of the week shown that allows exactly ``wanted``."""
    calendar = state.calendar
    return next(
        calendar.starts[d][r]
        for d, states in enumerate(calendar.states)
        for r, cell in enumerate(states)
        if cell == "free" and calendar.lengths[d][r] == wanted
    )


def test_the_length_control_offers_the_services_lengths_and_the_chosen_time_takes_one(app_db):
    state = _wizard_with_a_free_slot(app_db)
    run(state, "back_to_calendar")
    start = _cell_allowing(state, [50, 80])
    run(state, "select_time", start, 50)

    assert [option.value for option in state.length_options] == ["50", "80"]
    assert state.preferred_minutes == 50
    run(state, "choose_length", "80")

    assert (state.selected_start, state.selected_minutes, state.preferred_minutes) == (start, 80, 80)
    assert state.error == ""
    zone = state.zone_label.split(" (")[0].replace(" ", "_")
    starts_at = datetime.fromtimestamp(start, UTC)
    assert state.selection_label.endswith(
        time_range_label(starts_at, starts_at + timedelta(minutes=80), zone)
    )
    run(state, "save")
    assert state.step == "review"
    assert state.summary.time == time_range_label(starts_at, starts_at + timedelta(minutes=80), zone)


def test_a_length_that_does_not_fit_the_chosen_time_is_said_and_the_time_kept(app_db):
    state = _wizard_with_a_free_slot(app_db)
    run(state, "back_to_calendar")
    start = _cell_allowing(state, [50])  # the last start of a day: 80 minutes would run past its end
    run(state, "select_time", start, 50)

    event = run(state, "choose_length", "80")

    assert "80 minutes do not fit" in state.error
    assert (state.selected_start, state.selected_minutes, state.preferred_minutes) == (start, 50, 50)
    assert PROBLEM_ID in str(event.args)  # the message is focused where it is shown


@pytest.mark.parametrize("garbage", ["37", "50; drop", None, 80, ["80"], True])
def test_a_length_not_offered_is_refused_and_changes_nothing(app_db, garbage):
    state = _wizard_with_a_free_slot(app_db)
    chosen = (state.selected_start, state.selected_minutes, state.preferred_minutes)

    assert refused_as_bad_input(run(state, "choose_length", garbage))
    assert (state.selected_start, state.selected_minutes, state.preferred_minutes) == chosen


def test_escape_asks_before_discarding_a_wizard_with_choices(app_db):
    state = browser_for(ALEX).state(BookingWizardState, path="/appointments")
    run(state, "open_new")
    run(state, "ask_to_close")  # nothing chosen yet: nothing to lose
    assert (state.is_open, state.confirming_close) == (False, False)

    state = _wizard_with_a_free_slot(app_db)
    run(state, "ask_to_close")
    assert (state.is_open, state.confirming_close) == (True, True)
    run(state, "answer_close", False)
    assert (state.is_open, state.confirming_close, state.step) == (True, False, "review")
    run(state, "ask_to_close")
    run(state, "answer_close", True)
    assert (state.is_open, state.confirming_close) == (False, False)
    assert refused_as_bad_input(run(state, "answer_close", "yes"))


def test_after_submit_escape_closes_at_once(app_db):
    state = _wizard_with_a_free_slot(app_db)
    _submit(state)
    assert state.step == "done"

    run(state, "ask_to_close")

    assert (state.is_open, state.confirming_close) == (False, False)


def test_a_refused_submit_goes_back_to_the_calendar_with_the_message_focused(app_db):
    state = _wizard_with_a_free_slot(app_db)
    state.selected_minutes = 37  # what the server refuses, as it refuses a time just taken

    events = _submit(state)

    assert state.step == "choose"
    assert state.error
    assert any(PROBLEM_ID in str(event.args) for event in events if event is not None)
