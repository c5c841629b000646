"""Two-factor sign-in at the service level: enrolment, codes used once, throttling, recovery codes."""

from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from sqlmodel import select

from portal_app.domain.one_time_codes import STEP_SECONDS
from portal_app.domain.vocabulary import Role
from portal_app.models import Clinician, RecoveryCode, SettingChange, TwoFactorCredential
from portal_app.services import auth, second_step, two_factor
from portal_app.services.account_results import AccountOutcome
from portal_app.services.passwords import hash_password
from portal_app.services.second_step import CodeOutcome
from tests.factories import make_practice, make_user

# The start of a 30-second step, so "the next step" is exactly STEP_SECONDS on.
NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
PASSWORD = "a long enough password"
BROWSER = "this browser's secret"
IP = "10.0.0.1"


@pytest.fixture
def practice(db_session):
    return make_practice(db_session)


def _person(db_session, practice, role=Role.CLINICIAN, email="robin@example.org"):
    return make_user(
        db_session, email=email, role=role, password_hash=hash_password(PASSWORD), practice_id=practice.id
    )


def _sign_in(db_session, email="robin@example.org", now=NOW, browser=BROWSER):
    return auth.sign_in(
        session=db_session, email=email, password=PASSWORD, client_ip=IP, browser_nonce=browser, now=now
    )


def _answer(db_session, challenge, code, now=NOW, browser=BROWSER):
    return second_step.answer_challenge(
        session=db_session, token=challenge, code=code, browser_nonce=browser, client_ip=IP, now=now
    )


def _secret(db_session, user) -> str:
    return (
        db_session.exec(select(TwoFactorCredential).where(TwoFactorCredential.user_id == user.id))
        .one()
        .secret
    )


def _enrolled(db_session, user, now=NOW) -> tuple[pyotp.TOTP, tuple[str, ...]]:
    """Turn two-factor on from the security page; the app, and the recovery codes shown once."""
    enrolment = second_step.begin_own_enrolment(session=db_session, user_id=user.id, now=now)
    app = pyotp.TOTP(enrolment.secret.replace(" ", ""))
    assert app.secret == _secret(db_session, user)
    result = second_step.confirm_own_enrolment(
        session=db_session, user_id=user.id, code=app.at(now), client_ip=IP, now=now
    )
    assert result.outcome == CodeOutcome.ACCEPTED
    return app, result.recovery_codes


def test_without_two_factor_the_password_alone_signs_in(db_session, practice):
    _person(db_session, practice)
    result = _sign_in(db_session)
    assert result.grant_code is not None
    assert result.challenge is None


def test_enrolment_shows_a_qr_code_and_the_secret_and_asks_for_a_code(db_session, practice):
    user = _person(db_session, practice)
    enrolment = second_step.begin_own_enrolment(session=db_session, user_id=user.id, now=NOW)

    assert enrolment.qr_image.startswith("data:image/svg+xml")
    assert enrolment.secret.replace(" ", "") == _secret(db_session, user)
    # Shown again unchanged (a reload) until it is confirmed; not on yet.
    again = second_step.begin_own_enrolment(session=db_session, user_id=user.id, now=NOW)
    assert again.secret == enrolment.secret
    assert not second_step.security_status(session=db_session, user_id=user.id).enabled
    assert _sign_in(db_session).grant_code is not None

    wrong = second_step.confirm_own_enrolment(
        session=db_session, user_id=user.id, code="000000", client_ip=IP, now=NOW
    )
    assert wrong.outcome == CodeOutcome.WRONG
    assert wrong.recovery_codes == ()
    _, codes = _enrolled(db_session, user)
    assert len(codes) == 10
    assert len(set(codes)) == 10
    status = second_step.security_status(session=db_session, user_id=user.id)
    assert status.enabled
    assert status.recovery_codes_left == 10
    # Only hashes are kept.
    stored = db_session.exec(select(RecoveryCode.code_hash)).all()
    assert not {code.replace("-", "") for code in codes} & set(stored)


def test_with_an_app_the_password_leads_to_a_code_and_the_code_to_a_session(db_session, practice):
    user = _person(db_session, practice)
    app, _ = _enrolled(db_session, user)

    result = _sign_in(db_session, now=NOW + timedelta(seconds=STEP_SECONDS))
    assert result.grant_code is None
    assert result.challenge is not None
    later = NOW + timedelta(seconds=STEP_SECONDS)
    answer = _answer(db_session, result.challenge, app.at(later), now=later)
    assert answer.outcome == CodeOutcome.ACCEPTED
    token = auth.redeem_grant(
        session=db_session, code=answer.grant_code, browser_nonce=BROWSER, client_ip=IP, now=later
    )
    assert auth.viewer_for_token(session=db_session, token=token, now=later).user_id == user.id
    # The challenge is spent.
    assert _answer(db_session, result.challenge, app.at(later), now=later).outcome == CodeOutcome.EXPIRED


def test_a_used_code_cannot_be_used_again_within_its_window(db_session, practice):
    user = _person(db_session, practice)
    app, _ = _enrolled(db_session, user)
    # The enrolment's code was this step's: it is spent, at sign-in too, while it is still valid.
    first = _sign_in(db_session).challenge
    assert _answer(db_session, first, app.at(NOW)).outcome == CodeOutcome.WRONG

    next_step = NOW + timedelta(seconds=STEP_SECONDS)
    assert _answer(db_session, first, app.at(next_step), now=next_step).outcome == CodeOutcome.ACCEPTED
    second = _sign_in(db_session, now=next_step + timedelta(seconds=5)).challenge
    replay = _answer(db_session, second, app.at(next_step), now=next_step + timedelta(seconds=5))
    assert replay.outcome == CodeOutcome.WRONG
    # A code from before the last one used is refused too, even inside the drift allowed.
    assert _answer(db_session, second, app.at(NOW), now=next_step + timedelta(seconds=5)).outcome == "wrong"


def test_a_code_from_a_step_either_side_is_accepted_but_not_older(db_session, practice):
    user = _person(db_session, practice)
    app, _ = _enrolled(db_session, user, now=NOW - timedelta(minutes=10))
    challenge = _sign_in(db_session).challenge
    assert (
        _answer(db_session, challenge, app.at(NOW - timedelta(seconds=2 * STEP_SECONDS))).outcome == "wrong"
    )
    assert _answer(db_session, challenge, app.at(NOW - timedelta(seconds=STEP_SECONDS))).outcome == "accepted"


def test_recovery_codes_work_once_each(db_session, practice):
    user = _person(db_session, practice)
    _, codes = _enrolled(db_session, user)

    first = _sign_in(db_session).challenge
    assert _answer(db_session, first, codes[0].upper()).outcome == CodeOutcome.ACCEPTED
    second = _sign_in(db_session).challenge
    assert _answer(db_session, second, codes[0]).outcome == CodeOutcome.WRONG
    assert _answer(db_session, second, codes[1].replace("-", " ")).outcome == CodeOutcome.ACCEPTED
    assert second_step.security_status(session=db_session, user_id=user.id).recovery_codes_left == 8


def test_wrong_codes_are_throttled_per_account_even_the_right_one(db_session, practice):
    user = _person(db_session, practice)
    app, codes = _enrolled(db_session, user)
    challenge = _sign_in(db_session).challenge
    for guess in range(second_step.MAX_CODE_FAILURES):
        assert _answer(db_session, challenge, f"{guess:06d}").outcome == CodeOutcome.WRONG
    # A new sign-in (password right again) does not reset the count.
    challenge = _sign_in(db_session).challenge
    assert _answer(db_session, challenge, codes[0]).outcome == CodeOutcome.THROTTLED
    assert second_step.security_status(session=db_session, user_id=user.id).recovery_codes_left == 10

    after = NOW + auth.THROTTLE_WINDOW + timedelta(seconds=1)
    challenge = _sign_in(db_session, now=after).challenge
    assert _answer(db_session, challenge, app.at(after), now=after).outcome == CodeOutcome.ACCEPTED


def test_a_challenge_works_only_in_its_browser_and_until_it_expires(db_session, practice):
    user = _person(db_session, practice)
    app, _ = _enrolled(db_session, user)
    challenge = _sign_in(db_session).challenge
    step = NOW + timedelta(seconds=STEP_SECONDS)
    assert _answer(db_session, challenge, app.at(step), now=step, browser="another").outcome == "expired"
    late = NOW + two_factor.CHALLENGE_LIFETIME + timedelta(seconds=1)
    assert _answer(db_session, challenge, app.at(late), now=late).outcome == CodeOutcome.EXPIRED


def test_staff_must_enrol_at_sign_in_when_the_practice_requires_it(db_session, practice):
    user = _person(db_session, practice)
    client = _person(db_session, practice, role=Role.CLIENT, email="client@example.com")
    practice.staff_two_factor_required = True
    db_session.add(practice)
    db_session.commit()

    assert _sign_in(db_session, email=client.email).grant_code is not None
    challenge = _sign_in(db_session).challenge
    view = second_step.step_view(session=db_session, token=challenge, browser_nonce=BROWSER, now=NOW)
    assert view.live
    assert view.enrolling
    assert view.enrolment is not None
    app = pyotp.TOTP(view.enrolment.secret.replace(" ", ""))
    # Before the app is confirmed, the sign-in cannot go on.
    args = {"session": db_session, "token": challenge, "browser_nonce": BROWSER, "client_ip": IP, "now": NOW}
    assert second_step.finish_enrolled_sign_in(**args) is None

    answer = _answer(db_session, challenge, app.at(NOW))
    assert answer.outcome == CodeOutcome.ACCEPTED
    assert answer.grant_code is None
    assert len(answer.recovery_codes) == 10
    grant = second_step.finish_enrolled_sign_in(**args)
    assert grant is not None
    assert second_step.finish_enrolled_sign_in(**args) is None
    # Staff cannot turn it off while the practice requires it.
    step = NOW + timedelta(seconds=STEP_SECONDS)
    outcome = second_step.turn_off(
        session=db_session, user_id=user.id, code=app.at(step), client_ip=IP, now=step
    )
    assert outcome == CodeOutcome.REQUIRED


def test_turning_off_needs_a_right_code(db_session, practice):
    user = _person(db_session, practice, role=Role.CLIENT, email="client@example.com")
    _, codes = _enrolled(db_session, user)
    turn_off = {"session": db_session, "user_id": user.id, "client_ip": IP, "now": NOW}
    assert second_step.turn_off(code="123456", **turn_off) == CodeOutcome.WRONG
    assert second_step.turn_off(code=codes[3], **turn_off) == CodeOutcome.ACCEPTED
    assert db_session.exec(select(RecoveryCode)).all() == []
    assert db_session.exec(select(TwoFactorCredential)).all() == []
    assert _sign_in(db_session, email="client@example.com").grant_code is not None


def test_only_an_admin_of_the_practice_resets_someone_else_s_two_factor(db_session, practice):
    user = _person(db_session, practice)
    clinician = Clinician(practice_id=practice.id, user_id=user.id, display_name="Robin", slug="robin")
    admin = _person(db_session, practice, role=Role.ADMIN, email="office@example.org")
    other = make_practice(db_session, name="Elsewhere")
    stranger = _person(db_session, other, role=Role.ADMIN, email="admin@elsewhere.org")
    db_session.add(clinician)
    db_session.commit()
    _enrolled(db_session, user)
    reset = {"session": db_session, "clinician_id": clinician.id, "now": NOW}

    refused = second_step.reset_two_factor(practice_id=other.id, actor_user_id=stranger.id, **reset)
    assert refused.outcome == AccountOutcome.NOT_FOUND
    own = second_step.reset_two_factor(practice_id=practice.id, actor_user_id=user.id, **reset)
    assert own.outcome == AccountOutcome.NOT_YOURSELF
    assert second_step.security_status(session=db_session, user_id=user.id).enabled

    done = second_step.reset_two_factor(practice_id=practice.id, actor_user_id=admin.id, **reset)
    assert done.outcome == AccountOutcome.TWO_FACTOR_RESET
    assert not second_step.security_status(session=db_session, user_id=user.id).enabled
    audit = db_session.exec(select(SettingChange)).one()
    assert (audit.field, audit.from_value, audit.to_value, audit.actor_user_id) == (
        "two_factor",
        "on",
        "off",
        admin.id,
    )
