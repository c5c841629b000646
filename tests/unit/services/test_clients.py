"""The client directory: scope from the viewer, search, counts, history, accounts, adding a client."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from portal_app import models as m
from portal_app.domain.client_details import ClientProblem
from portal_app.domain.vocabulary import AccountStatus, AppointmentStatus, Forum
from portal_app.services.client_accounts import portal_accounts
from portal_app.services.client_entry import ClientOutcome, add_client
from portal_app.services.clients import MAX_LISTED, client_directory, client_record
from portal_app.state import wording
from tests.factories import (
    make_appointment,
    make_client,
    make_clinician,
    make_practice,
    make_practice_setup,
    make_user,
)

NOW = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
ZONE = "America/New_York"


@pytest.fixture
def practice(db_session):
    """Maya sees Alex (and Sam, who also sees Jordan); Jordan sees Sam; Casey has no appointment."""
    setup = make_practice_setup(db_session, client_email="alex.rivera@example.com")
    jordan = make_clinician(db_session, setup.practice, slug="jordan", display_name="Jordan Alvarez")
    sam = make_client(db_session, setup.practice, email="sam.taylor@example.com")
    casey = make_client(db_session, setup.practice, email="casey.north@example.com", with_login=False)
    setup.client.full_name, setup.client.phone = "Alex Rivera", "(617) 555-0120"
    sam.full_name, sam.phone = "Sam Taylor", "617.555.0199"
    casey.full_name = "casey North"
    db_session.add_all([setup.client, sam, casey])
    db_session.commit()

    def book(client, clinician, starts_at, status=AppointmentStatus.CONFIRMED, **extra):
        return make_appointment(
            db_session,
            clinician=clinician,
            client=client,
            service=setup.service,
            location=setup.location,
            starts_at=starts_at,
            status=status,
            **extra,
        )

    book(setup.client, setup.clinician, NOW - timedelta(days=21), AppointmentStatus.COMPLETED)
    book(setup.client, setup.clinician, NOW + timedelta(days=14), AppointmentStatus.CONFIRMED)
    book(setup.client, setup.clinician, NOW + timedelta(days=7), AppointmentStatus.REQUESTED)
    book(setup.client, setup.clinician, NOW + timedelta(days=3), AppointmentStatus.CANCELLED)
    book(setup.client, jordan, NOW + timedelta(days=1), AppointmentStatus.CONFIRMED, forum=Forum.TELEHEALTH)
    book(sam, jordan, NOW + timedelta(days=2), AppointmentStatus.DECLINED)
    return {
        "practice": setup.practice,
        "maya": setup.clinician,
        "jordan": jordan,
        "alex": setup.client,
        "sam": sam,
        "casey": casey,
    }


def directory(session, practice, clinician=None, search="", limit=25):
    return client_directory(
        session=session,
        practice_id=practice["practice"].id,
        clinician_id=clinician.id if clinician else None,
        search=search,
        limit=limit,
        now=NOW,
        zone=ZONE,
    )


def names(result) -> list[str]:
    return [listing.name for listing in result.clients]


def record(session, practice, client, clinician=None):
    return client_record(
        session=session,
        practice_id=practice["practice"].id,
        clinician_id=clinician.id if clinician else None,
        client_id=client.id,
        now=NOW,
        zone=ZONE,
    )


def test_an_admin_sees_every_client_of_the_practice_sorted_by_name_ignoring_case(db_session, practice):
    result = directory(db_session, practice)

    assert names(result) == ["Alex Rivera", "casey North", "Sam Taylor"]
    assert (result.matching, result.total) == (3, 3)


def test_a_clinician_sees_only_clients_with_an_appointment_or_request_with_them(db_session, practice):
    assert names(directory(db_session, practice, practice["maya"])) == ["Alex Rivera"]
    # A declined request still makes Sam one of Jordan's clients.
    assert names(directory(db_session, practice, practice["jordan"])) == ["Alex Rivera", "Sam Taylor"]


def test_another_practices_clients_are_never_listed(db_session, practice):
    other = make_practice(db_session, name="Elsewhere")
    make_client(db_session, other, email="stranger@example.com")

    assert "Stranger" not in names(directory(db_session, practice))


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("alex", ["Alex Rivera"]),
        ("RIVERA", ["Alex Rivera"]),
        ("  sam   taylor ", ["Sam Taylor"]),
        ("@example.com", ["Alex Rivera", "casey North", "Sam Taylor"]),
        ("CASEY.NORTH@", ["casey North"]),
        ("555-0120", ["Alex Rivera"]),
        ("6175550199", ["Sam Taylor"]),
        ("(617) 555", ["Alex Rivera", "Sam Taylor"]),
        ("%", []),
        ("_", []),
        ("nobody", []),
    ],
)
def test_search_matches_name_email_or_phone_in_any_case(db_session, practice, search, expected):
    result = directory(db_session, practice, search=search)

    assert names(result) == expected
    assert (result.matching, result.total) == (len(expected), 3)


def test_search_stays_inside_the_clinicians_scope(db_session, practice):
    result = directory(db_session, practice, practice["maya"], search="sam")

    assert names(result) == []
    assert (result.matching, result.total) == (0, 1)


def test_the_list_is_bounded_and_counts_what_it_leaves_out(db_session, practice):
    for number in range(5):
        make_client(db_session, practice["practice"], email=f"zed{number}@example.com")

    result = directory(db_session, practice, search="example", limit=2)

    assert names(result) == ["Alex Rivera", "casey North"]
    assert (result.matching, result.total) == (8, 8)
    assert len(directory(db_session, practice, limit=10**6).clients) == min(8, MAX_LISTED)


def test_each_row_shows_the_next_requested_or_confirmed_appointment_in_scope(db_session, practice):
    by_name = {listing.name: listing for listing in directory(db_session, practice).clients}
    mine = {listing.name: listing for listing in directory(db_session, practice, practice["maya"]).clients}

    # Admin: Alex's next is the telehealth session with Jordan tomorrow (the cancelled one is skipped).
    assert by_name["Alex Rivera"].next_appointment == "Tue, Nov 3, 2026, 10:00 AM EST"
    assert not by_name["Alex Rivera"].next_unconfirmed
    # Maya: her own next with Alex is the request in a week.
    assert mine["Alex Rivera"].next_appointment == "Mon, Nov 9, 2026, 10:00 AM EST"
    assert mine["Alex Rivera"].next_unconfirmed
    assert by_name["Sam Taylor"].next_appointment == ""


def test_account_status_no_account_active_deactivated(db_session, practice):
    sam_user = db_session.get(m.User, practice["sam"].user_id)
    sam_user.is_active = False
    db_session.add(sam_user)
    db_session.commit()
    clients = [practice["alex"], practice["sam"], practice["casey"]]

    accounts = portal_accounts(session=db_session, clients=clients, now=NOW)

    assert {client.full_name: accounts[client.id].status for client in clients} == {
        "Alex Rivera": AccountStatus.ACTIVE,
        "Sam Taylor": AccountStatus.DEACTIVATED,
        "casey North": AccountStatus.NO_ACCOUNT,
    }
    listed = {listing.name: listing.account.status for listing in directory(db_session, practice).clients}
    assert listed["Sam Taylor"] == AccountStatus.DEACTIVATED
    assert set(wording.ACCOUNT_STATUS_LABELS) == set(AccountStatus)


def test_a_record_lists_upcoming_soonest_first_then_the_rest_latest_first(db_session, practice):
    alex = record(db_session, practice, practice["alex"])

    assert [(view.day, view.status_label) for view in alex.upcoming] == [
        ("Tue, Nov 3, 2026", "Confirmed"),
        ("Mon, Nov 9, 2026", "Unconfirmed"),
        ("Mon, Nov 16, 2026", "Confirmed"),
    ]
    assert [(view.day, view.status_label) for view in alex.past] == [
        ("Thu, Nov 5, 2026", "Cancelled"),
        ("Mon, Oct 12, 2026", "Completed"),
    ]
    tomorrow = alex.upcoming[0]
    assert (tomorrow.time, tomorrow.clinician, tomorrow.where) == (
        "10:00 AM – 10:50 AM EST",
        "Jordan Alvarez",
        "Telehealth",
    )
    assert (alex.email, alex.phone, alex.account.status) == (
        "alex.rivera@example.com",
        "(617) 555-0120",
        AccountStatus.ACTIVE,
    )


def test_a_clinician_reads_only_their_own_appointments_with_the_client(db_session, practice):
    alex = record(db_session, practice, practice["alex"], practice["maya"])

    assert {view.clinician for view in alex.upcoming + alex.past} == {"Dr. Maya Chen"}
    assert len(alex.upcoming) == 2


def test_a_client_outside_the_scope_is_the_same_as_one_that_does_not_exist(db_session, practice):
    other = make_practice(db_session, name="Elsewhere")
    stranger = make_client(db_session, other, email="stranger@example.com")

    assert record(db_session, practice, practice["sam"], practice["maya"]) is None
    assert record(db_session, practice, practice["casey"], practice["maya"]) is None
    assert record(db_session, practice, stranger) is None
    missing = client_record(
        session=db_session,
        practice_id=practice["practice"].id,
        clinician_id=None,
        client_id=10**9,
        now=NOW,
        zone=ZONE,
    )
    assert missing is None


def test_attendees_are_listed_once_each_in_scope(db_session, practice):
    appointments = db_session.exec(
        select(m.Appointment).where(m.Appointment.client_id == practice["alex"].id)
    ).all()
    for appointment in appointments:
        who = "Jamie Rivera" if appointment.clinician_id == practice["maya"].id else "Robin Lake"
        db_session.add(m.Attendee(appointment_id=appointment.id, full_name=who, relationship="Partner"))
    db_session.commit()

    everyone = record(db_session, practice, practice["alex"]).attendees
    mine = record(db_session, practice, practice["alex"], practice["maya"]).attendees

    assert [(line.name, line.relationship) for line in everyone] == [
        ("Jamie Rivera", "Partner"),
        ("Robin Lake", "Partner"),
    ]
    assert [line.name for line in mine] == ["Jamie Rivera"]


def added(session, practice, **details):
    values = {"full_name": "Dana Whitfield", "email": "dana@example.com", "phone": ""} | details
    return add_client(
        session=session,
        practice_id=practice["practice"].id,
        actor_user_id=practice["maya"].user_id,
        now=NOW,
        **values,
    )


def test_adding_a_client_saves_tidy_details_and_who_added_them(db_session, practice):
    change = added(
        db_session,
        practice,
        full_name="  Dana   Whitfield ",
        email=" Dana@Example.COM",
        phone="+1 (617) 555-0177",
    )

    assert change.outcome == ClientOutcome.ADDED
    client = db_session.get(m.Client, change.client_id)
    assert (client.full_name, client.email, client.phone) == (
        "Dana Whitfield",
        "dana@example.com",
        "+1 (617) 555-0177",
    )
    assert (client.user_id, client.created_by_user_id, client.created_at) == (
        None,
        practice["maya"].user_id,
        NOW,
    )
    assert names(directory(db_session, practice, search="whitfield")) == ["Dana Whitfield"]
    assert record(db_session, practice, client).account.status == AccountStatus.NO_ACCOUNT


@pytest.mark.parametrize(
    ("details", "problems"),
    [
        ({"full_name": "   "}, {"full_name": ClientProblem.NAME_EMPTY}),
        ({"full_name": "x" * 121}, {"full_name": ClientProblem.NAME_TOO_LONG}),
        ({"email": ""}, {"email": ClientProblem.EMAIL_EMPTY}),
        ({"email": "dana@example"}, {"email": ClientProblem.EMAIL_INVALID}),
        ({"email": "dana example.com"}, {"email": ClientProblem.EMAIL_INVALID}),
        ({"email": "<dana@example.com>"}, {"email": ClientProblem.EMAIL_INVALID}),
        ({"email": "a@b.c"}, {"email": ClientProblem.EMAIL_INVALID}),
        ({"phone": "call me"}, {"phone": ClientProblem.PHONE_INVALID}),
        ({"phone": "555-01"}, {"phone": ClientProblem.PHONE_INVALID}),
        ({"phone": "1" * 16}, {"phone": ClientProblem.PHONE_INVALID}),
        (
            {"full_name": "", "email": "nope", "phone": "x"},
            {
                "full_name": ClientProblem.NAME_EMPTY,
                "email": ClientProblem.EMAIL_INVALID,
                "phone": ClientProblem.PHONE_INVALID,
            },
        ),
        ({"full_name": 5}, {"full_name": ClientProblem.NAME_EMPTY}),
        ({"phone": None}, {"phone": ClientProblem.PHONE_INVALID}),
    ],
)
def test_bad_details_are_refused_field_by_field_and_nothing_is_saved(db_session, practice, details, problems):
    before = len(db_session.exec(select(m.Client)).all())

    change = added(db_session, practice, **details)

    assert (change.outcome, change.problems) == (ClientOutcome.INVALID, problems)
    assert not change.ok
    assert len(db_session.exec(select(m.Client)).all()) == before
    assert all(wording.CLIENT_PROBLEMS[problem] for problem in problems.values())


def test_an_email_already_in_the_practice_is_refused_whatever_its_case(db_session, practice):
    change = added(db_session, practice, email="ALEX.Rivera@example.com")

    assert change.problems == {"email": ClientProblem.EMAIL_TAKEN}
    assert len(db_session.exec(select(m.Client).where(m.Client.full_name == "Dana Whitfield")).all()) == 0


def test_a_taken_email_is_reported_with_the_other_fields_problems(db_session, practice):
    change = added(db_session, practice, full_name="", email="Alex.Rivera@example.com", phone="abc")

    assert change.problems == {
        "full_name": ClientProblem.NAME_EMPTY,
        "email": ClientProblem.EMAIL_TAKEN,
        "phone": ClientProblem.PHONE_INVALID,
    }


def test_the_same_email_may_be_a_client_of_another_practice(db_session, practice):
    other = make_practice(db_session, name="Elsewhere")
    make_client(db_session, other, email="dana@example.com", with_login=False)

    assert added(db_session, practice).ok


def test_every_client_problem_has_words():
    assert set(wording.CLIENT_PROBLEMS) == set(ClientProblem)
    assert "Dana" in wording.client_added("Dana")


def _admins_add_one_email(engine, all_at_once) -> list[ClientOutcome]:
    with Session(engine) as session:
        practice = make_practice(session)
        admin = make_user(session, email="office@clinic.test", role=m.Role.ADMIN, practice_id=practice.id)
        practice_id, admin_id = practice.id, admin.id

    def add(session):
        return add_client(
            session=session,
            practice_id=practice_id,
            actor_user_id=admin_id,
            full_name="Dana Whitfield",
            email="dana@example.com",
            phone="",
            now=NOW,
        ).outcome

    return sorted(all_at_once(engine, [add] * 4))


def test_admins_adding_one_email_at_once_add_it_once(sqlite_file_engine, all_at_once):
    outcomes = _admins_add_one_email(sqlite_file_engine, all_at_once)

    assert outcomes == [ClientOutcome.ADDED] + [ClientOutcome.INVALID] * 3


@pytest.mark.postgres
def test_admins_adding_one_email_at_once_on_postgresql_add_it_once(postgres_engine, all_at_once):
    outcomes = _admins_add_one_email(postgres_engine, all_at_once)

    assert outcomes == [ClientOutcome.ADDED] + [ClientOutcome.INVALID] * 3
