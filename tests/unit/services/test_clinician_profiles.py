"""Clinicians' profiles: their own for a clinician, anyone's for an admin; self-scheduling off hides them."""

from __future__ import annotations

import pytest
from sqlmodel import select

from portal_app import models as m
from portal_app.services.auth import Viewer
from portal_app.services.booking_catalog import booking_catalog
from portal_app.services.clinician_profiles import closed_booking_link, editable_profiles, save_profile
from portal_app.services.setting_history import recent_changes
from portal_app.services.setting_inputs import EditOutcome, FieldProblem, Problem
from tests.factories import make_clinician, make_user
from tests.unit.scheduling_setup import NOW, make_bookable

PROFILE = {
    "display_name": "Dr. Ana Reyes",
    "credentials": "PsyD",
    "self_scheduling": "on",
    "video_link": "https://meet.example.org/ana",
}


def _admin(session, practice_id: int) -> Viewer:
    user = make_user(
        session, email=f"admin{practice_id}@clinic.test", role=m.Role.ADMIN, practice_id=practice_id
    )
    return Viewer(user_id=user.id, role=m.Role.ADMIN, display_name="Admin", practice_id=practice_id)


def _save(session, viewer, clinician_id, **values):
    return save_profile(
        session=session, viewer=viewer, clinician_id=clinician_id, values=PROFILE | values, now=NOW
    )


def test_a_clinician_edits_their_own_profile_and_it_is_audited(db_session):
    setup = make_bookable(db_session)

    result = _save(db_session, setup.clinician_viewer(), setup.clinician_id)

    assert result.outcome == EditOutcome.SAVED
    db_session.expire_all()
    clinician = db_session.get(m.Clinician, setup.clinician_id)
    assert (clinician.display_name, clinician.credentials, clinician.video_link) == (
        "Dr. Ana Reyes",
        "PsyD",
        "https://meet.example.org/ana",
    )
    changes = recent_changes(
        session=db_session, practice_id=setup.practice_id, subjects=[m.SettingSubject.CLINICIAN]
    )
    assert {c.field for c in changes} == {"display_name", "credentials", "video_link"}
    assert all(c.subject_name == "Dr. Ana Reyes" for c in changes)


def test_a_clinician_cannot_edit_a_colleagues_profile(db_session):
    setup = make_bookable(db_session)
    practice = db_session.get(m.Practice, setup.practice_id)
    colleague = make_clinician(db_session, practice, slug="colleague", display_name="Colleague")

    result = _save(db_session, setup.clinician_viewer(), colleague.id, self_scheduling="")

    assert result.outcome == EditOutcome.NOT_ALLOWED
    db_session.expire_all()
    assert db_session.get(m.Clinician, colleague.id).self_scheduling is True
    assert db_session.exec(select(m.SettingChange)).all() == []


def test_an_admin_edits_any_profile_of_their_practice_only(db_session):
    ours = make_bookable(db_session, name="ours")
    theirs = make_bookable(db_session, name="theirs")
    admin = _admin(db_session, ours.practice_id)

    assert _save(db_session, admin, ours.clinician_id).outcome == EditOutcome.SAVED
    assert _save(db_session, admin, theirs.clinician_id).outcome == EditOutcome.NOT_FOUND
    assert _save(db_session, admin, 999_999).outcome == EditOutcome.NOT_FOUND


def test_a_client_cannot_edit_a_profile(db_session):
    setup = make_bookable(db_session)

    assert _save(db_session, setup.client_viewer(), setup.clinician_id).outcome == EditOutcome.NOT_ALLOWED


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("display_name", "", FieldProblem(Problem.REQUIRED)),
        ("credentials", "x" * 61, FieldProblem(Problem.TOO_LONG, (60,))),
        ("video_link", "http://meet.example.org/ana", FieldProblem(Problem.NOT_HTTPS)),
        ("video_link", "javascript:alert(1)", FieldProblem(Problem.NOT_HTTPS)),
        ("video_link", "https://localhost/room", FieldProblem(Problem.NOT_HTTPS)),
        ("video_link", "https://user:pw@meet.example.org/", FieldProblem(Problem.NOT_HTTPS)),
        ("video_link", "https://meet.example.org/a room", FieldProblem(Problem.NOT_HTTPS)),
    ],
)
def test_a_bad_profile_is_refused_by_field(db_session, field, value, problem):
    setup = make_bookable(db_session)

    result = _save(db_session, setup.clinician_viewer(), setup.clinician_id, **{field: value})

    assert result.problems == {field: problem}


def test_an_empty_video_link_is_allowed(db_session):
    setup = make_bookable(db_session)

    assert _save(db_session, setup.clinician_viewer(), setup.clinician_id, video_link="").ok


def test_self_scheduling_off_hides_the_clinician_and_closes_their_link(db_session):
    setup = make_bookable(db_session)
    clinician = db_session.get(m.Clinician, setup.clinician_id)
    slug = clinician.slug
    assert closed_booking_link(session=db_session, practice_id=setup.practice_id, slug=slug) is None

    _save(db_session, setup.clinician_viewer(), setup.clinician_id, self_scheduling="")

    assert (
        setup.clinician_id not in booking_catalog(session=db_session, practice_id=setup.practice_id).providers
    )
    closed = closed_booking_link(session=db_session, practice_id=setup.practice_id, slug=slug)
    assert (closed.clinician, closed.practice_phone) == ("Dr. Ana Reyes", "555-0100")
    assert closed_booking_link(session=db_session, practice_id=setup.practice_id + 1, slug=slug) is None


def test_a_clinician_is_offered_only_their_own_profile_and_an_admin_everyones(db_session):
    setup = make_bookable(db_session)
    practice = db_session.get(m.Practice, setup.practice_id)
    make_clinician(db_session, practice, slug="colleague", display_name="Colleague")

    own = editable_profiles(session=db_session, viewer=setup.clinician_viewer())
    everyone = editable_profiles(session=db_session, viewer=_admin(db_session, setup.practice_id))

    assert [c.id for c in own] == [setup.clinician_id]
    assert len(everyone) == 2
    assert editable_profiles(session=db_session, viewer=setup.client_viewer()) == []
