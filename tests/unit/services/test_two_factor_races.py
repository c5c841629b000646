"""Codes typed at once: the per-account limit and single use hold under concurrency, on SQLite and
PostgreSQL (serialised per account: the write lock, or an advisory lock)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from sqlmodel import Session, select

from portal_app.domain.one_time_codes import STEP_SECONDS
from portal_app.domain.vocabulary import Role
from portal_app.models import SecondStepAttempt
from portal_app.services import second_step, two_factor
from portal_app.services.second_step import CodeOutcome
from portal_app.services.two_factor import SecondStep
from tests.factories import make_practice, make_user

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
GUESSES = 30


def _enrolled_user(engine) -> tuple[int, pyotp.TOTP, tuple[str, ...]]:
    with Session(engine) as session:
        practice = make_practice(session)
        user = make_user(session, email="robin@example.org", role=Role.CLINICIAN, practice_id=practice.id)
        enrolment = second_step.begin_own_enrolment(session=session, user_id=user.id, now=NOW)
        app = pyotp.TOTP(enrolment.secret.replace(" ", ""))
        result = second_step.confirm_own_enrolment(
            session=session, user_id=user.id, code=app.at(NOW), client_ip="10.0.0.1", now=NOW
        )
        return user.id, app, result.recovery_codes


def _guesses_past_the_limit_are_not_checked(engine, all_at_once) -> None:
    user_id, _, _ = _enrolled_user(engine)

    def guess(number: int):
        return lambda session: second_step.turn_off(
            session=session, user_id=user_id, code=f"{number:06d}", client_ip=f"10.1.0.{number}", now=NOW
        )

    outcomes = Counter(all_at_once(engine, [guess(number) for number in range(GUESSES)]))

    assert outcomes == {CodeOutcome.WRONG: second_step.MAX_CODE_FAILURES, CodeOutcome.THROTTLED: GUESSES - 5}


def _one_code_sent_four_times_at_once_works_once(engine, all_at_once, *, recovery: bool) -> None:
    user_id, app, codes = _enrolled_user(engine)
    later = NOW + timedelta(seconds=STEP_SECONDS)
    code = codes[0] if recovery else app.at(later)

    def use(session):
        return second_step.turn_off(
            session=session, user_id=user_id, code=code, client_ip="10.0.0.1", now=later
        )

    # Turning off needs a code and uses it up: of four at once, one turns it off.
    outcomes = Counter(all_at_once(engine, [use] * 4))

    assert outcomes[CodeOutcome.ACCEPTED] == 1
    assert outcomes[CodeOutcome.ACCEPTED] + outcomes[CodeOutcome.NOTHING_TO_DO] == 4


def test_parallel_wrong_codes_on_sqlite_stop_at_the_limit(sqlite_file_engine, all_at_once):
    _guesses_past_the_limit_are_not_checked(sqlite_file_engine, all_at_once)


@pytest.mark.postgres
def test_parallel_wrong_codes_on_postgresql_stop_at_the_limit(postgres_engine, all_at_once):
    _guesses_past_the_limit_are_not_checked(postgres_engine, all_at_once)


@pytest.mark.parametrize("recovery", [False, True], ids=["app code", "recovery code"])
def test_a_code_sent_four_times_at_once_works_once_on_sqlite(sqlite_file_engine, all_at_once, recovery):
    _one_code_sent_four_times_at_once_works_once(sqlite_file_engine, all_at_once, recovery=recovery)


@pytest.mark.postgres
@pytest.mark.parametrize("recovery", [False, True], ids=["app code", "recovery code"])
def test_a_code_sent_four_times_at_once_works_once_on_postgresql(postgres_engine, all_at_once, recovery):
    _one_code_sent_four_times_at_once_works_once(postgres_engine, all_at_once, recovery=recovery)


def _one_sign_in_answered_four_times_at_once_signs_in_once(engine, all_at_once) -> None:
    user_id, app, _ = _enrolled_user(engine)
    later = NOW + timedelta(seconds=STEP_SECONDS)
    with Session(engine) as session:
        challenge = two_factor.new_challenge(
            session, user_id=user_id, step=SecondStep.CODE, client_ip="10.0.0.1", browser_nonce="b", now=later
        )
        session.commit()

    def answer(session):
        return second_step.answer_challenge(
            session=session,
            token=challenge,
            code=app.at(later),
            browser_nonce="b",
            client_ip="10.0.0.1",
            now=later,
        )

    results = all_at_once(engine, [answer] * 4)

    assert sum(result.grant_code is not None for result in results) == 1
    assert Counter(result.outcome for result in results) == {CodeOutcome.ACCEPTED: 1, CodeOutcome.EXPIRED: 3}
    # None of the three counted as a wrong guess.
    with Session(engine) as session:
        assert not session.exec(select(SecondStepAttempt).where(SecondStepAttempt.succeeded == False)).all()  # noqa: E712


def test_a_sign_in_answered_four_times_at_once_signs_in_once_on_sqlite(sqlite_file_engine, all_at_once):
    _one_sign_in_answered_four_times_at_once_signs_in_once(sqlite_file_engine, all_at_once)


@pytest.mark.postgres
def test_a_sign_in_answered_four_times_at_once_signs_in_once_on_postgresql(postgres_engine, all_at_once):
    _one_sign_in_answered_four_times_at_once_signs_in_once(postgres_engine, all_at_once)
