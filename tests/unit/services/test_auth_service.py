"""Sign-in, sessions and throttling, at the service level."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from portal_app.domain.vocabulary import Role
from portal_app.models import LoginAttempt, UserSession
from portal_app.services import auth
from portal_app.services.passwords import hash_password
from tests.factories import make_practice, make_user

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
PASSWORD = "a long enough password"


@pytest.fixture
def user(db_session):
    practice = make_practice(db_session)
    return make_user(
        db_session,
        email="client@example.com",
        role=Role.CLIENT,
        password_hash=hash_password(PASSWORD),
        practice_id=practice.id,
    )


BROWSER = "this browser's secret"


def _sign_in(db_session, email="client@example.com", password=PASSWORD, ip="10.0.0.1", now=NOW):
    return auth.sign_in(
        session=db_session, email=email, password=password, client_ip=ip, browser_nonce=BROWSER, now=now
    )


def _redeem(db_session, code, *, browser=BROWSER, now=NOW):
    return auth.redeem_grant(
        session=db_session, code=code, browser_nonce=browser, client_ip="10.0.0.1", now=now
    )


def test_right_password_gives_a_one_time_code_that_becomes_a_session(db_session, user):
    result = _sign_in(db_session, email="  Client@Example.com ")
    assert result.error is None

    token = _redeem(db_session, result.grant_code, now=NOW)
    viewer = auth.viewer_for_token(session=db_session, token=token, now=NOW)

    assert viewer.user_id == user.id
    assert viewer.role == Role.CLIENT
    stored = db_session.exec(select(UserSession)).one()
    assert stored.token_hash != token  # only the hash is kept
    assert _redeem(db_session, result.grant_code, now=NOW) is None


def test_unknown_email_and_wrong_password_get_the_same_answer(db_session, user):
    wrong_password = _sign_in(db_session, password="not it")
    unknown_email = _sign_in(db_session, email="nobody@example.com")

    assert wrong_password.error == unknown_email.error == auth.WRONG_CREDENTIALS
    assert wrong_password.grant_code is None
    assert unknown_email.grant_code is None


def test_an_expired_code_is_refused(db_session, user):
    code = _sign_in(db_session).grant_code

    later = NOW + auth.GRANT_LIFETIME + timedelta(seconds=1)
    assert _redeem(db_session, code, now=later) is None


def test_five_failures_lock_the_account_even_for_the_right_password(db_session, user):
    for attempt in range(auth.MAX_FAILURES_PER_ACCOUNT):
        assert _sign_in(db_session, password=f"guess {attempt}", ip=f"10.0.1.{attempt}").error

    locked = _sign_in(db_session, ip="10.0.9.9")
    assert locked.error == auth.THROTTLED
    assert locked.grant_code is None

    after_window = NOW + auth.THROTTLE_WINDOW + timedelta(seconds=1)
    assert _sign_in(db_session, now=after_window).grant_code is not None


def test_many_failures_from_one_address_lock_that_address(db_session, user):
    for attempt in range(auth.MAX_FAILURES_PER_ADDRESS):
        _sign_in(db_session, email=f"someone{attempt}@example.com", ip="10.6.6.6")

    assert _sign_in(db_session, ip="10.6.6.6").error == auth.THROTTLED
    assert _sign_in(db_session, ip="10.7.7.7").grant_code is not None
    assert db_session.exec(select(LoginAttempt)).all()


def test_expired_and_revoked_sessions_are_refused(db_session, user):
    token = _redeem(db_session, _sign_in(db_session).grant_code, now=NOW)

    assert auth.viewer_for_token(session=db_session, token=token, now=NOW + auth.SESSION_LIFETIME) is None
    assert auth.viewer_for_token(session=db_session, token=token, now=NOW) is not None

    auth.revoke_session(session=db_session, token=token, now=NOW)
    assert auth.viewer_for_token(session=db_session, token=token, now=NOW) is None


def test_a_deactivated_user_cannot_sign_in_or_keep_a_session(db_session, user):
    token = _redeem(db_session, _sign_in(db_session).grant_code, now=NOW)
    user.is_active = False
    db_session.add(user)
    db_session.commit()

    assert auth.viewer_for_token(session=db_session, token=token, now=NOW) is None
    assert _sign_in(db_session).error == auth.WRONG_CREDENTIALS


@pytest.mark.parametrize("token", [None, "", "forged-token"])
def test_missing_or_forged_tokens_have_no_viewer(db_session, user, token):
    assert auth.viewer_for_token(session=db_session, token=token, now=NOW) is None


def _staff_session(db_session, *, idle_minutes=30, role=Role.CLINICIAN):
    from tests.factories import make_practice as practice_of

    practice = practice_of(db_session, staff_idle_minutes=idle_minutes)
    make_user(
        db_session,
        email="staff@example.org",
        role=role,
        password_hash=hash_password(PASSWORD),
        practice_id=practice.id,
    )
    code = _sign_in(db_session, email="staff@example.org").grant_code
    return _redeem(db_session, code, now=NOW)


def test_a_staff_session_idle_for_the_practice_s_minutes_is_refused(db_session):
    token = _staff_session(db_session, idle_minutes=30)
    just_before = NOW + timedelta(minutes=29, seconds=59)
    viewer = auth.viewer_for_token(session=db_session, token=token, now=just_before)
    assert viewer is not None
    assert viewer.idle_ends_at == NOW + timedelta(minutes=30)

    assert auth.viewer_for_token(session=db_session, token=token, now=NOW + timedelta(minutes=30)) is None
    assert auth.ended_idle(session=db_session, token=token, now=NOW + timedelta(minutes=30))
    assert not auth.ended_idle(session=db_session, token=token, now=just_before)
    auth.revoke_session(session=db_session, token=token, now=just_before)
    # Signed out, not idle.
    assert not auth.ended_idle(session=db_session, token=token, now=NOW + timedelta(minutes=30))


def test_activity_moves_the_idle_end_on_but_an_event_after_it_stays_refused(db_session):
    token = _staff_session(db_session, idle_minutes=30)
    viewer = auth.viewer_for_token(session=db_session, token=token, now=NOW)
    # Noted at most every ACTIVITY_RESOLUTION: an action right after sign-in changes nothing.
    auth.record_activity(session=db_session, session_id=viewer.session_id, now=NOW + timedelta(seconds=10))
    at_20 = NOW + timedelta(minutes=20)
    auth.record_activity(session=db_session, session_id=viewer.session_id, now=at_20)

    assert auth.viewer_for_token(session=db_session, token=token, now=NOW + timedelta(minutes=45)) is not None
    ended = at_20 + timedelta(minutes=30)
    assert auth.viewer_for_token(session=db_session, token=token, now=ended) is None
    # Nothing moves it on again: activity is only recorded after a successful check.
    assert auth.viewer_for_token(session=db_session, token=token, now=ended + timedelta(minutes=1)) is None


def test_client_sessions_have_no_idle_end(db_session, user):
    token = _redeem(db_session, _sign_in(db_session).grant_code, now=NOW)
    viewer = auth.viewer_for_token(session=db_session, token=token, now=NOW + timedelta(hours=11))
    assert viewer is not None
    assert viewer.idle_ends_at is None
