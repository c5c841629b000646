"""Invitations: accounts without a password, emailed one-time links, re-send, revoke, deactivation."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from portal_app.domain.accounts import InputProblem
from portal_app.domain.vocabulary import AccountStatus, LinkPurpose, Role
from portal_app.models import Client, Clinician, EmailOutbox, OneTimeLink, User, UserSession
from portal_app.services import auth
from portal_app.services.account_results import AccountOutcome
from portal_app.services.accounts import (
    NO_PASSWORD,
    account_status,
    password_link_view,
    set_active,
    set_password_with_link,
)
from portal_app.services.booking_catalog import booking_catalog, takes_online_requests
from portal_app.services.invitations import (
    add_client_and_invite,
    create_practice,
    invite_client,
    invite_clinician,
    resend_invitation,
    revoke_invitation,
)
from portal_app.services.one_time_links import INVITATION_LIFETIME, LinkProblem
from portal_app.services.team import practice_team
from tests.factories import make_client, make_practice, make_practice_setup, make_user

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
BASE = "https://portal.example.org"
PASSWORD = "correct horse battery"


@pytest.fixture
def practice(db_session):
    return make_practice(db_session, name="Elm Street Therapy", phone="555-0199", time_zone="America/Chicago")


@pytest.fixture
def admin(db_session, practice):
    return make_user(
        db_session, email="office@elm.org", role=Role.ADMIN, practice_id=practice.id, display_name="Jo Office"
    )


def _invite_clinician(session: Session, practice, admin, **overrides):
    values = {"name": "Dr. Ana María Ruiz", "email": " Ana.Ruiz@Example.org ", "credentials": "PsyD"}
    return invite_clinician(
        session=session,
        practice_id=practice.id,
        inviter_user_id=admin.id,
        link_base=BASE,
        now=NOW,
        **(values | overrides),
    )


def _invite_new_client(session: Session, practice, admin, **overrides):
    values = {"name": "Lee Park", "email": "lee.park@example.com", "phone": "555-0123"}
    return add_client_and_invite(
        session=session,
        practice_id=practice.id,
        inviter_user_id=admin.id,
        link_base=BASE,
        now=NOW,
        **(values | overrides),
    )


def _token_in(email: EmailOutbox) -> str:
    match = re.search(r"/set-password\?token=([\w-]+)", email.body_text)
    assert match, email.body_text
    return match.group(1)


def _emails(session: Session) -> list[EmailOutbox]:
    return list(session.exec(select(EmailOutbox).order_by(EmailOutbox.id)).all())


def _set_password(session: Session, token: str, *, password=PASSWORD, confirmation=None, now=NOW):
    return set_password_with_link(
        session=session, token=token, password=password, confirmation=confirmation or password, now=now
    )


def _sign_in(session: Session, email: str, password: str = PASSWORD):
    return auth.sign_in(
        session=session, email=email, password=password, client_ip="10.0.0.9", browser_nonce="b", now=NOW
    )


def test_inviting_a_clinician_makes_an_account_without_password_and_emails_a_link(
    db_session, practice, admin
):
    result = _invite_clinician(db_session, practice, admin)

    assert result.outcome == AccountOutcome.INVITED
    user = db_session.exec(select(User).where(User.email == "ana.ruiz@example.org")).one()
    assert (user.role, user.password_hash, user.practice_id) == (Role.CLINICIAN, NO_PASSWORD, practice.id)
    clinician = db_session.exec(select(Clinician)).one()
    assert (clinician.slug, clinician.credentials, clinician.user_id) == (
        "dr-ana-maria-ruiz",
        "PsyD",
        user.id,
    )
    (email,) = _emails(db_session)
    assert email.to_address == "ana.ruiz@example.org"
    assert "Elm Street Therapy" in email.subject
    assert "Jo Office invited you to the Elm Street Therapy portal" in email.body_text
    assert f"{BASE}/set-password?token=" in email.body_text
    assert "expires on Mon, Mar 9, 2026, 10:00 AM CDT (America/Chicago)" in email.body_text
    assert "555-0199" in email.body_text
    link = db_session.exec(select(OneTimeLink)).one()
    assert (link.purpose, link.created_by_user_id, link.expires_at) == (
        LinkPurpose.SET_PASSWORD,
        admin.id,
        NOW + INVITATION_LIFETIME,
    )


def test_the_set_password_page_names_the_account_and_the_link_works_once(db_session, practice, admin):
    _invite_clinician(db_session, practice, admin)
    token = _token_in(_emails(db_session)[0])

    view = password_link_view(session=db_session, token=token, now=NOW)
    done = _set_password(db_session, token)
    again = _set_password(db_session, token)

    assert (view.problem, view.name, view.email, view.practice_name) == (
        None,
        "Dr. Ana María Ruiz",
        "ana.ruiz@example.org",
        "Elm Street Therapy",
    )
    assert (done.outcome, done.email) == (AccountOutcome.PASSWORD_SET, "ana.ruiz@example.org")
    assert (again.outcome, again.link_problem) == (AccountOutcome.LINK_UNUSABLE, LinkProblem.USED)
    assert _sign_in(db_session, "ana.ruiz@example.org").grant_code


def test_an_invited_person_cannot_sign_in_and_hears_the_same_as_a_wrong_password(db_session, practice, admin):
    _invite_clinician(db_session, practice, admin)

    invited = _sign_in(db_session, "ana.ruiz@example.org", password="")
    guessed = _sign_in(db_session, "ana.ruiz@example.org", password="anything at all")

    assert invited.error == guessed.error == auth.WRONG_CREDENTIALS
    assert invited.grant_code is None
    assert guessed.grant_code is None


@pytest.mark.parametrize(
    ("password", "confirmation", "problem"),
    [
        ("short", "short", InputProblem.PASSWORD_TOO_SHORT),
        ("x" * 129, "x" * 129, InputProblem.PASSWORD_TOO_LONG),
        ("ana.ruiz@example.org", "ana.ruiz@example.org", InputProblem.PASSWORD_IS_EMAIL),
        (PASSWORD, PASSWORD + "!", InputProblem.PASSWORDS_DIFFER),
    ],
)
def test_a_refused_password_leaves_the_link_usable(
    db_session, practice, admin, password, confirmation, problem
):
    _invite_clinician(db_session, practice, admin)
    token = _token_in(_emails(db_session)[0])

    refused = _set_password(db_session, token, password=password, confirmation=confirmation)

    assert (refused.outcome, refused.problem) == (AccountOutcome.INVALID, problem)
    assert _set_password(db_session, token).outcome == AccountOutcome.PASSWORD_SET


def test_an_expired_invitation_says_so_and_can_be_sent_again(db_session, practice, admin):
    _invite_clinician(db_session, practice, admin)
    old_token = _token_in(_emails(db_session)[0])
    later = NOW + INVITATION_LIFETIME
    clinician = db_session.exec(select(Clinician)).one()
    user = db_session.get(User, clinician.user_id)

    assert account_status(session=db_session, user=user, now=later).status == AccountStatus.INVITATION_EXPIRED
    assert _set_password(db_session, old_token, now=later).link_problem == LinkProblem.EXPIRED

    resent = resend_invitation(
        session=db_session,
        practice_id=practice.id,
        inviter_user_id=admin.id,
        role=Role.CLINICIAN,
        record_id=clinician.id,
        link_base=BASE,
        now=later,
    )
    new_token = _token_in(_emails(db_session)[-1])

    assert resent.outcome == AccountOutcome.RESENT
    assert len(_emails(db_session)) == 2
    assert account_status(session=db_session, user=user, now=later).status == AccountStatus.INVITED
    assert _set_password(db_session, new_token, now=later).outcome == AccountOutcome.PASSWORD_SET


def test_resending_revokes_the_earlier_link(db_session, practice, admin):
    _invite_clinician(db_session, practice, admin)
    old_token = _token_in(_emails(db_session)[0])
    clinician = db_session.exec(select(Clinician)).one()

    resend_invitation(
        session=db_session,
        practice_id=practice.id,
        inviter_user_id=admin.id,
        role=Role.CLINICIAN,
        record_id=clinician.id,
        link_base=BASE,
        now=NOW,
    )

    assert _set_password(db_session, old_token).link_problem == LinkProblem.REVOKED
    assert _set_password(db_session, _token_in(_emails(db_session)[-1])).ok


def test_a_revoked_invitation_stops_working(db_session, practice, admin):
    _invite_clinician(db_session, practice, admin)
    token = _token_in(_emails(db_session)[0])
    clinician = db_session.exec(select(Clinician)).one()

    revoked = revoke_invitation(
        session=db_session, practice_id=practice.id, role=Role.CLINICIAN, record_id=clinician.id, now=NOW
    )

    assert revoked.outcome == AccountOutcome.REVOKED
    assert _set_password(db_session, token).link_problem == LinkProblem.REVOKED
    user = db_session.get(User, clinician.user_id)
    assert account_status(session=db_session, user=user, now=NOW).status == AccountStatus.INVITATION_REVOKED


def test_someone_with_a_password_has_no_invitation_to_resend(db_session, practice, admin):
    _invite_clinician(db_session, practice, admin)
    _set_password(db_session, _token_in(_emails(db_session)[0]))
    clinician = db_session.exec(select(Clinician)).one()

    result = resend_invitation(
        session=db_session,
        practice_id=practice.id,
        inviter_user_id=admin.id,
        role=Role.CLINICIAN,
        record_id=clinician.id,
        link_base=BASE,
        now=NOW,
    )

    assert result.outcome == AccountOutcome.NOT_INVITED
    assert len(_emails(db_session)) == 1


@pytest.mark.parametrize(
    ("overrides", "field", "outcome"),
    [
        ({"name": "   "}, "name", AccountOutcome.INVALID),
        ({"name": "x" * 121}, "name", AccountOutcome.INVALID),
        ({"email": "not an email"}, "email", AccountOutcome.INVALID),
        ({"email": "a@b"}, "email", AccountOutcome.INVALID),
        ({"email": "OFFICE@elm.org"}, "email", AccountOutcome.EMAIL_TAKEN),
        ({"credentials": "x" * 61}, "credentials", AccountOutcome.INVALID),
    ],
)
def test_bad_or_taken_details_are_refused_and_nothing_is_written(
    db_session, practice, admin, overrides, field, outcome
):
    result = _invite_clinician(db_session, practice, admin, **overrides)

    assert (result.outcome, result.field_name) == (outcome, field)
    assert db_session.exec(select(Clinician)).all() == []
    assert _emails(db_session) == []
    assert db_session.exec(select(OneTimeLink)).all() == []


def test_two_clinicians_of_one_name_get_different_booking_slugs(db_session, practice, admin):
    _invite_clinician(db_session, practice, admin, name="Sam Lee", email="sam1@example.org")
    _invite_clinician(db_session, practice, admin, name="Sam Lee", email="sam2@example.org")

    assert sorted(db_session.exec(select(Clinician.slug)).all()) == ["sam-lee", "sam-lee-2"]


def test_inviting_a_new_client_adds_them_with_an_account_and_an_email(db_session, practice, admin):
    result = _invite_new_client(db_session, practice, admin)

    client = db_session.exec(select(Client)).one()
    user = db_session.get(User, client.user_id)
    assert result.outcome == AccountOutcome.INVITED
    assert (client.full_name, client.phone, user.role, user.password_hash) == (
        "Lee Park",
        "555-0123",
        Role.CLIENT,
        NO_PASSWORD,
    )
    (email,) = _emails(db_session)
    assert "see your appointments" in email.body_text
    team = practice_team(session=db_session, practice_id=practice.id, viewer_user_id=admin.id, now=NOW)
    assert [(m.name, m.account.status) for m in team.invited_clients] == [("Lee Park", AccountStatus.INVITED)]


def test_an_existing_client_without_an_account_can_be_invited_once(db_session, practice, admin):
    client = make_client(db_session, practice, email="Walk.In@Example.com", with_login=False)

    first = invite_client(
        session=db_session,
        practice_id=practice.id,
        inviter_user_id=admin.id,
        client_id=client.id,
        link_base=BASE,
        now=NOW,
    )
    second = invite_client(
        session=db_session,
        practice_id=practice.id,
        inviter_user_id=admin.id,
        client_id=client.id,
        link_base=BASE,
        now=NOW,
    )

    db_session.refresh(client)
    assert first.outcome == AccountOutcome.INVITED
    assert db_session.get(User, client.user_id).email == "walk.in@example.com"
    assert second.outcome == AccountOutcome.HAS_ACCOUNT
    assert len(_emails(db_session)) == 1


def test_another_practices_people_are_not_found(db_session, practice, admin):
    other = make_practice(db_session, name="Elsewhere")
    stranger = make_client(db_session, other, email="stranger@example.com", with_login=False)

    result = invite_client(
        session=db_session,
        practice_id=practice.id,
        inviter_user_id=admin.id,
        client_id=stranger.id,
        link_base=BASE,
        now=NOW,
    )

    assert result.outcome == AccountOutcome.NOT_FOUND
    assert _emails(db_session) == []


def _active_client(session: Session, practice, admin):
    _invite_new_client(session, practice, admin)
    _set_password(session, _token_in(_emails(session)[0]))
    return session.exec(select(Client)).one()


def _session_for(session: Session, email: str) -> str:
    code = _sign_in(session, email).grant_code
    return auth.redeem_grant(session=session, code=code, browser_nonce="b", client_ip="10.0.0.9", now=NOW)


def test_setting_a_password_ends_the_accounts_sessions(db_session, practice, admin):
    client = _active_client(db_session, practice, admin)
    token = _session_for(db_session, "lee.park@example.com")
    assert auth.viewer_for_token(session=db_session, token=token, now=NOW) is not None
    resend_user = db_session.get(User, client.user_id)
    resend_user.password_hash = NO_PASSWORD  # as if they had never set one: a new invitation
    db_session.commit()
    resend_invitation(
        session=db_session,
        practice_id=practice.id,
        inviter_user_id=admin.id,
        role=Role.CLIENT,
        record_id=client.id,
        link_base=BASE,
        now=NOW,
    )

    _set_password(db_session, _token_in(_emails(db_session)[-1]))

    assert auth.viewer_for_token(session=db_session, token=token, now=NOW) is None


def test_deactivating_ends_every_session_at_once_and_sign_in_is_refused(db_session, practice, admin):
    client = _active_client(db_session, practice, admin)
    tokens = [_session_for(db_session, "lee.park@example.com") for _ in range(2)]

    result = set_active(
        session=db_session,
        practice_id=practice.id,
        actor_user_id=admin.id,
        role=Role.CLIENT,
        record_id=client.id,
        active=False,
        now=NOW,
    )

    assert (result.outcome, result.name) == (AccountOutcome.DEACTIVATED, "Lee Park")
    assert admin.id in result.concerns
    assert all(auth.viewer_for_token(session=db_session, token=t, now=NOW) is None for t in tokens)
    sessions = db_session.exec(select(UserSession).where(UserSession.user_id == client.user_id)).all()
    assert all(s.revoked_at == NOW for s in sessions)
    assert _sign_in(db_session, "lee.park@example.com").error == auth.WRONG_CREDENTIALS
    assert db_session.get(Client, client.id) is not None  # their history stays


def test_reactivating_lets_them_sign_in_again(db_session, practice, admin):
    client = _active_client(db_session, practice, admin)
    arguments = {"practice_id": practice.id, "actor_user_id": admin.id, "role": Role.CLIENT, "now": NOW}
    set_active(session=db_session, record_id=client.id, active=False, **arguments)

    result = set_active(session=db_session, record_id=client.id, active=True, **arguments)

    assert result.outcome == AccountOutcome.REACTIVATED
    assert _sign_in(db_session, "lee.park@example.com").grant_code


def test_deactivating_an_invited_person_revokes_their_link(db_session, practice, admin):
    _invite_new_client(db_session, practice, admin)
    token = _token_in(_emails(db_session)[0])
    client = db_session.exec(select(Client)).one()

    set_active(
        session=db_session,
        practice_id=practice.id,
        actor_user_id=admin.id,
        role=Role.CLIENT,
        record_id=client.id,
        active=False,
        now=NOW,
    )

    assert _set_password(db_session, token).outcome == AccountOutcome.LINK_UNUSABLE


def test_an_admin_cannot_deactivate_themself(db_session, practice, admin):
    clinician = Clinician(
        practice_id=practice.id, user_id=admin.id, display_name="Jo Office", slug="jo-office"
    )
    db_session.add(clinician)
    db_session.commit()

    result = set_active(
        session=db_session,
        practice_id=practice.id,
        actor_user_id=admin.id,
        role=Role.CLINICIAN,
        record_id=clinician.id,
        active=False,
        now=NOW,
    )

    assert result.outcome == AccountOutcome.NOT_YOURSELF
    assert db_session.get(User, admin.id).is_active


def test_the_team_lists_clinicians_with_their_account_status(db_session, practice, admin):
    _invite_clinician(db_session, practice, admin, name="Invited One", email="one@example.org")
    _invite_clinician(db_session, practice, admin, name="Active Two", email="two@example.org")
    _set_password(db_session, _token_in(_emails(db_session)[-1]))

    team = practice_team(session=db_session, practice_id=practice.id, viewer_user_id=admin.id, now=NOW)

    assert [(m.name, m.account.status) for m in team.clinicians] == [
        ("Active Two", AccountStatus.ACTIVE),
        ("Invited One", AccountStatus.INVITED),
    ]
    assert team.clinicians[1].account.invitation_expires_at == NOW + INVITATION_LIFETIME


def test_a_new_practice_and_its_first_admin_are_created_together(db_session):
    result = create_practice(
        session=db_session,
        name=" Birch Counseling ",
        time_zone="America/Denver",
        admin_email="Owner@Birch.org",
        admin_name="",
        phone="555-0111",
        now=NOW,
    )

    assert result.outcome == AccountOutcome.PRACTICE_CREATED
    admin = db_session.exec(select(User)).one()
    assert (admin.email, admin.role, admin.password_hash, admin.display_name) == (
        "owner@birch.org",
        Role.ADMIN,
        NO_PASSWORD,
        "Practice admin",
    )
    assert _set_password(db_session, result.token).outcome == AccountOutcome.PASSWORD_SET
    assert _sign_in(db_session, "owner@birch.org").grant_code


def test_setting_a_password_waits_for_no_clock_but_the_links(db_session, practice, admin):
    _invite_clinician(db_session, practice, admin)
    token = _token_in(_emails(db_session)[0])

    late = _set_password(db_session, token, now=NOW + INVITATION_LIFETIME + timedelta(seconds=1))

    assert late.link_problem == LinkProblem.EXPIRED


def test_a_deactivated_clinician_takes_no_online_requests_until_reactivated(db_session):
    setup = make_practice_setup(db_session)
    arguments = {"practice_id": setup.practice.id, "actor_user_id": None, "role": Role.CLINICIAN, "now": NOW}
    clinician = setup.clinician

    set_active(session=db_session, record_id=clinician.id, active=False, **arguments)

    assert booking_catalog(session=db_session, practice_id=setup.practice.id).providers == {}
    assert not takes_online_requests(session=db_session, clinician=clinician)
    set_active(session=db_session, record_id=clinician.id, active=True, **arguments)
    assert booking_catalog(session=db_session, practice_id=setup.practice.id).providers == {
        clinician.id: "Dr. Maya Chen"
    }
    assert takes_online_requests(session=db_session, clinician=clinician)


@pytest.fixture(params=["sqlite_file_engine", pytest.param("postgres_engine", marks=pytest.mark.postgres)])
def racing_engine(request):
    """A database where writers really run at once: a SQLite file, and PostgreSQL when it runs."""
    return request.getfixturevalue(request.param)


def test_two_submits_of_one_link_at_once_set_the_password_once(racing_engine, all_at_once):
    with Session(racing_engine) as session:
        practice = make_practice(session)
        admin = make_user(session, email="office@elm.org", role=Role.ADMIN, practice_id=practice.id)
        _invite_new_client(session, practice, admin)
        token = _token_in(_emails(session)[0])

    def submit(password: str):
        return lambda session: _set_password(session, token, password=password)

    results = all_at_once(racing_engine, [submit(f"{PASSWORD} {n}") for n in range(4)])

    assert [r.outcome for r in results].count(AccountOutcome.PASSWORD_SET) == 1
    assert {r.link_problem for r in results if not r.ok} == {LinkProblem.USED}
