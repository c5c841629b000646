"""The Clients page's record offers an admin the portal-account actions of the Team page."""

from __future__ import annotations

from sqlmodel import select

from portal_app import database, routes
from portal_app.models import Client
from portal_app.state.clients import ClientsState
from portal_app.state.team import TeamState
from tests.state.conftest import browser_for, run

ADMIN = "office@example.org"
MAYA = "maya.chen@example.org"


def _new_client_id(browser) -> int:
    page = browser.state(ClientsState, path=routes.CLIENTS)
    run(page, "add_client", {"full_name": "Rowan Ellis", "email": "rowan.ellis@example.com", "phone": ""})
    with database.open_session() as session:
        return session.exec(select(Client.id).where(Client.email == "rowan.ellis@example.com")).one()


def test_an_admin_invites_a_client_from_their_record_and_sees_it_invited(app_db):
    browser = browser_for(ADMIN)
    client_id = _new_client_id(browser)
    page = browser.state(ClientsState, path=routes.CLIENTS)
    run(page, "open_client", client_id)
    assert page.detail_account.status == "no_account"
    assert not page.detail_account.can_deactivate

    team = browser.state(TeamState, path=routes.CLIENTS)
    run(team, "invite_client", client_id)
    assert team.notice == "Invitation sent to Rowan Ellis."
    run(page, "refresh")

    assert page.detail_account.status == "invited"
    assert page.detail_account.status_detail.startswith("expires ")
    assert page.detail_account.can_resend
    assert page.detail_account.can_revoke


def test_a_clinician_cannot_invite(app_db):
    client_id = _new_client_id(browser_for(ADMIN))
    team = browser_for(MAYA).state(TeamState, path=routes.CLIENTS)

    run(team, "invite_client", client_id)

    with database.open_session() as session:
        assert session.get(Client, client_id).user_id is None
