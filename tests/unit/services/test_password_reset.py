"""Forgot password: a one-hour link to the account's email, throttled, the same answer for all."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from portal_app.domain.vocabulary import LinkPurpose, Role
from portal_app.models import EmailOutbox, OneTimeLink
from portal_app.services import auth
from portal_app.services.account_results import AccountOutcome
from portal_app.services.accounts import set_password_with_link
from portal_app.services.one_time_links import LinkProblem
from portal_app.services.password_reset import (
    MAX_RESETS_PER_ADDRESS,
    MAX_RESETS_PER_EMAIL,
    request_password_reset,
)
from portal_app.services.passwords import hash_password
from tests.factories import make_practice, make_user

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
OLD_PASSWORD = "the old password here"
NEW_PASSWORD = "a brand new password"


@pytest.fixture
def user(db_session):
    practice = make_practice(db_session, name="Elm Street Therapy", time_zone="America/Chicago")
    return make_user(
        db_session,
        email="ana@example.com",
        role=Role.CLIENT,
        practice_id=practice.id,
        display_name="Ana Ruiz",
        password_hash=hash_password(OLD_PASSWORD),
    )


def _ask(session: Session, email="ana@example.com", ip="10.0.0.1", now=NOW) -> bool:
    return request_password_reset(
        session=session, email=email, client_ip=ip, link_base="https://portal.example.org", now=now
    )


def _emails(session: Session) -> list[EmailOutbox]:
    return list(session.exec(select(EmailOutbox).order_by(EmailOutbox.id)).all())


def _token(email: EmailOutbox) -> str:
    return re.search(r"token=([\w-]+)", email.body_text).group(1)


def _reset(session: Session, token: str, now=NOW):
    return set_password_with_link(
        session=session, token=token, password=NEW_PASSWORD, confirmation=NEW_PASSWORD, now=now
    )


def test_a_known_email_gets_a_one_hour_link_that_sets_a_new_password(db_session, user):
    assert _ask(db_session, email=" ANA@example.com ")

    (email,) = _emails(db_session)
    assert email.to_address == "ana@example.com"
    assert "Reset your password" in email.subject
    assert "expires on Mon, Mar 2, 2026, 10:00 AM CST (America/Chicago)" in email.body_text
    link = db_session.exec(select(OneTimeLink)).one()
    assert (link.purpose, link.expires_at) == (LinkPurpose.RESET_PASSWORD, NOW + timedelta(hours=1))
    assert _reset(db_session, _token(email)).outcome == AccountOutcome.PASSWORD_SET
    signed_in = auth.sign_in(
        session=db_session,
        email="ana@example.com",
        password=NEW_PASSWORD,
        client_ip="x",
        browser_nonce="b",
        now=NOW,
    )
    assert signed_in.grant_code


def test_a_reset_link_expires_after_an_hour(db_session, user):
    _ask(db_session)

    late = _reset(db_session, _token(_emails(db_session)[0]), now=NOW + timedelta(hours=1))

    assert late.link_problem == LinkProblem.EXPIRED


def test_a_new_request_makes_the_earlier_link_stop_working(db_session, user):
    _ask(db_session)
    _ask(db_session)
    first, second = _emails(db_session)

    assert _reset(db_session, _token(first)).link_problem == LinkProblem.REVOKED
    assert _reset(db_session, _token(second)).outcome == AccountOutcome.PASSWORD_SET


def test_unknown_and_deactivated_emails_get_nothing(db_session, user):
    user.is_active = False
    db_session.add(user)
    db_session.commit()

    assert not _ask(db_session, email="nobody@example.com")
    assert not _ask(db_session)
    assert _emails(db_session) == []


def test_requests_are_throttled_per_email(db_session, user):
    sent = [_ask(db_session, ip=f"10.0.0.{n}") for n in range(MAX_RESETS_PER_EMAIL + 2)]

    assert sent == [True] * MAX_RESETS_PER_EMAIL + [False, False]
    assert _ask(db_session, now=NOW + timedelta(hours=1, seconds=1))


def test_requests_are_throttled_per_address_known_email_or_not(db_session, user):
    for n in range(MAX_RESETS_PER_ADDRESS):
        _ask(db_session, email=f"probe{n}@example.com")

    assert not _ask(db_session)
    assert _ask(db_session, ip="10.9.9.9")
