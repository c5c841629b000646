"""One-time links: stored hashed, work once, for their purpose, until they expire or are revoked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from portal_app.domain.vocabulary import LinkPurpose, Role
from portal_app.models import OneTimeLink
from portal_app.services.one_time_links import (
    INVITATION_LIFETIME,
    LinkProblem,
    issue_link,
    redeem_link,
    revoke_links,
)
from tests.factories import make_practice, make_user

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def _person(session: Session):
    practice = make_practice(session)
    return make_user(session, email="ana@example.com", role=Role.CLIENT, practice_id=practice.id)


def _issue(session: Session, user_id: int, purpose=LinkPurpose.SET_PASSWORD, lifetime=INVITATION_LIFETIME):
    issued = issue_link(
        session=session, purpose=purpose, user_id=user_id, created_by_user_id=None, now=NOW, lifetime=lifetime
    )
    session.commit()
    return issued


def _redeem(session: Session, token: str, *, purpose=LinkPurpose.SET_PASSWORD, now=NOW):
    found = redeem_link(session=session, token=token, purpose=purpose, now=now)
    session.commit()
    return found


def test_only_the_tokens_hash_is_stored(db_session):
    user = _person(db_session)
    issued = _issue(db_session, user.id)

    stored = db_session.exec(select(OneTimeLink)).one()
    assert issued.token not in (stored.token_hash, str(stored.id))
    assert len(issued.token) >= 40
    assert stored.expires_at == NOW + INVITATION_LIFETIME


def test_a_link_works_once_for_its_user(db_session):
    user = _person(db_session)
    issued = _issue(db_session, user.id)

    first = _redeem(db_session, issued.token)
    second = _redeem(db_session, issued.token)

    assert first.ok
    assert first.user_id == user.id
    assert second.problem == LinkProblem.USED


def test_expiry_is_exact(db_session):
    user = _person(db_session)
    issued = _issue(db_session, user.id, lifetime=timedelta(hours=1))

    assert _redeem(db_session, issued.token, now=NOW + timedelta(hours=1)).problem == LinkProblem.EXPIRED
    assert _redeem(db_session, issued.token, now=NOW + timedelta(minutes=59)).ok


def test_a_revoked_link_does_not_work(db_session):
    user = _person(db_session)
    issued = _issue(db_session, user.id)

    assert (
        revoke_links(session=db_session, user_id=user.id, purposes=(LinkPurpose.SET_PASSWORD,), now=NOW) == 1
    )
    db_session.commit()

    assert _redeem(db_session, issued.token).problem == LinkProblem.REVOKED


def test_revoking_one_purpose_leaves_the_others(db_session):
    user = _person(db_session)
    reset = _issue(db_session, user.id, purpose=LinkPurpose.RESET_PASSWORD)

    revoke_links(session=db_session, user_id=user.id, purposes=(LinkPurpose.SET_PASSWORD,), now=NOW)

    assert _redeem(db_session, reset.token, purpose=LinkPurpose.RESET_PASSWORD).ok


def test_a_link_for_another_purpose_says_nothing_about_its_user(db_session):
    user = _person(db_session)
    issued = _issue(db_session, user.id, purpose=LinkPurpose.RESET_PASSWORD)

    found = _redeem(db_session, issued.token, purpose=LinkPurpose.SET_PASSWORD)

    assert found.problem == LinkProblem.WRONG_PURPOSE
    assert found.user_id is None
    assert db_session.exec(select(OneTimeLink)).one().used_at is None


@pytest.mark.parametrize("token", ["", "nonsense", "x" * 10_000])
def test_unknown_tokens_are_refused(db_session, token):
    _issue(db_session, _person(db_session).id)

    assert _redeem(db_session, token).problem == LinkProblem.UNKNOWN


def test_a_use_rolled_back_with_its_change_leaves_the_link_usable(db_session):
    user = _person(db_session)
    issued = _issue(db_session, user.id)

    assert redeem_link(session=db_session, token=issued.token, purpose=LinkPurpose.SET_PASSWORD, now=NOW).ok
    db_session.rollback()

    assert _redeem(db_session, issued.token).ok


def test_two_redeems_of_one_token_at_once_exactly_one_succeeds(sqlite_file_engine, all_at_once):
    with Session(sqlite_file_engine) as session:
        user = _person(session)
        issued = _issue(session, user.id)

    def redeem(session: Session):
        return _redeem(session, issued.token)

    results = all_at_once(sqlite_file_engine, [redeem] * 8)

    assert sum(result.ok for result in results) == 1
    assert {result.problem for result in results if not result.ok} == {LinkProblem.USED}


@pytest.mark.postgres
def test_two_redeems_of_one_token_at_once_exactly_one_succeeds_on_postgresql(postgres_engine, all_at_once):
    with Session(postgres_engine) as session:
        user = _person(session)
        issued = _issue(session, user.id)

    results = all_at_once(postgres_engine, [lambda session: _redeem(session, issued.token)] * 8)

    assert sum(result.ok for result in results) == 1
