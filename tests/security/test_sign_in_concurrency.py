"""Sign-ins under load: none fails for a busy database, and throttling holds however many arrive."""

from __future__ import annotations

import secrets
import sqlite3
from collections import Counter
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from portal_app import database, routes
from portal_app.services import auth
from portal_app.state.login import LoginState
from tests.security.conftest import CLIENT_EMAILS, PASSWORD, at_once, http
from tests.state.conftest import Browser, sent


def sign_in(
    email: str, password: str = PASSWORD, *, client_ip: str = "10.0.0.1", browser: str = "browser"
) -> auth.SignInResult:
    """The password check as the sign-in form's handler runs it."""
    with database.open_session(for_writing=True) as session:
        return auth.sign_in(
            session=session,
            email=email,
            password=password,
            client_ip=client_ip,
            browser_nonce=browser,
            now=datetime.now(UTC),
        )


def sign_in_and_get_cookie(email: str) -> str:
    """The whole sign-in: the password check, then the browser trading its code for a cookie."""
    browser = secrets.token_urlsafe(32)
    result = sign_in(email, browser=browser)
    assert result.error is None, result.error
    response = http(
        "GET",
        routes.sign_in_complete_url("", code=result.grant_code, next_path=routes.APPOINTMENTS),
        cookies=f"{routes.BROWSER_COOKIE}={browser}",
    )
    assert response.status_code == 303, response.status_code
    assert response.headers["location"].endswith(routes.APPOINTMENTS)
    return response.cookies[routes.SESSION_COOKIE]


def busy_database(*_args, **_kwargs):
    raise sa.exc.OperationalError(
        "INSERT INTO loginattempt ...", {}, sqlite3.OperationalError("database is locked")
    )


def test_a_hundred_sign_ins_eight_at_a_time_on_a_sqlite_file_all_succeed(file_app_db):
    emails = [CLIENT_EMAILS[number % len(CLIENT_EMAILS)] for number in range(100)]

    cookies = at_once([lambda email=email: sign_in_and_get_cookie(email) for email in emails], workers=8)

    assert len(set(cookies)) == 100
    with database.open_session() as session:
        viewers = [
            auth.viewer_for_token(session=session, token=cookie, now=datetime.now(UTC)) for cookie in cookies
        ]
    assert [viewer is not None for viewer in viewers] == [True] * 100


def test_a_sqlite_file_is_switched_to_write_ahead_logging(file_app_db):
    with database.open_session() as session:
        assert session.exec(sa.text("PRAGMA journal_mode")).one()[0] == "wal"


def _fifty_parallel_guesses(emails: list[str], client_ips: list[str]) -> Counter:
    jobs = [
        lambda email=email, ip=ip: sign_in(email, "not the password", client_ip=ip).error
        for email, ip in zip(emails, client_ips, strict=True)
    ]
    return Counter(at_once(jobs))


@pytest.fixture(params=["sqlite_file", pytest.param("postgres", marks=pytest.mark.postgres)])
def app_db(request):
    return request.getfixturevalue("file_app_db" if request.param == "sqlite_file" else "postgres_app_db")


@pytest.mark.parametrize("email", [CLIENT_EMAILS[0], "nobody@example.com"])
def test_fifty_parallel_guesses_at_one_account_get_no_more_than_the_limit(app_db, email):
    answers = _fifty_parallel_guesses([email] * 50, [f"10.1.0.{number}" for number in range(50)])

    # Exactly the limit had their password checked, for a known email and an unknown one alike.
    assert answers == {auth.WRONG_CREDENTIALS: auth.MAX_FAILURES_PER_ACCOUNT, auth.THROTTLED: 45}
    assert sign_in(email, client_ip="10.2.0.1").error == auth.THROTTLED


def test_fifty_parallel_guesses_from_one_address_get_no_more_than_the_limit(app_db):
    emails = [f"guess{number}@example.com" for number in range(50)]

    answers = _fifty_parallel_guesses(emails, ["10.6.6.6"] * 50)

    assert answers == {auth.WRONG_CREDENTIALS: auth.MAX_FAILURES_PER_ADDRESS, auth.THROTTLED: 30}
    assert sign_in(CLIENT_EMAILS[1], client_ip="10.6.6.6").error == auth.THROTTLED
    assert sign_in(CLIENT_EMAILS[1], client_ip="10.7.7.7").grant_code is not None


def test_sign_ins_from_one_address_beyond_its_limit_at_once_wait_their_turn_and_succeed(file_app_db):
    # A whole office behind one address: more right passwords at once than the address may
    # fail. Each is counted as a possible failure while checked, so some wait; none is refused.
    emails = [
        CLIENT_EMAILS[number % len(CLIENT_EMAILS)] for number in range(auth.MAX_FAILURES_PER_ADDRESS + 10)
    ]

    answers = at_once([lambda email=email: sign_in(email, client_ip="10.8.8.8") for email in emails])

    assert [answer.error for answer in answers] == [None] * len(emails)


def test_a_busy_database_asks_to_try_again_instead_of_failing(file_app_db, monkeypatch):
    monkeypatch.setattr("portal_app.state.login.sign_in", busy_database)
    state = Browser(cookie=f"{routes.BROWSER_COOKIE}=browser").state(LoginState, routes.LOGIN)

    sent(state, "submit", {"email": CLIENT_EMAILS[0], "password": PASSWORD})

    assert state.error == auth.TRY_AGAIN
    assert state.submitting is False


def test_a_busy_database_while_redeeming_sends_back_to_sign_in_not_a_server_error(file_app_db, monkeypatch):
    code = sign_in(CLIENT_EMAILS[0]).grant_code
    monkeypatch.setattr("portal_app.api.redeem_grant", busy_database)

    response = http(
        "GET",
        routes.sign_in_complete_url("", code=code, next_path="/"),
        cookies=f"{routes.BROWSER_COOKIE}=browser",
    )

    assert response.status_code == 303
    assert response.headers["location"].endswith(f"{routes.LOGIN}?busy=1")
    assert routes.SESSION_COOKIE not in response.cookies
