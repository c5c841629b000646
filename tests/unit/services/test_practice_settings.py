"""Practice settings: admins change them, every value is checked, every change is audited."""

from __future__ import annotations

import pytest
from sqlmodel import select

from portal_app import models as m
from portal_app.services.auth import Viewer
from portal_app.services.practice_settings import update_practice_settings
from portal_app.services.setting_history import recent_changes
from portal_app.services.setting_inputs import EditOutcome, FieldProblem, Problem
from tests.unit.scheduling_setup import NOW, make_bookable

GOOD = {
    "time_zone": "America/New_York",
    "phone": "555-0100",
    "cancellation_window_hours": "24",
    "minimum_notice_hours": "24",
    "booking_horizon_days": "60",
    "slot_increment_minutes": "15",
    "buffer_minutes": "10",
    "reminder_hours_before": "24",
    "video_join_minutes_before": "10",
    "request_expiry_hours": "48",
    "staff_idle_minutes": "30",
    "online_cancellation": "on",
    "new_client_requests": "on",
    "telehealth_enabled": "on",
    "card_required_for_new_clients": "",
    "staff_two_factor_required": "",
}


def _admin(session, practice_id: int) -> Viewer:
    user = m.User(
        email="admin@clinic.test",
        password_hash="x",
        role=m.Role.ADMIN,
        display_name="Morgan",
        practice_id=practice_id,
    )
    session.add(user)
    session.commit()
    return Viewer(user_id=user.id, role=m.Role.ADMIN, display_name="Morgan", practice_id=practice_id)


def _save(session, viewer, **changes):
    return update_practice_settings(session=session, viewer=viewer, values=GOOD | changes, now=NOW)


def _practice(session, setup) -> m.Practice:
    session.expire_all()
    return session.get(m.Practice, setup.practice_id)


def test_an_admin_changes_a_setting_and_it_is_audited(db_session):
    setup = make_bookable(db_session)
    admin = _admin(db_session, setup.practice_id)

    result = _save(db_session, admin, slot_increment_minutes="30", card_required_for_new_clients="on")

    assert result.outcome == EditOutcome.SAVED
    practice = _practice(db_session, setup)
    assert practice.slot_increment_minutes == 30
    assert practice.card_required_for_new_clients is True
    changes = recent_changes(
        session=db_session, practice_id=setup.practice_id, subjects=[m.SettingSubject.PRACTICE]
    )
    assert {(c.field, c.from_value, c.to_value, c.actor) for c in changes} == {
        ("slot_increment_minutes", "15", "30", "Morgan"),
        ("card_required_for_new_clients", "off", "on", "Morgan"),
    }
    assert all(c.at == NOW for c in changes)


def test_sign_in_security_settings_are_saved_and_audited(db_session):
    setup = make_bookable(db_session)
    admin = _admin(db_session, setup.practice_id)
    practice = _practice(db_session, setup)
    assert (practice.staff_two_factor_required, practice.staff_idle_minutes) == (False, 30)

    result = _save(db_session, admin, staff_two_factor_required="on", staff_idle_minutes="15")

    assert result.outcome == EditOutcome.SAVED
    practice = _practice(db_session, setup)
    assert (practice.staff_two_factor_required, practice.staff_idle_minutes) == (True, 15)
    changes = recent_changes(
        session=db_session, practice_id=setup.practice_id, subjects=[m.SettingSubject.PRACTICE]
    )
    assert {(c.field, c.from_value, c.to_value) for c in changes} == {
        ("staff_two_factor_required", "off", "on"),
        ("staff_idle_minutes", "30", "15"),
    }


def test_saving_the_same_values_changes_and_audits_nothing(db_session):
    setup = make_bookable(db_session)
    admin = _admin(db_session, setup.practice_id)

    assert _save(db_session, admin).outcome == EditOutcome.UNCHANGED
    assert db_session.exec(select(m.SettingChange)).all() == []


def test_new_settings_default_to_open_requests_and_ten_minutes_for_join_video(db_session):
    setup = make_bookable(db_session)
    practice = _practice(db_session, setup)

    assert practice.new_client_requests is True
    assert practice.video_join_minutes_before == 10


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("slot_increment_minutes", "0", FieldProblem(Problem.NOT_AN_INCREMENT, (5, 10, 15, 20, 30, 60))),
        ("slot_increment_minutes", "1", FieldProblem(Problem.NOT_AN_INCREMENT, (5, 10, 15, 20, 30, 60))),
        ("slot_increment_minutes", "25", FieldProblem(Problem.NOT_AN_INCREMENT, (5, 10, 15, 20, 30, 60))),
        ("minimum_notice_hours", "-1", FieldProblem(Problem.OUT_OF_RANGE, (0, 720))),
        ("minimum_notice_hours", "twelve", FieldProblem(Problem.NOT_A_NUMBER)),
        ("minimum_notice_hours", "2.5", FieldProblem(Problem.NOT_A_NUMBER)),
        ("minimum_notice_hours", "", FieldProblem(Problem.NOT_A_NUMBER)),
        ("booking_horizon_days", "0", FieldProblem(Problem.OUT_OF_RANGE, (1, 730))),
        ("booking_horizon_days", "9" * 25, FieldProblem(Problem.OUT_OF_RANGE, (1, 730))),
        ("cancellation_window_hours", "337", FieldProblem(Problem.OUT_OF_RANGE, (0, 336))),
        ("buffer_minutes", "121", FieldProblem(Problem.OUT_OF_RANGE, (0, 120))),
        ("reminder_hours_before", "169", FieldProblem(Problem.OUT_OF_RANGE, (0, 168))),
        ("video_join_minutes_before", "61", FieldProblem(Problem.OUT_OF_RANGE, (0, 60))),
        ("staff_idle_minutes", "4", FieldProblem(Problem.OUT_OF_RANGE, (5, 720))),
        ("staff_idle_minutes", "721", FieldProblem(Problem.OUT_OF_RANGE, (5, 720))),
        ("staff_two_factor_required", "maybe", FieldProblem(Problem.INVALID)),
        ("time_zone", "Mars/Olympus_Mons", FieldProblem(Problem.UNKNOWN_ZONE)),
        ("time_zone", "localtime", FieldProblem(Problem.UNKNOWN_ZONE)),
        ("time_zone", "Factory", FieldProblem(Problem.UNKNOWN_ZONE)),
        ("time_zone", "posixrules", FieldProblem(Problem.UNKNOWN_ZONE)),
        ("time_zone", " ", FieldProblem(Problem.REQUIRED)),
        ("phone", "call us", FieldProblem(Problem.NOT_A_PHONE)),
        ("phone", "12", FieldProblem(Problem.NOT_A_PHONE)),
        ("online_cancellation", "yes please", FieldProblem(Problem.INVALID)),
    ],
)
def test_a_bad_value_is_refused_by_field_and_nothing_is_saved(db_session, field, value, problem):
    setup = make_bookable(db_session)
    admin = _admin(db_session, setup.practice_id)

    # A good change beside the bad one is not saved either.
    result = _save(db_session, admin, **({"buffer_minutes": "20"} | {field: value}))

    assert result.outcome == EditOutcome.INVALID
    assert result.problems[field] == problem
    assert _practice(db_session, setup).buffer_minutes == 10
    assert db_session.exec(select(m.SettingChange)).all() == []


def test_values_are_read_as_typed_with_spaces_around_them(db_session):
    setup = make_bookable(db_session)
    admin = _admin(db_session, setup.practice_id)

    result = _save(db_session, admin, minimum_notice_hours=" 48 ", phone="  (617) 555-0148 ext. 2 ")

    assert result.outcome == EditOutcome.SAVED
    practice = _practice(db_session, setup)
    assert (practice.minimum_notice_hours, practice.phone) == (48, "(617) 555-0148 ext. 2")


def test_a_clinician_cannot_change_the_practice_settings(db_session):
    setup = make_bookable(db_session)

    result = _save(db_session, setup.clinician_viewer(), slot_increment_minutes="60")

    assert result.outcome == EditOutcome.NOT_ALLOWED
    assert _practice(db_session, setup).slot_increment_minutes == 15


def test_an_admin_changes_only_their_own_practice(db_session):
    ours = make_bookable(db_session, name="ours")
    theirs = make_bookable(db_session, name="theirs")
    admin = _admin(db_session, ours.practice_id)

    _save(db_session, admin, buffer_minutes="30")

    assert _practice(db_session, ours).buffer_minutes == 30
    assert _practice(db_session, theirs).buffer_minutes == 10


def test_junk_instead_of_a_form_is_refused(db_session):
    setup = make_bookable(db_session)
    admin = _admin(db_session, setup.practice_id)

    result = update_practice_settings(session=db_session, viewer=admin, values=["x"], now=NOW)

    assert result.outcome == EditOutcome.INVALID
