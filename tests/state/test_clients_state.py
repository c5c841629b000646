"""The Clients page's handlers: each viewer's scope, forged ids, other roles, junk, adding a client."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from portal_app import database, routes
from portal_app.domain.client_details import ClientProblem
from portal_app.models import Client
from portal_app.state import wording
from portal_app.state.clients import ClientCard, ClientsState
from tests.state.conftest import Browser, browser_for, redirect_target, refused_as_bad_input, run, sent

ADMIN = "office@example.org"
MAYA = "maya.chen@example.org"  # Alex (seen, and coming) and Sam (a request)
PRIYA = "priya.natarajan@example.org"  # Sam only
OWN_VARS = (
    "clients",
    "matching",
    "total",
    "loaded",
    "detail",
    "detail_upcoming",
    "detail_past",
    "detail_error",
)


def client_id(email: str) -> int:
    with database.open_session() as session:
        return session.exec(select(Client.id).where(Client.email == email)).one()


def client_count() -> int:
    with database.open_session() as session:
        return session.exec(select(func.count()).select_from(Client)).one()


def page_for(email: str) -> ClientsState:
    return browser_for(email).state(ClientsState, path=routes.CLIENTS)


def listed(state) -> list[str]:
    return [row.name for row in state.clients]


@pytest.mark.parametrize(
    ("email", "names"),
    [
        (MAYA, ["Alex Rivera", "Sam Taylor"]),
        (PRIYA, ["Sam Taylor"]),
        ("jordan.alvarez@example.org", ["Alex Rivera"]),
        ("robin.park@example.org", []),
        (ADMIN, ["Alex Rivera", "Sam Taylor"]),
    ],
)
def test_each_staff_member_sees_their_own_clients(app_db, email, names):
    state = page_for(email)

    assert run(state, "load") is None

    assert listed(state) == names
    assert state.total == len(names)
    assert state.can_add == (email == ADMIN)


def test_a_clinician_searches_and_opens_a_client_with_their_history(app_db):
    state = page_for(MAYA)
    run(state, "load")

    run(state, "search_clients", "SAM")
    assert (listed(state), state.matching, state.total) == (["Sam Taylor"], 1, 2)

    run(state, "search_clients", "alex")
    assert sent(state, "open_client", state.clients[0].id) == []

    assert state.detail_open
    assert not state.detail_loading
    assert (state.detail.name, state.detail.email, state.detail.account_label) == (
        "Alex Rivera",
        "alex.rivera@example.com",
        "Active",
    )
    assert [(row.service, row.status_label) for row in state.detail_upcoming] == [
        ("Individual Therapy", "Confirmed")
    ]
    assert [row.status_label for row in state.detail_past] == ["Completed"]
    # Alex's request with Jordan is not Maya's to read.
    assert {row.clinician for row in state.detail_upcoming + state.detail_past} == {"Dr. Maya Chen"}


@pytest.mark.parametrize("forged", ["alex", "missing"])
def test_a_client_outside_the_scope_reads_as_not_found_and_shows_nothing(app_db, forged):
    state = page_for(PRIYA)
    run(state, "load")
    target = client_id("alex.rivera@example.com") if forged == "alex" else 10**6

    run(state, "open_client", target)

    assert state.detail_error == wording.CLIENT_NOT_FOUND
    assert state.detail == ClientCard()
    assert (state.detail_upcoming, state.detail_past, state.detail_attendees) == ([], [], [])
    assert listed(state) == ["Sam Taylor"]


@pytest.mark.parametrize(
    ("handler", "args"),
    [
        ("load", ()),
        ("search_clients", ("Alex",)),
        ("show_more", ()),
        ("open_client", ("alex",)),
        ("add_client", ({"full_name": "Mallory", "email": "mallory@example.com"},)),
        ("set_adding_open", (True,)),
    ],
)
def test_a_client_is_sent_home_and_learns_nothing(app_db, handler, args):
    state = browser_for("alex.rivera@example.com").state(ClientsState, path=routes.CLIENTS)
    args = tuple(client_id("sam.taylor@example.com") if value == "alex" else value for value in args)
    before = {name: getattr(state, name) for name in OWN_VARS}
    count = client_count()

    event = run(state, handler, *args)

    assert redirect_target(event) == routes.APPOINTMENTS
    assert {name: getattr(state, name) for name in OWN_VARS} == before
    assert client_count() == count


def test_a_clinician_cannot_add_a_client(app_db):
    state = page_for(MAYA)
    count = client_count()

    event = run(
        state, "add_client", {"full_name": "Mallory Vance", "email": "mallory@example.com", "phone": ""}
    )

    assert redirect_target(event) == routes.DASHBOARD
    assert client_count() == count


def test_without_a_session_the_page_sends_to_sign_in(app_db):
    state = Browser().state(ClientsState, path=routes.CLIENTS)

    assert redirect_target(run(state, "load")).startswith(routes.LOGIN)
    assert state.clients == []


@pytest.mark.parametrize(
    ("handler", "args"),
    [
        ("search_clients", ("x" * 101,)),
        ("search_clients", (7,)),
        ("search_clients", (None,)),
        ("open_client", ("1",)),
        ("open_client", (-3,)),
        ("add_client", ("Mallory",)),
        ("add_client", ({"full_name": "x" * 5000, "email": "m@example.com"},)),
        ("add_client", ({"full_name": ["Mallory"], "email": "m@example.com"},)),
        ("set_adding_open", ("yes",)),
    ],
)
def test_junk_is_refused_plainly(app_db, handler, args):
    state = page_for(ADMIN)
    count = client_count()

    assert refused_as_bad_input(run(state, handler, *args))
    assert client_count() == count


def test_the_admin_adds_a_client_and_a_second_time_is_told_the_email_is_taken(app_db):
    state = page_for(ADMIN)
    run(state, "load")
    run(state, "set_adding_open", True)
    details = {
        "full_name": "Dana Whitfield",
        "email": "Dana.Whitfield@example.com",
        "phone": "(617) 555-0177",
    }

    run(state, "add_client", details)

    assert state.notice == wording.client_added("Dana Whitfield")
    assert not state.adding_open
    assert "Dana Whitfield" in listed(state)
    run(state, "set_adding_open", True)
    run(state, "add_client", details | {"full_name": "Dana W."})
    assert state.adding_open
    assert state.add_errors == {"email": wording.CLIENT_PROBLEMS[ClientProblem.EMAIL_TAKEN]}
    assert listed(state).count("Dana Whitfield") == 1


def test_the_admins_form_gets_a_message_beside_each_refused_field(app_db):
    state = page_for(ADMIN)
    count = client_count()

    run(state, "add_client", {"full_name": " ", "email": "dana@", "phone": "call me"})

    assert set(state.add_errors) == {"full_name", "email", "phone"}
    assert state.add_errors["email"] == wording.CLIENT_PROBLEMS[ClientProblem.EMAIL_INVALID]
    assert client_count() == count


def test_show_more_lists_the_next_clients(app_db):
    state = page_for(ADMIN)
    with database.open_session(for_writing=True) as session:
        practice_id = session.exec(select(Client.practice_id)).first()
        session.add_all(
            Client(practice_id=practice_id, full_name=f"Zed {number:02}", email=f"zed{number}@example.com")
            for number in range(30)
        )
        session.commit()
    run(state, "load")
    assert (len(state.clients), state.matching) == (25, 32)

    run(state, "show_more")

    assert len(state.clients) == 32


def test_a_pushed_refresh_rereads_the_same_search(app_db):
    state = page_for(MAYA)
    run(state, "load")
    run(state, "search_clients", "taylor")
    with database.open_session(for_writing=True) as session:
        sam = session.get(Client, client_id("sam.taylor@example.com"))
        sam.phone = "(617) 555-0999"
        session.commit()

    assert run(state, "refresh") is None

    assert [(row.name, row.phone) for row in state.clients] == [("Sam Taylor", "(617) 555-0999")]
