"""The availability editor's handlers, called directly as an honest, a hostile or the wrong browser would."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from portal_app import database, routes
from portal_app.models import (
    Appointment,
    AppointmentStatus,
    AuditEvent,
    AvailabilityBlock,
    AvailabilityException,
    Clinician,
    EmailOutbox,
)
from portal_app.state.availability import AvailabilityState
from portal_app.state.availability_draft import AvailabilityDraftState
from portal_app.state.availability_preview import AvailabilityPreviewState
from tests.state.conftest import browser_for, redirect_target, run

MAYA = "maya.chen@example.org"
ADMIN = "office@example.org"
ALEX = "alex.rivera@example.com"


def _sibling(state, state_cls):
    root = state
    while root.parent_state is not None:
        root = root.parent_state
    return root.get_substate(state_cls.get_full_name().split(".")[1:])


def _open_as(email: str):
    page = browser_for(email).state(AvailabilityState, path=routes.AVAILABILITY)
    run(page, "load")
    preview = _sibling(page, AvailabilityPreviewState)
    run(preview, "load")
    return page, _sibling(page, AvailabilityDraftState), preview


def _ids() -> dict[str, int]:
    with database.open_session() as session:
        clinicians = {c.slug: c for c in session.exec(select(Clinician))}
        robin_block = session.exec(
            select(AvailabilityBlock.id).where(AvailabilityBlock.clinician_id == clinicians["robin-park"].id)
        ).first()
        return {
            "robin": clinicians["robin-park"].id,
            "maya": clinicians["maya-chen"].id,
            "robin_block": robin_block,
        }


def _blocks_of(clinician_id: int) -> list[AvailabilityBlock]:
    with database.open_session() as session:
        return list(
            session.exec(select(AvailabilityBlock).where(AvailabilityBlock.clinician_id == clinician_id))
        )


def test_a_clinician_sees_only_their_own_availability_and_the_clients_view(app_db):
    page, _, preview = _open_as(MAYA)
    assert [option.label for option in page.clinicians] == ["Dr. Maya Chen"]
    assert [block.days for block in page.blocks] == ["Mon, Wed", "Fri"]
    assert page.zone_label.startswith("America/New York (E")
    assert preview.calendar.days, "the preview draws a week"
    assert preview.service_id
    assert preview.location_id


def test_forged_ids_from_a_clinician_change_nothing(app_db):
    ids = _ids()
    page, draft, _ = _open_as(MAYA)
    run(page, "choose_clinician", str(ids["robin"]))
    assert page.clinician_id == str(ids["maya"])
    run(page, "ask_delete_block", ids["robin_block"])
    run(page, "ask_end_block", ids["robin_block"])
    assert page.confirm == ""
    run(page, "confirm_change")
    run(draft, "edit_block", ids["robin_block"])
    assert draft.mode == ""
    run(draft, "toggle_service", "999999", True)
    assert draft.service_ids == []
    assert len(_blocks_of(ids["robin"])) == 1


def test_a_client_calling_the_editor_is_sent_home_and_nothing_changes(app_db):
    ids = _ids()
    browser = browser_for(ALEX)
    page = browser.state(AvailabilityState, path=routes.APPOINTMENTS)
    for handler, args in (("load", ()), ("ask_delete_block", (ids["robin_block"],)), ("confirm_change", ())):
        assert redirect_target(run(page, handler, *args)) == routes.APPOINTMENTS
    draft = browser.state(AvailabilityDraftState, path=routes.APPOINTMENTS)
    assert redirect_target(run(draft, "start_block")) == routes.APPOINTMENTS
    assert redirect_target(run(draft, "save")) == routes.APPOINTMENTS
    assert draft.mode == ""
    assert len(_blocks_of(ids["robin"])) == 1


def test_an_admin_chooses_a_clinician_and_deletes_their_block_after_confirming(app_db):
    ids = _ids()
    page, _, _ = _open_as(ADMIN)
    assert len(page.clinicians) == 4
    run(page, "choose_clinician", str(ids["robin"]))
    assert [block.days for block in page.blocks] == ["Mon, Tue, Wed, Thu, Fri, Sat, Sun"]
    run(page, "ask_delete_block", ids["robin_block"])
    assert page.confirm == "delete_block"
    assert page.confirm_title == "Mon, Tue, Wed, Thu, Fri, Sat, Sun, 8:00 AM – 8:00 PM at Downtown Office"
    run(page, "confirm_change")
    assert page.flash.startswith("Deleted.")
    assert page.blocks == []
    assert _blocks_of(ids["robin"]) == []


def test_a_bad_draft_shows_a_message_beside_the_field_and_saves_nothing(app_db):
    ids = _ids()
    _, draft, _ = _open_as(MAYA)
    run(draft, "start_block")
    run(draft, "set_field", "end", "08:00")
    run(draft, "toggle_weekday", 0, False)
    run(draft, "save")
    assert draft.mode == "block"
    assert draft.problems == {
        "end": "The end must be after the start.",
        "service_ids": "Choose at least one service clients may book.",
    }
    assert len(_blocks_of(ids["maya"])) == 2
    run(draft, "set_field", "end", "12:00")
    assert "end" not in draft.problems


def test_the_preview_shows_the_unsaved_draft(app_db):
    _, draft, preview = _open_as(MAYA)
    saved = sum(row.count("free") for row in preview.calendar.states)
    run(draft, "start_block")
    for day in range(7):
        run(draft, "toggle_weekday", day, True)
    run(draft, "set_field", "start", "07:00")
    run(draft, "set_field", "end", "21:00")
    run(draft, "set_field", "location_id", preview.location_id)
    run(draft, "toggle_service", preview.service_id, True)
    assert preview.showing_draft
    assert sum(row.count("free") for row in preview.calendar.states) > saved
    run(draft, "cancel")
    assert not preview.showing_draft
    assert sum(row.count("free") for row in preview.calendar.states) == saved


@pytest.mark.parametrize("choice", ["keep", "release"])
def test_time_off_over_a_request_is_decided_before_it_is_saved(app_db, choice):
    with database.open_session() as session:
        request = session.exec(
            select(Appointment)
            .where(Appointment.status == AppointmentStatus.REQUESTED)
            .join(Clinician, Clinician.id == Appointment.clinician_id)
            .where(Clinician.slug == "maya-chen")
        ).one()
        request_id, starts_at = request.id, request.starts_at
    day = starts_at.astimezone(ZoneInfo("America/New_York")).date()
    page, draft, _ = _open_as(MAYA)
    run(draft, "start_time_off")
    run(draft, "set_field", "first_day", day.isoformat())
    run(draft, "save")

    assert page.deciding
    assert [(row.key, row.client, row.release_label) for row in page.affected] == [
        (str(request_id), "Sam Taylor", "Decline request")
    ]
    run(page, "save_with_decisions")
    assert page.decide_error == "Choose what to do with each session first."
    run(page, "choose_decision", str(request_id), choice)
    run(page, "set_decision_message", str(request_id), "Away that day, sorry.")
    run(page, "save_with_decisions")

    assert not page.deciding
    assert draft.mode == ""
    assert page.flash.startswith("Availability saved.")
    with database.open_session() as session:
        status = session.get(Appointment, request_id).status
        emails = session.exec(select(EmailOutbox.kind).where(EmailOutbox.appointment_id == request_id)).all()
        audits = session.exec(select(AuditEvent.note).where(AuditEvent.appointment_id == request_id)).all()
        assert len(session.exec(select(AvailabilityException)).all()) == 1
    if choice == "keep":
        assert status == AppointmentStatus.REQUESTED
        assert "declined" not in emails
    else:
        assert status == AppointmentStatus.DECLINED
        assert "declined" in emails
        assert "Away that day, sorry." in audits
        assert "1 session was declined or cancelled" in page.flash


def test_closing_the_decisions_dialog_saves_nothing(app_db):
    with database.open_session() as session:
        request = session.exec(
            select(Appointment)
            .join(Clinician, Clinician.id == Appointment.clinician_id)
            .where(Clinician.slug == "maya-chen", Appointment.status == AppointmentStatus.REQUESTED)
        ).one()
        day = request.starts_at.astimezone(ZoneInfo("America/New_York")).date()
    page, draft, _ = _open_as(MAYA)
    run(draft, "start_time_off")
    run(draft, "set_field", "first_day", day.isoformat())
    run(draft, "save")
    run(page, "set_deciding", False)
    assert not page.deciding
    assert page.affected == []
    with database.open_session() as session:
        assert session.exec(select(AvailabilityException)).all() == []
    # The form stays open, to change the dates or cancel.
    assert draft.mode == "time_off"


def test_extra_hours_are_added_listed_and_deleted_after_confirming(app_db):
    page, draft, preview = _open_as(MAYA)
    run(draft, "start_extra_hours")
    saturday = date.fromisoformat(draft.first_day) + timedelta(days=7)
    saturday += timedelta(days=(5 - saturday.weekday()) % 7)
    run(draft, "set_field", "first_day", saturday.isoformat())
    run(draft, "set_field", "location_id", preview.location_id)
    run(draft, "toggle_service", preview.service_id, True)
    run(draft, "set_note", "Saturday clinic")
    run(draft, "save")

    assert draft.mode == ""
    [extra] = page.exceptions
    assert (extra.title, extra.note) == ("Extra hours", "Saturday clinic")
    assert "10:00 AM – 2:00 PM" in extra.when
    assert "In-person" in extra.details
    run(page, "ask_delete_exception", extra.id)
    assert page.confirm_title == f"Extra hours: {extra.when}"
    run(page, "confirm_change")
    assert page.exceptions == []
