"""The Settings page's handlers, called as a browser could: forged, by the wrong person, with junk."""

from __future__ import annotations

from sqlmodel import select

from portal_app import database
from portal_app.models import Clinician, Practice, Service, SettingChange
from portal_app.services.setting_inputs import EditOutcome
from portal_app.state import wording
from portal_app.state.catalog_settings import CatalogSettingsState
from portal_app.state.direct_booking import DirectBookingState
from portal_app.state.profiles import ProfilesState
from portal_app.state.settings import SettingsState
from portal_app.state.settings_rows import EntryForm, PracticeForm, ProfileForm, ProfileRow
from tests.state.conftest import browser_for, redirect_target, refused_as_bad_input, run

ADMIN = "office@example.org"
MAYA = "maya.chen@example.org"
ALEX = "alex.rivera@example.com"


def _practice() -> Practice:
    with database.open_session() as session:
        return session.exec(select(Practice)).one()


def _clinician(slug: str) -> Clinician:
    with database.open_session() as session:
        return session.exec(select(Clinician).where(Clinician.slug == slug)).one()


def _audit_rows() -> int:
    with database.open_session() as session:
        return len(session.exec(select(SettingChange)).all())


def _practice_form(state: SettingsState, **changes) -> dict:
    shown = state.practice
    values = {name: getattr(shown, name) for name in PracticeForm.model_fields}
    return {
        name: ("on" if value is True else "" if value is False else value) for name, value in values.items()
    } | changes


def test_an_admin_sees_the_practice_form_and_a_clinician_reads_the_rules(app_db):
    admin = browser_for(ADMIN).state(SettingsState, path="/settings")
    clinician = browser_for(MAYA).state(SettingsState, path="/settings")

    run(admin, "load")
    run(clinician, "load")

    assert admin.is_admin is True
    assert admin.practice.slot_increment_minutes == "15"
    assert admin.practice.online_cancellation is True
    assert clinician.is_admin is False
    assert ("Slot increment", "15 minutes") in [(line.label, line.value) for line in clinician.summary]


def test_a_bad_value_is_explained_by_field_and_nothing_is_saved(app_db):
    state = browser_for(ADMIN).state(SettingsState, path="/settings")
    run(state, "load")

    run(state, "save_practice", _practice_form(state, slot_increment_minutes="0", reminder_hours_before="48"))

    assert state.errors == {"slot_increment_minutes": "Please pick 5, 10, 15, 20, 30 or 60 minutes."}
    assert state.notice == wording.EDIT_OUTCOMES[EditOutcome.INVALID]
    assert (_practice().slot_increment_minutes, _practice().reminder_hours_before) == (15, 24)
    assert _audit_rows() == 0


def test_a_good_value_is_saved_and_shown_in_the_history(app_db):
    state = browser_for(ADMIN).state(SettingsState, path="/settings")
    run(state, "load")

    run(state, "save_practice", _practice_form(state, reminder_hours_before="48"))

    assert state.errors == {}
    assert state.notice == "Saved."
    assert _practice().reminder_hours_before == 48
    assert [(row.what, row.from_value, row.to_value) for row in state.history] == [
        ("Reminder email", "24 hours before", "48 hours before")
    ]
    assert state.history[0].by.startswith("Morgan Lee · ")


def test_a_clinician_forging_a_practice_save_is_sent_home_and_nothing_changes(app_db):
    state = browser_for(MAYA).state(SettingsState, path="/settings")
    run(state, "load")

    event = run(state, "save_practice", _practice_form(state, slot_increment_minutes="60"))

    assert redirect_target(event) == "/dashboard"
    assert _practice().slot_increment_minutes == 15


def test_junk_instead_of_a_practice_form_is_refused_plainly(app_db):
    state = browser_for(ADMIN).state(SettingsState, path="/settings")

    for junk in ({"slot_increment_minutes": 15}, {"phone": ["555"]}, {"buffer_minutes": "9" * 3000}, "form"):
        assert refused_as_bad_input(run(state, "save_practice", junk)), junk
    assert run(state, "set_tab", "spaceship") is None
    assert state.tab == "practice"


def test_an_admin_adds_a_service_and_retires_it_after_confirming(app_db):
    state = browser_for(ADMIN).state(CatalogSettingsState, path="/settings")
    run(state, "load")
    run(state, "open_new", "service")

    run(
        state,
        "save_entry",
        {"name": "Art Therapy", "durations_minutes": "45", "existing_clients_allowed": "on"},
    )

    assert state.notice == "Added."
    assert state.editing_kind == ""
    added = next(row for row in state.services if row.name == "Art Therapy")
    assert (added.lengths, added.active) == ("45", True)
    run(state, "ask_retire", "service", added.id)
    assert state.retiring.name == "Art Therapy"
    run(state, "retire")
    assert next(row for row in state.services if row.id == added.id).active is False
    assert [row.to_value for row in state.service_history][:2] == ["Retired", "Added"]


def test_a_refused_service_keeps_the_dialog_open_with_messages(app_db):
    state = browser_for(ADMIN).state(CatalogSettingsState, path="/settings")
    run(state, "load")
    run(state, "open_new", "service")

    run(state, "save_entry", {"name": "Individual therapy", "durations_minutes": "0"})

    assert state.editing_kind == "service"
    assert set(state.errors) == {"durations_minutes"}
    run(state, "save_entry", {"name": "Individual therapy", "durations_minutes": "50"})
    assert set(state.errors) == {"name"}


def test_a_clinician_cannot_edit_the_catalog(app_db):
    state = browser_for(MAYA).state(CatalogSettingsState, path="/settings")
    run(state, "load")
    individual = next(row for row in state.services if row.name == "Individual Therapy")

    for handler, args in (
        ("open_new", ("service",)),
        ("open_edit", ("service", individual.id)),
        ("save_entry", (EntryForm(name="Renamed", durations_minutes="50").model_dump(),)),
        ("ask_retire", ("service", individual.id)),
        ("retire", ()),
        ("restore", ("service", individual.id)),
    ):
        assert redirect_target(run(state, handler, *args)) == "/dashboard", handler
    with database.open_session() as session:
        service = session.get(Service, individual.id)
        assert (service.name, service.active) == ("Individual Therapy", True)


def test_an_admin_cannot_open_or_retire_what_the_page_did_not_list(app_db):
    state = browser_for(ADMIN).state(CatalogSettingsState, path="/settings")
    run(state, "load")

    run(state, "open_edit", "service", 999_999)
    run(state, "ask_retire", "spaceship", 1)
    run(state, "retire")
    run(state, "save_entry", {"name": "Ghost", "durations_minutes": "50"})

    assert (state.editing_kind, state.retiring_kind) == ("", "")
    assert _audit_rows() == 0


def test_a_clinician_sees_and_edits_only_their_own_profile(app_db):
    state = browser_for(MAYA).state(ProfilesState, path="/settings")
    run(state, "load")
    maya, robin = _clinician("maya-chen"), _clinician("robin-park")

    assert [profile.id for profile in state.profiles] == [maya.id]
    assert state.profiles[0].booking_link.endswith("/book/maya-chen")
    run(state, "open_edit", robin.id)
    assert state.editing.id == 0

    run(state, "open_edit", maya.id)
    run(state, "save", {"display_name": "Dr. Maya Chen", "credentials": "PsyD, LP", "self_scheduling": "on"})
    assert _clinician("maya-chen").credentials == "PsyD, LP"
    assert state.notice == "Saved."


def test_a_clinician_forging_a_colleagues_profile_changes_nothing(app_db):
    state = browser_for(MAYA).state(ProfilesState, path="/settings")
    run(state, "load")
    robin = _clinician("robin-park")
    # As if the page had been tampered with to hold a colleague's profile.
    state.editing = ProfileRow(id=robin.id, display_name="Robin Park")

    run(state, "save", ProfileForm(display_name="Hijacked", self_scheduling="").model_dump())

    assert state.notice == wording.EDIT_OUTCOMES[EditOutcome.NOT_ALLOWED]
    after = _clinician("robin-park")
    assert (after.display_name, after.self_scheduling) == ("Robin Park", True)


def test_a_refused_video_link_is_explained_beside_it(app_db):
    state = browser_for(MAYA).state(ProfilesState, path="/settings")
    run(state, "load")
    run(state, "open_edit", state.profiles[0].id)

    run(state, "save", {"display_name": "Dr. Maya Chen", "video_link": "http://insecure.example.org"})

    assert state.errors == {"video_link": "Please enter a secure web address, starting with https://."}
    assert state.editing.id == state.profiles[0].id


def test_copy_confirms_only_a_listed_profile(app_db):
    state = browser_for(MAYA).state(ProfilesState, path="/settings")
    run(state, "load")

    run(state, "mark_copied", _clinician("robin-park").id)
    assert state.copied == 0
    run(state, "mark_copied", state.profiles[0].id)
    assert state.copied == state.profiles[0].id


def test_a_direct_link_of_a_clinician_who_does_not_self_schedule_explains_instead_of_booking(app_db):
    maya_state = browser_for(MAYA).state(ProfilesState, path="/settings")
    run(maya_state, "load")
    run(maya_state, "open_edit", maya_state.profiles[0].id)
    run(maya_state, "save", {"display_name": "Dr. Maya Chen", "credentials": "PsyD", "self_scheduling": ""})
    link = browser_for(ALEX).state(DirectBookingState, path="/book/maya-chen")
    open_link = browser_for(ALEX).state(DirectBookingState, path="/book/robin-park")

    assert run(link, "follow_link") is None
    assert link.closed_title == "Dr. Maya Chen is not taking online requests at the moment."
    assert "(617) 555-0148" in link.closed_detail
    assert redirect_target(run(open_link, "follow_link")) == "/appointments?book=robin-park"
