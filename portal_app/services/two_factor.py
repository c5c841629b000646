"""Authenticator apps and recovery codes: who needs a second step, enrolment, using a code once.

The secret stays in the database; it is shown to its person only while they set the app up (as
a QR code and as text), never again. Recovery codes are kept only as hashes and each works once
(compare-and-set on ``used_at``); an app code works once too (``last_used_step``).

Nothing here throttles: ``services.second_step`` counts guesses before calling ``use_code``.
"""

from __future__ import annotations

import enum
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
from sqlalchemy import delete, or_, update
from sqlmodel import Session, col, func, select

from portal_app.domain.one_time_codes import (
    RECOVERY_ALPHABET,
    RECOVERY_CODE_COUNT,
    RECOVERY_CODE_LENGTH,
    grouped_recovery_code,
    grouped_secret,
    is_recovery_code,
    matching_step,
    provisioning_uri,
    qr_code_image,
    typed_code,
)
from portal_app.domain.vocabulary import Role
from portal_app.models import Practice, RecoveryCode, SignInChallenge, TwoFactorCredential, User

CHALLENGE_LIFETIME = timedelta(minutes=10)


class SecondStep(enum.StrEnum):
    """What a sign-in whose password was right still needs."""

    CODE = "code"
    ENROL = "enrol"


@dataclass(frozen=True)
class Enrolment:
    """What a person needs to add the portal to their authenticator app."""

    secret: str
    qr_image: str
    account: str


@dataclass(frozen=True)
class TwoFactorStatus:
    """Whether a person uses an app, whether their practice requires it, recovery codes left."""

    enabled: bool
    required: bool
    recovery_codes_left: int


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _code_hash(user_id: int, code: str) -> str:
    return _digest(f"{user_id}:{code}")


def _confirmed(session: Session, user_id: int) -> TwoFactorCredential | None:
    return session.exec(
        select(TwoFactorCredential).where(
            TwoFactorCredential.user_id == user_id, col(TwoFactorCredential.confirmed_at).is_not(None)
        )
    ).first()


def required_for(session: Session, user: User) -> bool:
    """Whether ``user``'s practice requires two-factor of them (staff, when the practice says so)."""
    if user.role == Role.CLIENT or user.practice_id is None:
        return False
    practice = session.get(Practice, user.practice_id)
    return bool(practice and practice.staff_two_factor_required)


def second_step_needed(session: Session, *, user_id: int) -> SecondStep | None:
    """What a sign-in of ``user_id`` needs after the password: a code, enrolment, or nothing."""
    if _confirmed(session, user_id) is not None:
        return SecondStep.CODE
    user = session.get(User, user_id)
    if user is not None and required_for(session, user):
        return SecondStep.ENROL
    return None


def new_challenge(
    session: Session, *, user_id: int, step: SecondStep, client_ip: str, browser_nonce: str, now: datetime
) -> str:
    """Record a sign-in waiting for its second step, bound to the browser; its token is returned once."""
    token = secrets.token_urlsafe(32)
    session.add(
        SignInChallenge(
            user_id=user_id,
            token_hash=_digest(token),
            browser_hash=_digest(browser_nonce),
            client_ip=client_ip,
            enrolling=step == SecondStep.ENROL,
            expires_at=now + CHALLENGE_LIFETIME,
        )
    )
    return token


def status(session: Session, *, user_id: int) -> TwoFactorStatus:
    """A person's two-factor status, for their security page."""
    user = session.get(User, user_id)
    left = session.exec(
        select(func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user_id, col(RecoveryCode.used_at).is_(None))
    ).one()
    return TwoFactorStatus(
        enabled=_confirmed(session, user_id) is not None,
        required=user is not None and required_for(session, user),
        recovery_codes_left=left,
    )


def start_enrolment(session: Session, *, user_id: int, now: datetime) -> Enrolment | None:
    """The secret to add to an app: the one waiting for its first code, else a new one.

    None when the person already uses an app (turn it off first) or is unknown. Flushed, not
    committed: the caller commits.
    """
    user = session.get(User, user_id)
    if user is None or _confirmed(session, user_id) is not None:
        return None
    credential = session.exec(
        select(TwoFactorCredential).where(TwoFactorCredential.user_id == user_id)
    ).first()
    if credential is None:
        credential = TwoFactorCredential(user_id=user_id, secret=pyotp.random_base32(), created_at=now)
        session.add(credential)
        session.flush()
    practice = session.get(Practice, user.practice_id) if user.practice_id else None
    issuer = practice.name if practice else "Client Portal"
    uri = provisioning_uri(credential.secret, account=user.email, issuer=issuer)
    return Enrolment(
        secret=grouped_secret(credential.secret), qr_image=qr_code_image(uri), account=user.email
    )


def use_code(session: Session, *, user_id: int, text: str, now: datetime, pending: bool = False) -> bool:
    """Whether ``text`` is a right code for ``user_id``, using it up (nothing committed here).

    Args:
        session: The caller's transaction.
        user_id: Whose code.
        text: As typed: an app's six digits, or (unless ``pending``) a recovery code.
        now: The current instant.
        pending: Check against the app being set up (not yet confirmed) instead of the confirmed one.
    """
    code = typed_code(text)
    credential = session.exec(
        select(TwoFactorCredential).where(
            TwoFactorCredential.user_id == user_id,
            col(TwoFactorCredential.confirmed_at).is_(None)
            if pending
            else col(TwoFactorCredential.confirmed_at).is_not(None),
        )
    ).first()
    if credential is None:
        return False
    step = matching_step(credential.secret, code, now=now, after_step=credential.last_used_step)
    if step is not None:
        # Two requests with the same code at once: only one moves the step on.
        claimed = session.exec(
            update(TwoFactorCredential)
            .where(
                col(TwoFactorCredential.id) == credential.id,
                or_(
                    col(TwoFactorCredential.last_used_step).is_(None),
                    col(TwoFactorCredential.last_used_step) < step,
                ),
            )
            .values(last_used_step=step)
        )
        return claimed.rowcount == 1
    if pending or not is_recovery_code(code):
        return False
    claimed = session.exec(
        update(RecoveryCode)
        .where(
            col(RecoveryCode.user_id) == user_id,
            col(RecoveryCode.code_hash) == _code_hash(user_id, code),
            col(RecoveryCode.used_at).is_(None),
        )
        .values(used_at=now)
    )
    return claimed.rowcount == 1


def confirm_enrolment(session: Session, *, user_id: int, now: datetime) -> tuple[str, ...]:
    """Turn the app being set up on, and give the person new recovery codes (shown once)."""
    session.exec(
        update(TwoFactorCredential)
        .where(col(TwoFactorCredential.user_id) == user_id, col(TwoFactorCredential.confirmed_at).is_(None))
        .values(confirmed_at=now)
    )
    return new_recovery_codes(session, user_id=user_id)


def new_recovery_codes(session: Session, *, user_id: int) -> tuple[str, ...]:
    """Replace ``user_id``'s recovery codes with new ones; only their hashes are kept."""
    session.exec(delete(RecoveryCode).where(col(RecoveryCode.user_id) == user_id))
    codes = tuple(
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
        for _ in range(RECOVERY_CODE_COUNT)
    )
    for code in codes:
        session.add(RecoveryCode(user_id=user_id, code_hash=_code_hash(user_id, code)))
    return tuple(grouped_recovery_code(code) for code in codes)


def remove(session: Session, *, user_id: int) -> None:
    """Turn two-factor off for ``user_id``: the app's secret and the recovery codes are deleted."""
    session.exec(delete(RecoveryCode).where(col(RecoveryCode.user_id) == user_id))
    session.exec(delete(TwoFactorCredential).where(col(TwoFactorCredential.user_id) == user_id))
