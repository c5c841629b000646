"""Services and locations: admins add, change and retire them; retired ones are not offered."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from portal_app import models as m
from portal_app.services import availability
from portal_app.services.appointment_requests import request_appointment
from portal_app.services.auth import Viewer
from portal_app.services.availability import SlotRequest
from portal_app.services.booking_catalog import booking_catalog
from portal_app.services.catalog_editing import catalog_listing, save_catalog_entry, set_catalog_entry_active
from portal_app.services.outcome import Outcome
from portal_app.services.setting_history import recent_changes
from portal_app.services.setting_inputs import EditOutcome, FieldProblem, Problem
from tests.factories import make_exception, make_location, make_user
from tests.unit.scheduling_setup import NOW, at, make_bookable

SERVICE = m.SettingSubject.SERVICE
LOCATION = m.SettingSubject.LOCATION
NEW_SERVICE = {
    "name": "Art Therapy",
    "durations_minutes": "80, 50",
    "description": "Creative work.",
    "existing_clients_allowed": "on",
    "telehealth_allowed": "",
}


def _admin(session, practice_id: int) -> Viewer:
    user = make_user(
        session, email=f"admin{practice_id}@clinic.test", role=m.Role.ADMIN, practice_id=practice_id
    )
    return Viewer(user_id=user.id, role=m.Role.ADMIN, display_name=user.display_name, practice_id=practice_id)


def _save(session, viewer, kind=SERVICE, entry_id=None, **values):
    base = NEW_SERVICE if kind == SERVICE else {"name": "Harbor Office", "address": "1 Harbor Way"}
    return save_catalog_entry(
        session=session, viewer=viewer, kind=kind, entry_id=entry_id, values=base | values, now=NOW
    )


def _active(session, viewer, kind, entry_id, active):
    return set_catalog_entry_active(
        session=session, viewer=viewer, kind=kind, entry_id=entry_id, active=active, now=NOW
    )


def test_an_admin_adds_a_service_with_its_lengths_in_order_and_it_is_audited(db_session):
    setup = make_bookable(db_session)
    admin = _admin(db_session, setup.practice_id)

    result = _save(db_session, admin)

    assert result.outcome == EditOutcome.ADDED
    service = db_session.get(m.Service, result.record_id)
    assert (service.name, service.durations_minutes, service.description) == (
        "Art Therapy",
        [50, 80],
        "Creative work.",
    )
    assert (service.existing_clients_allowed, service.new_clients_allowed, service.telehealth_allowed) == (
        True,
        False,
        False,
    )
    assert service.active is True
    changes = recent_changes(session=db_session, practice_id=setup.practice_id, subjects=[SERVICE])
    assert [(c.subject_name, c.field, c.to_value) for c in changes] == [("Art Therapy", "added", "yes")]


def test_changing_a_service_audits_each_changed_field(db_session):
    setup = make_bookable(db_session)
    admin = _admin(db_session, setup.practice_id)
    added = _save(db_session, admin)

    result = _save(
        db_session, admin, entry_id=added.record_id, durations_minutes="50", telehealth_allowed="on"
    )

    assert result.outcome == EditOutcome.SAVED
    changes = recent_changes(session=db_session, practice_id=setup.practice_id, subjects=[SERVICE])
    assert {(c.field, c.from_value, c.to_value) for c in changes if c.field != "added"} == {
        ("durations_minutes", "50, 80", "50"),
        ("telehealth_allowed", "off", "on"),
    }
    assert _save(
        db_session, admin, entry_id=added.record_id, durations_minutes="50", telehealth_allowed="on"
    ).outcome == (EditOutcome.UNCHANGED)


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("name", "  ", FieldProblem(Problem.REQUIRED)),
        ("name", "x" * 121, FieldProblem(Problem.TOO_LONG, (120,))),
        ("durations_minutes", "", FieldProblem(Problem.BAD_LENGTHS, (5, 480, 4))),
        ("durations_minutes", "0", FieldProblem(Problem.BAD_LENGTHS, (5, 480, 4))),
        ("durations_minutes", "481", FieldProblem(Problem.BAD_LENGTHS, (5, 480, 4))),
        ("durations_minutes", "52", FieldProblem(Problem.BAD_LENGTHS, (5, 480, 4))),
        ("durations_minutes", "fifty", FieldProblem(Problem.BAD_LENGTHS, (5, 480, 4))),
        ("durations_minutes", "-50", FieldProblem(Problem.BAD_LENGTHS, (5, 480, 4))),
        ("durations_minutes", "25, 50, 75, 100, 125", FieldProblem(Problem.BAD_LENGTHS, (5, 480, 4))),
        ("description", "x" * 1001, FieldProblem(Problem.TOO_LONG, (1000,))),
        ("new_clients_allowed", "maybe", FieldProblem(Problem.INVALID)),
    ],
)
def test_a_bad_service_is_refused_by_field_and_nothing_is_added(db_session, field, value, problem):
    setup = make_bookable(db_session)
    admin = _admin(db_session, setup.practice_id)

    result = _save(db_session, admin, **{field: value})

    assert result.outcome == EditOutcome.INVALID
    assert result.problems == {field: problem}
    assert db_session.exec(select(m.Service).where(m.Service.name == "Art Therapy")).first() is None
    assert db_session.exec(select(m.SettingChange)).all() == []


def test_names_are_unique_in_a_practice_ignoring_case(db_session):
    setup = make_bookable(db_session)
    admin = _admin(db_session, setup.practice_id)

    result = _save(db_session, admin, name="individual THERAPY")

    assert result.problems == {"name": FieldProblem(Problem.NAME_TAKEN)}
    assert _save(db_session, admin, kind=LOCATION, name="main office").problems == {
        "name": FieldProblem(Problem.NAME_TAKEN)
    }


def test_an_admin_adds_and_changes_a_location(db_session):
    setup = make_bookable(db_session)
    admin = _admin(db_session, setup.practice_id)

    added = _save(db_session, admin, kind=LOCATION)
    changed = _save(db_session, admin, kind=LOCATION, entry_id=added.record_id, address=" 2 Harbor Way ")

    assert (added.outcome, changed.outcome) == (EditOutcome.ADDED, EditOutcome.SAVED)
    assert db_session.get(m.Location, added.record_id).address == "2 Harbor Way"


def test_clinicians_and_other_practices_admins_cannot_edit_the_catalog(db_session):
    ours = make_bookable(db_session, name="ours")
    theirs = make_bookable(db_session, name="theirs")
    their_admin = _admin(db_session, theirs.practice_id)

    assert _save(db_session, ours.clinician_viewer()).outcome == EditOutcome.NOT_ALLOWED
    assert (
        _save(db_session, their_admin, entry_id=ours.service_id, name="Hijacked").outcome
        == EditOutcome.NOT_FOUND
    )
    assert _active(db_session, their_admin, SERVICE, ours.service_id, False).outcome == EditOutcome.NOT_FOUND
    assert _active(db_session, ours.clinician_viewer(), LOCATION, ours.location_id, False).outcome == (
        EditOutcome.NOT_ALLOWED
    )
    db_session.expire_all()
    service = db_session.get(m.Service, ours.service_id)
    assert (service.name, service.active) == ("Individual Therapy", True)
    assert db_session.get(m.Location, ours.location_id).active is True


def _slot_request(setup) -> SlotRequest:
    return SlotRequest(
        clinician_id=setup.clinician_id,
        service_id=setup.service_id,
        location_id=setup.location_id,
        forum=m.Forum.IN_PERSON,
        is_new_client=False,
    )


def test_a_retired_service_is_no_longer_offered_or_bookable_but_keeps_its_appointments(db_session):
    setup = make_bookable(db_session)
    admin = _admin(db_session, setup.practice_id)
    booked = request_appointment(
        session=db_session,
        viewer=setup.client_viewer(),
        request_key="before-retiring",
        now=NOW,
        **setup.request_args(at(2, NOW.time().replace(hour=15))),
    )

    result = _active(db_session, admin, SERVICE, setup.service_id, False)

    assert result.outcome == EditOutcome.RETIRED
    assert setup.service_id not in booking_catalog(session=db_session, practice_id=setup.practice_id).services
    choices = availability.wizard_choices(
        session=db_session, clinician_id=setup.clinician_id, is_new_client=False, now=NOW
    )
    assert choices.locations == ()
    with pytest.raises(LookupError):
        availability.bookable_slots(
            session=db_session,
            slot_request=_slot_request(setup),
            window_start=NOW,
            window_end=NOW + timedelta(days=7),
            now=NOW,
        )
    refused = request_appointment(
        session=db_session,
        viewer=setup.client_viewer(),
        request_key="after-retiring",
        now=NOW,
        **setup.request_args(at(3, NOW.time().replace(hour=15))),
    )
    assert refused.outcome == Outcome.BAD_REQUEST
    appointment = db_session.get(m.Appointment, booked.appointment_id)
    assert appointment.service_id == setup.service_id
    assert [s.name for s in catalog_listing(session=db_session, practice_id=setup.practice_id).services] == [
        "Individual Therapy"
    ]
    changes = recent_changes(session=db_session, practice_id=setup.practice_id, subjects=[SERVICE])
    assert [(c.field, c.from_value, c.to_value) for c in changes] == [("active", "on", "off")]


def test_a_restored_service_is_offered_again(db_session):
    setup = make_bookable(db_session)
    admin = _admin(db_session, setup.practice_id)
    _active(db_session, admin, SERVICE, setup.service_id, False)

    assert _active(db_session, admin, SERVICE, setup.service_id, True).outcome == EditOutcome.RESTORED
    assert _active(db_session, admin, SERVICE, setup.service_id, True).outcome == EditOutcome.UNCHANGED
    assert setup.service_id in booking_catalog(session=db_session, practice_id=setup.practice_id).services


def test_time_at_a_retired_location_is_not_offered(db_session):
    setup = make_bookable(db_session)
    admin = _admin(db_session, setup.practice_id)
    before = availability.bookable_slots(
        session=db_session,
        slot_request=_slot_request(setup),
        window_start=NOW,
        window_end=NOW + timedelta(days=7),
        now=NOW,
    )

    _active(db_session, admin, LOCATION, setup.location_id, False)

    assert before
    assert (
        setup.location_id not in booking_catalog(session=db_session, practice_id=setup.practice_id).locations
    )
    choices = availability.wizard_choices(
        session=db_session, clinician_id=setup.clinician_id, is_new_client=False, now=NOW
    )
    assert choices.locations == ()
    after = availability.bookable_slots(
        session=db_session,
        slot_request=_slot_request(setup),
        window_start=NOW,
        window_end=NOW + timedelta(days=7),
        now=NOW,
    )
    assert after == []


def test_extra_hours_at_a_retired_location_are_not_offered_but_time_off_still_counts(db_session):
    setup = make_bookable(db_session)
    admin = _admin(db_session, setup.practice_id)
    practice = db_session.get(m.Practice, setup.practice_id)
    clinician = db_session.get(m.Clinician, setup.clinician_id)
    service = db_session.get(m.Service, setup.service_id)
    annex = make_location(db_session, practice, "Annex")
    saturday = at(5, NOW.time().replace(hour=10))
    make_exception(
        db_session,
        clinician,
        kind=m.ExceptionKind.EXTRA_HOURS,
        starts_at=saturday,
        ends_at=saturday + timedelta(hours=3),
        location=annex,
        services=[service],
    )
    annex_request = SlotRequest(
        clinician_id=setup.clinician_id,
        service_id=setup.service_id,
        location_id=annex.id,
        forum=m.Forum.IN_PERSON,
        is_new_client=False,
    )

    def annex_slots():
        return availability.bookable_slots(
            session=db_session,
            slot_request=annex_request,
            window_start=NOW,
            window_end=NOW + timedelta(days=7),
            now=NOW,
        )

    assert saturday in annex_slots()
    _active(db_session, admin, LOCATION, annex.id, False)
    assert annex_slots() == []
