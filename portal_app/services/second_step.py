"""The second step of signing in (a code from an authenticator app, or a recovery code), and the
personal security page's changes; every code typed is counted against a per-account limit.

A sign-in whose password was right gets a ``SignInChallenge`` instead of a sign-in code
(``services.auth.sign_in``). Only the browser that typed the password may answer it, within
``CHALLENGE_LIFETIME``; a right code turns it into the usual one-time sign-in code, once.

Codes are throttled like passwords: at most ``MAX_CODE_FAILURES`` wrong codes per account in
``THROTTLE_WINDOW``, counted and recorded in one transaction serialised per account, so parallel
guesses cannot slip past the limit (SQLite: the write lock; PostgreSQL: an advisory lock).
"""

from __future__ import annotations

import enum
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, func, select

from portal_app.domain.vocabulary import Role, SettingSubject
from portal_app.models import Clinician, SecondStepAttempt, SignInChallenge, User
from portal_app.services import two_factor
from portal_app.services.account_results import AccountOutcome, AccountResult
from portal_app.services.accounts import practice_admins
from portal_app.services.auth import THROTTLE_WINDOW, issue_grant, lock_throttle_keys, revoke_user_sessions
from portal_app.services.setting_history import record_changes
from portal_app.services.two_factor import CHALLENGE_LIFETIME, Enrolment

MAX_CODE_FAILURES = 5


class CodeOutcome(enum.StrEnum):
    """What typing a code did."""

    ACCEPTED = "accepted"
    WRONG = "wrong"
    THROTTLED = "throttled"
    # The sign-in waiting for this code is over (expired, used, or another browser's).
    EXPIRED = "expired"
    # Two-factor cannot be turned off: the practice requires it of staff.
    REQUIRED = "required"
    # Nothing to confirm or turn off (already on, or already off).
    NOTHING_TO_DO = "nothing_to_do"


@dataclass(frozen=True)
class StepView:
    """What the second-step page shows for a waiting sign-in (None fields when it is over)."""

    live: bool
    enrolling: bool = False
    name: str = ""
    enrolment: Enrolment | None = None


@dataclass(frozen=True)
class CodeResult:
    """The outcome; a sign-in code when the sign-in may go on; recovery codes to show once."""

    outcome: CodeOutcome
    grant_code: str | None = None
    recovery_codes: tuple[str, ...] = ()


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def lock_account(session: Session, *, user_id: int, client_ip: str) -> None:
    """Serialise code checks on one account, before anything about it is read.

    So two requests with the same code at once are answered as one after the other: the second
    sees the first's outcome (a used code, two-factor already off) rather than counting as a
    wrong guess. PostgreSQL: advisory locks held to the end of the transaction (taken again by
    ``checked_code``, which is harmless); SQLite: the session's ``BEGIN IMMEDIATE``.
    """
    lock_throttle_keys(session, email=f"user {user_id}", client_ip=client_ip, scope="second-step")


def checked_code(
    session: Session, *, user_id: int, text: str, client_ip: str, now: datetime, pending: bool = False
) -> CodeOutcome:
    """Check a typed code for ``user_id`` within the limit, recording the attempt (not committed).

    Returns ``ACCEPTED`` (the code is now used up), ``WRONG`` or ``THROTTLED`` (not even checked).
    """
    lock_account(session, user_id=user_id, client_ip=client_ip)
    failures = session.exec(
        select(func.count())
        .select_from(SecondStepAttempt)
        .where(
            SecondStepAttempt.user_id == user_id,
            SecondStepAttempt.succeeded == False,  # noqa: E712
            col(SecondStepAttempt.attempted_at) > now - THROTTLE_WINDOW,
        )
    ).one()
    if failures >= MAX_CODE_FAILURES:
        return CodeOutcome.THROTTLED
    accepted = two_factor.use_code(session, user_id=user_id, text=text, now=now, pending=pending)
    session.add(SecondStepAttempt(user_id=user_id, client_ip=client_ip, succeeded=accepted, attempted_at=now))
    return CodeOutcome.ACCEPTED if accepted else CodeOutcome.WRONG


def _live_challenge(
    session: Session, *, token: str, browser_nonce: str, now: datetime
) -> SignInChallenge | None:
    if not token or not browser_nonce:
        return None
    challenge = session.exec(
        select(SignInChallenge).where(SignInChallenge.token_hash == _digest(token))
    ).first()
    if (
        challenge is None
        or challenge.used_at is not None
        or challenge.expires_at <= now
        or not hmac.compare_digest(challenge.browser_hash, _digest(browser_nonce))
    ):
        return None
    return challenge


def step_view(*, session: Session, token: str, browser_nonce: str, now: datetime) -> StepView:
    """What the waiting sign-in needs; for enrolment, the app's secret (created if need be)."""
    challenge = _live_challenge(session, token=token, browser_nonce=browser_nonce, now=now)
    user = session.get(User, challenge.user_id) if challenge else None
    if challenge is None or user is None or not user.is_active:
        return StepView(live=False)
    enrolment = None
    if challenge.enrolling and challenge.verified_at is None:
        enrolment = two_factor.start_enrolment(session, user_id=challenge.user_id, now=now)
        session.commit()
    return StepView(live=True, enrolling=challenge.enrolling, name=user.display_name, enrolment=enrolment)


def answer_challenge(
    *, session: Session, token: str, code: str, browser_nonce: str, client_ip: str, now: datetime
) -> CodeResult:
    """Check the code a waiting sign-in was asked for.

    Signing in with an app: a right app or recovery code gives the one-time sign-in code.
    Setting an app up: a right code from the new app turns it on and gives recovery codes to
    show; ``finish_enrolled_sign_in`` then gives the sign-in code, once they are saved.

    Args:
        session: Opened ``for_writing``; committed here.
        token: The challenge, as ``sign_in`` returned it.
        code: As typed.
        browser_nonce: The browser's binding secret (the one the password was typed in).
        client_ip: Where the code came from.
        now: The current instant.
    """
    challenge = _live_challenge(session, token=token, browser_nonce=browser_nonce, now=now)
    if challenge is not None:
        lock_account(session, user_id=challenge.user_id, client_ip=client_ip)
        # Read again under the lock: the same code sent twice finds the challenge answered.
        session.refresh(challenge)
    if challenge is None or challenge.used_at is not None or challenge.verified_at is not None:
        return CodeResult(CodeOutcome.EXPIRED)
    user_id = challenge.user_id
    outcome = checked_code(
        session, user_id=user_id, text=code, client_ip=client_ip, now=now, pending=challenge.enrolling
    )
    if outcome != CodeOutcome.ACCEPTED:
        session.commit()
        return CodeResult(outcome)
    if challenge.enrolling:
        recovery_codes = two_factor.confirm_enrolment(session, user_id=user_id, now=now)
        challenge.verified_at = now
        challenge.expires_at = now + CHALLENGE_LIFETIME
        session.add(challenge)
        session.commit()
        return CodeResult(CodeOutcome.ACCEPTED, recovery_codes=recovery_codes)
    grant = _grant_once(session, challenge, browser_nonce=browser_nonce, client_ip=client_ip, now=now)
    session.commit()
    return CodeResult(CodeOutcome.ACCEPTED if grant else CodeOutcome.EXPIRED, grant_code=grant)


def finish_enrolled_sign_in(
    *, session: Session, token: str, browser_nonce: str, client_ip: str, now: datetime
) -> str | None:
    """The sign-in code for a sign-in whose new app was confirmed (None if it is over)."""
    challenge = _live_challenge(session, token=token, browser_nonce=browser_nonce, now=now)
    if challenge is None or challenge.verified_at is None:
        return None
    grant = _grant_once(session, challenge, browser_nonce=browser_nonce, client_ip=client_ip, now=now)
    session.commit()
    return grant


def _grant_once(
    session: Session, challenge: SignInChallenge, *, browser_nonce: str, client_ip: str, now: datetime
) -> str | None:
    # Compare-and-set: a challenge answered twice at once signs in once.
    claimed = session.exec(
        update(SignInChallenge)
        .where(col(SignInChallenge.id) == challenge.id, col(SignInChallenge.used_at).is_(None))
        .values(used_at=now)
    )
    if claimed.rowcount != 1:
        return None
    return issue_grant(
        session, user_id=challenge.user_id, client_ip=client_ip, browser_nonce=browser_nonce, now=now
    )


def security_status(*, session: Session, user_id: int) -> two_factor.TwoFactorStatus:
    """A person's two-factor status, for their security page."""
    return two_factor.status(session, user_id=user_id)


def begin_own_enrolment(*, session: Session, user_id: int, now: datetime) -> Enrolment | None:
    """From the security page: the secret of the app being set up (None when one is already on)."""
    enrolment = two_factor.start_enrolment(session, user_id=user_id, now=now)
    session.commit()
    return enrolment


def confirm_own_enrolment(
    *, session: Session, user_id: int, code: str, client_ip: str, now: datetime
) -> CodeResult:
    """From the security page: a right code from the new app turns two-factor on (committed)."""
    lock_account(session, user_id=user_id, client_ip=client_ip)
    if two_factor.status(session, user_id=user_id).enabled:
        return CodeResult(CodeOutcome.NOTHING_TO_DO)
    outcome = checked_code(session, user_id=user_id, text=code, client_ip=client_ip, now=now, pending=True)
    recovery_codes = (
        two_factor.confirm_enrolment(session, user_id=user_id, now=now)
        if outcome == CodeOutcome.ACCEPTED
        else ()
    )
    session.commit()
    return CodeResult(outcome, recovery_codes=recovery_codes)


def turn_off(*, session: Session, user_id: int, code: str, client_ip: str, now: datetime) -> CodeOutcome:
    """From the security page: a right app or recovery code turns two-factor off (committed).

    Refused for staff whose practice requires two-factor.
    """
    lock_account(session, user_id=user_id, client_ip=client_ip)
    state = two_factor.status(session, user_id=user_id)
    if not state.enabled:
        return CodeOutcome.NOTHING_TO_DO
    if state.required:
        return CodeOutcome.REQUIRED
    outcome = checked_code(session, user_id=user_id, text=code, client_ip=client_ip, now=now)
    if outcome == CodeOutcome.ACCEPTED:
        two_factor.remove(session, user_id=user_id)
    session.commit()
    return outcome


def reset_two_factor(
    *, session: Session, practice_id: int, actor_user_id: int, clinician_id: int, now: datetime
) -> AccountResult:
    """An admin turns a clinician's two-factor off (a lost phone and lost recovery codes).

    Their sessions end at once; the change is audited with the clinician's profile. An admin's
    own is turned off from their security page, with a code. Committed here.
    """
    clinician = session.get(Clinician, clinician_id)
    user = session.get(User, clinician.user_id) if clinician else None
    if clinician is None or clinician.practice_id != practice_id or user is None or user.id is None:
        return AccountResult(AccountOutcome.NOT_FOUND)
    if user.id == actor_user_id:
        return AccountResult(AccountOutcome.NOT_YOURSELF)
    admin = session.get(User, actor_user_id)
    if admin is None or admin.role != Role.ADMIN or admin.practice_id != practice_id:
        return AccountResult(AccountOutcome.NOT_FOUND)
    if not two_factor.status(session, user_id=user.id).enabled:
        return AccountResult(AccountOutcome.NOT_FOUND, name=clinician.display_name)
    two_factor.remove(session, user_id=user.id)
    revoke_user_sessions(session=session, user_id=user.id, now=now)
    record_changes(
        session,
        practice_id=practice_id,
        actor_user_id=actor_user_id,
        subject=SettingSubject.CLINICIAN,
        subject_id=clinician_id,
        subject_name=clinician.display_name,
        before={"two_factor": True},
        after={"two_factor": False},
        now=now,
    )
    session.commit()
    return AccountResult(
        AccountOutcome.TWO_FACTOR_RESET,
        name=clinician.display_name,
        concerns=practice_admins(session=session, practice_id=practice_id),
    )
