"""Old sign-in rows are pruned on a schedule; what is still in use, or still says something, stays."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from portal_app.domain.vocabulary import AccountStatus, LinkPurpose, Role
from portal_app.models import (
    LoginAttempt,
    LoginGrant,
    OneTimeLink,
    PasswordResetRequest,
    SecondStepAttempt,
    SignInChallenge,
    User,
    UserSession,
)
from portal_app.services.accounts import account_status
from portal_app.services.data_retention import (
    ATTEMPTS_KEPT,
    LINKS_KEPT,
    SESSIONS_KEPT,
    PruneReport,
    prune_expired,
)
from portal_app.services.email_sender import start_background_sender
from tests.factories import make_user

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def _rows(session: Session, model) -> list:
    session.expire_all()
    return list(session.exec(select(model).order_by(model.id)).all())


def _write_old_and_recent_rows(session: Session) -> dict[str, int]:
    """Of each kind, rows past their keeping period and rows still within it; returns user ids."""
    person = make_user(session, email="alex@example.com", role=Role.CLIENT)
    invited = make_user(session, email="invited@example.com", role=Role.CLIENT, password_hash="")
    for at, succeeded in ((NOW - ATTEMPTS_KEPT - DAY, False), (NOW - timedelta(minutes=5), False)):
        session.add(
            LoginAttempt(email=person.email, client_ip="10.0.0.1", succeeded=succeeded, attempted_at=at)
        )
        session.add(PasswordResetRequest(email=person.email, client_ip="10.0.0.1", requested_at=at))
        session.add(
            SecondStepAttempt(user_id=person.id, client_ip="10.0.0.1", succeeded=False, attempted_at=at)
        )
    for number, expires_at in enumerate((NOW - 2 * DAY, NOW + timedelta(seconds=30))):
        session.add(LoginGrant(user_id=person.id, code_hash=f"code-{number}", expires_at=expires_at))
        session.add(
            SignInChallenge(
                user_id=person.id, token_hash=f"challenge-{number}", browser_hash="b", expires_at=expires_at
            )
        )
    sessions = {
        "expired long ago": {"expires_at": NOW - SESSIONS_KEPT - DAY},
        "signed out long ago": {"expires_at": NOW + DAY, "revoked_at": NOW - SESSIONS_KEPT - DAY},
        "expired yesterday": {"expires_at": NOW - DAY},
        "in use": {"expires_at": NOW + timedelta(hours=6)},
    }
    for name, times in sessions.items():
        session.add(UserSession(user_id=person.id, token_hash=name, **times))
    long_ago = NOW - LINKS_KEPT - DAY
    links = [
        # (who, purpose, created, expires, used, revoked)
        (person, LinkPurpose.SET_PASSWORD, long_ago - 7 * DAY, long_ago, None, None),
        (person, LinkPurpose.SET_PASSWORD, long_ago - DAY, long_ago + DAY, long_ago, None),
        (person, LinkPurpose.RESET_PASSWORD, long_ago - DAY, long_ago, None, None),
        (
            person,
            LinkPurpose.RESET_PASSWORD,
            NOW - timedelta(minutes=10),
            NOW + timedelta(minutes=50),
            None,
            None,
        ),
        # The invited person's only invitation, revoked long ago: it still tells their status.
        (invited, LinkPurpose.SET_PASSWORD, long_ago - DAY, long_ago + 6 * DAY, None, long_ago),
    ]
    for number, (who, purpose, created, expires, used, revoked) in enumerate(links):
        session.add(
            OneTimeLink(
                token_hash=f"link-{number}",
                purpose=purpose,
                user_id=who.id,
                created_at=created,
                expires_at=expires,
                used_at=used,
                revoked_at=revoked,
            )
        )
    session.commit()
    return {"person": person.id, "invited": invited.id}


@pytest.mark.parametrize("engine_fixture", ["sqlite_file_engine", "postgres_engine"])
def test_rows_past_their_keeping_period_go_and_the_rest_stay(engine_fixture, request):
    engine = request.getfixturevalue(engine_fixture)
    with Session(engine) as session:
        users = _write_old_and_recent_rows(session)

        report = prune_expired(session=session, now=NOW)
        session.commit()

        assert report == PruneReport(
            login_attempts=1, code_attempts=1, reset_requests=1, grants=1, challenges=1, sessions=2, links=2
        )
        assert [row.attempted_at for row in _rows(session, SecondStepAttempt)] == [NOW - timedelta(minutes=5)]
        assert [row.token_hash for row in _rows(session, SignInChallenge)] == ["challenge-1"]
        assert [row.attempted_at for row in _rows(session, LoginAttempt)] == [NOW - timedelta(minutes=5)]
        assert [row.requested_at for row in _rows(session, PasswordResetRequest)] == [
            NOW - timedelta(minutes=5)
        ]
        assert [row.code_hash for row in _rows(session, LoginGrant)] == ["code-1"]
        assert [row.token_hash for row in _rows(session, SignInChallenge)] == ["challenge-1"]
        assert len(_rows(session, SecondStepAttempt)) == 1
        assert [row.token_hash for row in _rows(session, UserSession)] == ["expired yesterday", "in use"]
        # Of the person's links, the newest of each kind; the invited person's revoked one.
        assert [row.token_hash for row in _rows(session, OneTimeLink)] == ["link-1", "link-3", "link-4"]
        invited = session.get(User, users["invited"])
        assert (
            account_status(session=session, user=invited, now=NOW).status == AccountStatus.INVITATION_REVOKED
        )
        assert prune_expired(session=session, now=NOW).total == 0


def test_the_background_sender_prunes_on_its_first_round_without_a_mail_server(sqlite_file_engine):
    with Session(sqlite_file_engine) as session:
        _write_old_and_recent_rows(session)

    sender = start_background_sender(
        session_factory=lambda: Session(sqlite_file_engine),
        smtp_settings=None,
        interval=timedelta(milliseconds=20),
        clock=lambda: NOW,
    )
    with Session(sqlite_file_engine) as session:
        deadline = time.monotonic() + 10
        while len(_rows(session, UserSession)) > 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        sender.stop(timeout_seconds=10)

        assert [row.token_hash for row in _rows(session, UserSession)] == ["expired yesterday", "in use"]
        assert len(_rows(session, LoginAttempt)) == 1
