"""The availability editor's service: validation, ownership, affected sessions, keep or release."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from portal_app import models as m
from portal_app.domain.week_grid import CellState
from portal_app.migrations import upgrade_to_head
from portal_app.services.auth import Viewer
from portal_app.services.availability_editing import (
    AvailabilityChange,
    ChangeKind,
    Decision,
    EditOutcome,
    apply_change,
    availability_editor,
    preview_week,
)
from portal_app.services.availability_forms import FieldProblem
from tests.factories import (
    make_appointment,
    make_block,
    make_client,
    make_clinician,
    make_location,
    make_practice,
    make_service,
    make_user,
)

ZONE = ZoneInfo("America/New_York")
# Monday 2 March 2026, 09:00 in New York; clocks go forward on Sunday 8 March.
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=ZONE).astimezone(UTC)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZONE).astimezone(UTC)


@pytest.fixture
def world(db_session):
    practice = make_practice(db_session, name="Oak Street Counseling")
    office = make_location(db_session, practice, "Downtown Office")
    therapy = make_service(db_session, practice, name="Individual Therapy", durations_minutes=[50])
    ana = make_clinician(db_session, practice, slug="ana", display_name="Ana")
    ben = make_clinician(db_session, practice, slug="ben", display_name="Ben")
    block = make_block(db_session, ana, office, [therapy], weekdays=[0, 1, 2, 3, 4])
    ben_block = make_block(db_session, ben, office, [therapy])
    client = make_client(db_session, practice, email="client@example.com")
    admin = make_user(db_session, email="office@example.com", role=m.Role.ADMIN, practice_id=practice.id)
    other = make_practice(db_session, name="Elsewhere")
    elsewhere = make_location(db_session, other, "Far Office")
    foreign_service = make_service(db_session, other, name="Foreign")
    return {
        "practice": practice,
        "office": office,
        "therapy": therapy,
        "ana": ana,
        "ben": ben,
        "block": block,
        "ben_block": ben_block,
        "client": client,
        "admin": admin,
        "elsewhere": elsewhere,
        "foreign_service": foreign_service,
    }


def clinician_viewer(clinician: m.Clinician) -> Viewer:
    return Viewer(
        user_id=clinician.user_id,
        role=m.Role.CLINICIAN,
        display_name=clinician.display_name,
        practice_id=clinician.practice_id,
        practice_zone="America/New_York",
        clinician_id=clinician.id,
    )


def admin_viewer(world) -> Viewer:
    return Viewer(
        user_id=world["admin"].id,
        role=m.Role.ADMIN,
        display_name="Office",
        practice_id=world["practice"].id,
        practice_zone="America/New_York",
    )


def block_draft(world, **overrides) -> dict:
    values = {
        "weekdays": [0, 1, 2, 3, 4],
        "start": "09:00",
        "end": "17:00",
        "every_n_weeks": "1",
        "valid_from": "2026-01-01",
        "valid_until": "",
        "location_id": str(world["office"].id),
        "in_person": True,
        "telehealth": False,
        "service_ids": [str(world["therapy"].id)],
    }
    return values | overrides


def apply(session, viewer, clinician, change, decisions=None):
    return apply_change(
        session=session,
        viewer=viewer,
        clinician_id=clinician.id,
        change=change,
        decisions=decisions or {},
        now=NOW,
    )


def blocks_of(session, clinician) -> list[m.AvailabilityBlock]:
    session.expire_all()
    return list(
        session.exec(select(m.AvailabilityBlock).where(m.AvailabilityBlock.clinician_id == clinician.id))
    )


# Validation -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "problem"),
    [
        ({"end": "09:00"}, "end", FieldProblem.END_NOT_AFTER_START),
        ({"end": "08:00"}, "end", FieldProblem.END_NOT_AFTER_START),
        ({"weekdays": []}, "weekdays", FieldProblem.NO_WEEKDAY),
        ({"weekdays": [7]}, "weekdays", FieldProblem.NO_WEEKDAY),
        ({"in_person": False, "telehealth": False}, "forums", FieldProblem.NO_FORUM),
        ({"service_ids": []}, "service_ids", FieldProblem.NO_SERVICE),
        ({"every_n_weeks": "0"}, "every_n_weeks", FieldProblem.EVERY_N_WEEKS_RANGE),
        ({"every_n_weeks": "13"}, "every_n_weeks", FieldProblem.EVERY_N_WEEKS_RANGE),
        ({"every_n_weeks": "two"}, "every_n_weeks", FieldProblem.EVERY_N_WEEKS_RANGE),
        ({"valid_until": "2025-12-31"}, "valid_until", FieldProblem.UNTIL_BEFORE_FROM),
        ({"valid_from": "not a date"}, "valid_from", FieldProblem.BAD_DATE),
        ({"valid_from": ""}, "valid_from", FieldProblem.MISSING),
        ({"start": "25:00"}, "start", FieldProblem.BAD_TIME),
        ({"start": ""}, "start", FieldProblem.MISSING),
    ],
)
def test_a_block_that_breaks_a_rule_is_refused_with_the_field_and_nothing_is_saved(
    db_session, world, overrides, field, problem
):
    ana = world["ana"]
    result = apply(
        db_session,
        clinician_viewer(ana),
        ana,
        AvailabilityChange(ChangeKind.SAVE_BLOCK, draft=block_draft(world, **overrides)),
    )
    assert result.outcome == EditOutcome.INVALID
    assert result.problems[field] == problem
    assert len(blocks_of(db_session, ana)) == 1


def test_a_location_or_service_of_another_practice_is_refused(db_session, world):
    ana = world["ana"]
    draft = block_draft(
        world, location_id=str(world["elsewhere"].id), service_ids=[str(world["foreign_service"].id)]
    )
    result = apply(
        db_session, clinician_viewer(ana), ana, AvailabilityChange(ChangeKind.SAVE_BLOCK, draft=draft)
    )
    assert result.problems == {
        "location_id": FieldProblem.UNKNOWN_LOCATION,
        "service_ids": FieldProblem.UNKNOWN_SERVICE,
    }
    assert len(blocks_of(db_session, ana)) == 1


def test_a_retired_service_or_location_is_not_offered_but_still_named_where_it_was_saved(db_session, world):
    ana, therapy, office = world["ana"], world["therapy"], world["office"]
    for row in (therapy, office):
        row.active = False
        db_session.add(row)
    db_session.commit()

    data = availability_editor(session=db_session, viewer=clinician_viewer(ana), clinician_id=None, now=NOW)
    result = apply(
        db_session,
        clinician_viewer(ana),
        ana,
        AvailabilityChange(ChangeKind.SAVE_BLOCK, draft=block_draft(world)),
    )

    assert therapy.id not in data.services
    assert office.id not in data.locations
    assert "Individual Therapy" in data.blocks[0].services
    assert result.problems == {
        "location_id": FieldProblem.UNKNOWN_LOCATION,
        "service_ids": FieldProblem.UNKNOWN_SERVICE,
    }


def test_a_valid_block_is_added_and_shows_in_the_editor(db_session, world):
    ana = world["ana"]
    draft = block_draft(world, weekdays=[5], start="10:00", end="14:00", every_n_weeks="2")
    result = apply(
        db_session, clinician_viewer(ana), ana, AvailabilityChange(ChangeKind.SAVE_BLOCK, draft=draft)
    )
    assert result.outcome == EditOutcome.SAVED
    saturday = next(b for b in blocks_of(db_session, ana) if b.weekdays == [5])
    assert (saturday.start_local, saturday.end_local, saturday.every_n_weeks) == (time(10), time(14), 2)

    data = availability_editor(session=db_session, viewer=clinician_viewer(ana), clinician_id=None, now=NOW)
    assert [(b.days, b.hours, b.repeats) for b in data.blocks][-1] == (
        "Sat",
        "10:00 AM – 2:00 PM",
        "Every 2 weeks",
    )
    assert data.zone == "America/New_York"


def test_time_off_and_extra_hours_are_validated(db_session, world):
    ana, viewer = world["ana"], clinician_viewer(world["ana"])
    backwards = AvailabilityChange(
        ChangeKind.ADD_TIME_OFF,
        draft={"whole_days": True, "first_day": "2026-03-10", "last_day": "2026-03-09"},
    )
    assert apply(db_session, viewer, ana, backwards).problems == {"last_day": FieldProblem.LAST_BEFORE_FIRST}
    past = AvailabilityChange(ChangeKind.ADD_TIME_OFF, draft={"whole_days": True, "first_day": "2026-02-01"})
    assert apply(db_session, viewer, ana, past).problems == {"last_day": FieldProblem.ALREADY_PAST}
    part = AvailabilityChange(
        ChangeKind.ADD_TIME_OFF, draft={"whole_days": False, "first_day": "2026-03-10", "start": "13:00"}
    )
    assert apply(db_session, viewer, ana, part).problems == {"end": FieldProblem.MISSING}
    extra = AvailabilityChange(
        ChangeKind.ADD_EXTRA_HOURS,
        draft={"day": "2026-03-14", "start": "12:00", "end": "11:00", "location_id": str(world["office"].id)},
    )
    assert apply(db_session, viewer, ana, extra).problems == {
        "end": FieldProblem.END_NOT_AFTER_START,
        "forums": FieldProblem.NO_FORUM,
        "service_ids": FieldProblem.NO_SERVICE,
    }


def test_the_database_refuses_what_the_editor_would_refuse(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'checks.db'}")
    upgrade_to_head(engine)
    with Session(engine) as session:
        practice = make_practice(session)
        clinician = make_clinician(session, practice, slug="ana")
        office = make_location(session, practice)
        service = make_service(session, practice)
        for bad in (
            {"end_local": time(9)},
            {"every_n_weeks": 0},
            {"valid_from": date(2026, 3, 2), "valid_until": date(2026, 3, 1)},
        ):
            with pytest.raises(sa.exc.IntegrityError):
                make_block(session, clinician, office, [service], **bad)
            session.rollback()
        session.add(
            m.AvailabilityException(
                clinician_id=clinician.id, kind=m.ExceptionKind.TIME_OFF, starts_at=NOW, ends_at=NOW
            )
        )
        with pytest.raises(sa.exc.IntegrityError):
            session.commit()
    engine.dispose()


# Ownership ------------------------------------------------------------------------------------


def test_a_clinician_cannot_touch_a_colleagues_block_by_its_id(db_session, world):
    ana, ben, ben_block = world["ana"], world["ben"], world["ben_block"]
    viewer = clinician_viewer(ana)
    forged = [
        (ana, AvailabilityChange(ChangeKind.DELETE_BLOCK, target_id=ben_block.id)),
        (ana, AvailabilityChange(ChangeKind.SAVE_BLOCK, target_id=ben_block.id, draft=block_draft(world))),
        (
            ana,
            AvailabilityChange(
                ChangeKind.END_BLOCK, target_id=ben_block.id, draft={"valid_until": "2026-03-03"}
            ),
        ),
        (ben, AvailabilityChange(ChangeKind.DELETE_BLOCK, target_id=ben_block.id)),
        (ben, AvailabilityChange(ChangeKind.SAVE_BLOCK, draft=block_draft(world))),
    ]
    for clinician, change in forged:
        assert apply(db_session, viewer, clinician, change).outcome == EditOutcome.NOT_FOUND
    assert [b.id for b in blocks_of(db_session, ben)] == [ben_block.id]
    assert blocks_of(db_session, ben)[0].valid_until is None
    assert availability_editor(session=db_session, viewer=viewer, clinician_id=ben.id, now=NOW) is None


def test_an_admin_edits_any_clinician_of_the_practice(db_session, world):
    ben, ben_block = world["ben"], world["ben_block"]
    viewer = admin_viewer(world)
    data = availability_editor(session=db_session, viewer=viewer, clinician_id=None, now=NOW)
    assert list(data.clinicians.values()) == ["Ana", "Ben"]
    change = AvailabilityChange(
        ChangeKind.END_BLOCK, target_id=ben_block.id, draft={"valid_until": "2026-06-30"}
    )
    assert apply(db_session, viewer, ben, change).outcome == EditOutcome.SAVED
    assert blocks_of(db_session, ben)[0].valid_until == date(2026, 6, 30)


def test_an_admin_of_another_practice_cannot(db_session, world):
    stranger = Viewer(user_id=999, role=m.Role.ADMIN, display_name="X", practice_id=world["practice"].id + 1)
    change = AvailabilityChange(ChangeKind.DELETE_BLOCK, target_id=world["block"].id)
    assert apply(db_session, stranger, world["ana"], change).outcome == EditOutcome.NOT_FOUND
    assert len(blocks_of(db_session, world["ana"])) == 1


def test_a_client_cannot_edit(db_session, world):
    client = Viewer(
        user_id=1, role=m.Role.CLIENT, display_name="C", practice_id=world["practice"].id, client_id=1
    )
    change = AvailabilityChange(ChangeKind.DELETE_BLOCK, target_id=world["block"].id)
    assert apply(db_session, client, world["ana"], change).outcome == EditOutcome.NOT_FOUND
    assert availability_editor(session=db_session, viewer=client, clinician_id=None, now=NOW) is None


# Affected sessions ----------------------------------------------------------------------------


def booked(session, world, starts_at, status=m.AppointmentStatus.REQUESTED, clinician="ana"):
    return make_appointment(
        session,
        clinician=world[clinician],
        client=world["client"],
        service=world["therapy"],
        location=world["office"],
        starts_at=starts_at,
        status=status,
    )


def test_time_off_over_sessions_lists_them_and_saves_nothing_until_decided(db_session, world):
    ana, viewer = world["ana"], clinician_viewer(world["ana"])
    request = booked(db_session, world, local(date(2026, 3, 4), 10))
    confirmed = booked(db_session, world, local(date(2026, 3, 4), 14), m.AppointmentStatus.CONFIRMED)
    booked(db_session, world, local(date(2026, 3, 5), 10))  # another day: untouched
    time_off = AvailabilityChange(
        ChangeKind.ADD_TIME_OFF, draft={"whole_days": True, "first_day": "2026-03-04"}
    )

    result = apply(db_session, viewer, ana, time_off)

    assert result.outcome == EditOutcome.NEEDS_DECISIONS
    assert [(a.appointment_id, a.status_label, a.time) for a in result.affected] == [
        (request.id, "Unconfirmed", "10:00 AM – 10:50 AM EST"),
        (confirmed.id, "Confirmed", "2:00 PM – 2:50 PM EST"),
    ]
    assert result.affected[0].client == "Client"
    assert db_session.exec(select(m.AvailabilityException)).all() == []


def test_keeping_saves_the_change_and_leaves_the_sessions_alone(db_session, world):
    ana, viewer = world["ana"], clinician_viewer(world["ana"])
    request = booked(db_session, world, local(date(2026, 3, 4), 10))
    time_off = AvailabilityChange(
        ChangeKind.ADD_TIME_OFF, draft={"whole_days": True, "first_day": "2026-03-04"}
    )

    result = apply(db_session, viewer, ana, time_off, {request.id: Decision(release=False)})

    assert (result.outcome, result.released) == (EditOutcome.SAVED, 0)
    db_session.expire_all()
    assert db_session.get(m.Appointment, request.id).status == m.AppointmentStatus.REQUESTED
    assert len(db_session.exec(select(m.AvailabilityException)).all()) == 1
    assert db_session.exec(select(m.EmailOutbox)).all() == []


def test_releasing_declines_requests_and_cancels_appointments_with_email_and_audit(db_session, world):
    ana, viewer = world["ana"], clinician_viewer(world["ana"])
    request = booked(db_session, world, local(date(2026, 3, 4), 10))
    confirmed = booked(db_session, world, local(date(2026, 3, 4), 14), m.AppointmentStatus.CONFIRMED)
    decisions = {
        request.id: Decision(release=True, message="I'm away that day."),
        confirmed.id: Decision(release=True, message="Sorry, I have to cancel."),
    }
    time_off = AvailabilityChange(
        ChangeKind.ADD_TIME_OFF, draft={"whole_days": True, "first_day": "2026-03-04"}
    )

    result = apply(db_session, viewer, ana, time_off, decisions)

    assert (result.outcome, result.released) == (EditOutcome.SAVED, 2)
    assert ana.user_id in result.concerns
    assert world["client"].user_id in result.concerns
    db_session.expire_all()
    assert db_session.get(m.Appointment, request.id).status == m.AppointmentStatus.DECLINED
    assert db_session.get(m.Appointment, request.id).clinician_message == "I'm away that day."
    assert db_session.get(m.Appointment, confirmed.id).status == m.AppointmentStatus.CANCELLED
    audits = db_session.exec(select(m.AuditEvent).order_by(m.AuditEvent.appointment_id)).all()
    assert [(a.to_status, a.note, a.actor_user_id) for a in audits] == [
        ("declined", "I'm away that day.", ana.user_id),
        ("cancelled", "Sorry, I have to cancel.", ana.user_id),
    ]
    emails = {e.kind: e for e in db_session.exec(select(m.EmailOutbox))}
    assert "I'm away that day." in emails["declined"].body_text
    assert "Sorry, I have to cancel." in emails["cancelled"].body_text
    assert len(db_session.exec(select(m.AvailabilityException)).all()) == 1


def test_a_session_booked_since_the_list_was_shown_is_asked_about_again(db_session, world):
    ana, viewer = world["ana"], clinician_viewer(world["ana"])
    first = booked(db_session, world, local(date(2026, 3, 4), 10))
    time_off = AvailabilityChange(
        ChangeKind.ADD_TIME_OFF, draft={"whole_days": True, "first_day": "2026-03-04"}
    )
    assert [a.appointment_id for a in apply(db_session, viewer, ana, time_off).affected] == [first.id]
    later = booked(db_session, world, local(date(2026, 3, 4), 15))

    result = apply(db_session, viewer, ana, time_off, {first.id: Decision(release=True)})

    assert result.outcome == EditOutcome.NEEDS_DECISIONS
    assert [a.appointment_id for a in result.affected] == [first.id, later.id]
    db_session.expire_all()
    assert db_session.get(m.Appointment, first.id).status == m.AppointmentStatus.REQUESTED


def test_shortening_deleting_or_ending_a_block_finds_the_sessions_it_strands(db_session, world):
    ana, block, viewer = world["ana"], world["block"], clinician_viewer(world["ana"])
    early = booked(db_session, world, local(date(2026, 3, 3), 9))
    late = booked(db_session, world, local(date(2026, 3, 12), 15))
    shorter = AvailabilityChange(
        ChangeKind.SAVE_BLOCK, target_id=block.id, draft=block_draft(world, start="10:00")
    )
    ended = AvailabilityChange(ChangeKind.END_BLOCK, target_id=block.id, draft={"valid_until": "2026-03-06"})
    deleted = AvailabilityChange(ChangeKind.DELETE_BLOCK, target_id=block.id)

    assert [a.appointment_id for a in apply(db_session, viewer, ana, shorter).affected] == [early.id]
    assert [a.appointment_id for a in apply(db_session, viewer, ana, ended).affected] == [late.id]
    assert [a.appointment_id for a in apply(db_session, viewer, ana, deleted).affected] == [early.id, late.id]
    assert blocks_of(db_session, ana)[0].start_local == time(9)


def test_affected_sessions_follow_the_practice_clock_across_the_dst_change(db_session, world):
    """Clocks go forward on 8 March: 9:00 on Monday 9 March is 13:00 UTC, not 14:00."""
    ana, block, viewer = world["ana"], world["block"], clinician_viewer(world["ana"])
    after_change = booked(db_session, world, local(date(2026, 3, 9), 9))
    before_change = booked(db_session, world, local(date(2026, 3, 6), 16))
    same_hours = AvailabilityChange(ChangeKind.SAVE_BLOCK, target_id=block.id, draft=block_draft(world))
    later_start = AvailabilityChange(
        ChangeKind.SAVE_BLOCK, target_id=block.id, draft=block_draft(world, start="09:30", end="17:00")
    )
    earlier_end = AvailabilityChange(
        ChangeKind.SAVE_BLOCK, target_id=block.id, draft=block_draft(world, end="16:30")
    )

    assert apply(db_session, viewer, ana, same_hours).outcome == EditOutcome.SAVED
    result = apply(db_session, viewer, ana, later_start)
    assert [(a.appointment_id, a.time) for a in result.affected] == [
        (after_change.id, "9:00 AM – 9:50 AM EDT")
    ]
    result = apply(db_session, viewer, ana, earlier_end)
    assert [(a.appointment_id, a.time) for a in result.affected] == [
        (before_change.id, "4:00 PM – 4:50 PM EST")
    ]


def test_sessions_already_outside_availability_or_of_colleagues_are_not_listed(db_session, world):
    ana, viewer = world["ana"], clinician_viewer(world["ana"])
    booked(db_session, world, local(date(2026, 3, 7), 10))  # a Saturday: already outside
    booked(db_session, world, local(date(2026, 3, 4), 10), clinician="ben")
    time_off = AvailabilityChange(
        ChangeKind.ADD_TIME_OFF,
        draft={"whole_days": True, "first_day": "2026-03-04", "last_day": "2026-03-08"},
    )
    assert apply(db_session, viewer, ana, time_off).outcome == EditOutcome.SAVED


def test_deleting_extra_hours_with_a_session_in_them_asks_first(db_session, world):
    ana, viewer = world["ana"], clinician_viewer(world["ana"])
    extra = AvailabilityChange(
        ChangeKind.ADD_EXTRA_HOURS,
        draft={
            "day": "2026-03-07",
            "start": "10:00",
            "end": "12:00",
            "location_id": str(world["office"].id),
            "in_person": True,
            "service_ids": [str(world["therapy"].id)],
        },
    )
    assert apply(db_session, viewer, ana, extra).outcome == EditOutcome.SAVED
    saturday = booked(db_session, world, local(date(2026, 3, 7), 10))
    exception = db_session.exec(select(m.AvailabilityException)).one()
    delete = AvailabilityChange(ChangeKind.DELETE_EXCEPTION, target_id=exception.id)
    assert [a.appointment_id for a in apply(db_session, viewer, ana, delete).affected] == [saturday.id]
    assert (
        apply(db_session, viewer, ana, delete, {saturday.id: Decision(False)}).outcome == EditOutcome.DELETED
    )


# Preview --------------------------------------------------------------------------------------


def free_days(grid) -> set[date]:
    return {day.day for day in grid.days if CellState.FREE in day.states}


def test_the_preview_shows_the_draft_as_a_client_would_see_it(db_session, world):
    ana, viewer = world["ana"], clinician_viewer(world["ana"])
    args = {
        "session": db_session,
        "viewer": viewer,
        "clinician_id": ana.id,
        "service_id": world["therapy"].id,
        "location_id": world["office"].id,
        "forum": m.Forum.IN_PERSON,
        "first_day": date(2026, 3, 9),
        "now": NOW,
    }
    saved = preview_week(change=None, **args)
    assert free_days(saved) == {date(2026, 3, d) for d in range(9, 14)}
    saturday = AvailabilityChange(ChangeKind.SAVE_BLOCK, draft=block_draft(world, weekdays=[5]))
    assert date(2026, 3, 14) in free_days(preview_week(change=saturday, **args))
    invalid = AvailabilityChange(ChangeKind.SAVE_BLOCK, draft=block_draft(world, weekdays=[5], end="08:00"))
    assert free_days(preview_week(change=invalid, **args)) == free_days(saved)
    assert preview_week(change=None, **(args | {"clinician_id": world["ben"].id})) is None
    assert db_session.exec(select(m.AvailabilityBlock).where(m.AvailabilityBlock.weekdays == [5])).all() == []
