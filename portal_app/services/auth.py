"""Sign-in, server-side sessions and throttling."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, update
from sqlmodel import Session, select

from portal_app.domain.vocabulary import Role
from portal_app.models import Client, Clinician, LoginAttempt, LoginGrant, Practice, User, UserSession
from portal_app.services.passwords import hash_password, needs_rehash, verify_password

SESSION_LIFETIME = timedelta(hours=12)
GRANT_LIFETIME = timedelta(seconds=60)
THROTTLE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20

WRONG_CREDENTIALS = "That email and password don't match our records."
THROTTLED = "Too many sign-in attempts. Please wait 15 minutes and try again."


@dataclass(frozen=True)
class Viewer:
    """Who is signed in, as the server knows it."""

    user_id: int
    role: Role
    display_name: str
    practice_id: int | None
    practice_name: str = ""
    practice_zone: str = "UTC"
    client_id: int | None = None
    clinician_id: int | None = None
    time_zone: str | None = None

    @property
    def is_complete(self) -> bool:
        """Whether the records the role acts through exist (a client's, a clinician's, a practice)."""
        if self.role == Role.CLIENT:
            return self.client_id is not None and self.practice_id is not None
        if self.role == Role.CLINICIAN:
            return self.clinician_id is not None and self.practice_id is not None
        return self.practice_id is not None

    @property
    def clinician_scope(self) -> int | None:
        """Whose appointments a staff member acts on: their own, or everyone's (None) for an admin."""
        return None if self.role == Role.ADMIN else self.clinician_id


@dataclass(frozen=True)
class SignInResult:
    """The answer to a sign-in attempt: a one-time code, or a message for the person."""

    grant_code: str | None = None
    error: str | None = None


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def normalize_email(email: str) -> str:
    """Emails compare case-insensitively and without surrounding spaces."""
    return email.strip().lower()


def _recent_failures(session: Session, *, now: datetime, **match) -> int:
    query = (
        select(func.count())
        .select_from(LoginAttempt)
        .where(
            LoginAttempt.succeeded == False,  # noqa: E712
            LoginAttempt.attempted_at > now - THROTTLE_WINDOW,
        )
    )
    for column, value in match.items():
        query = query.where(getattr(LoginAttempt, column) == value)
    return session.exec(query).one()


def sign_in(*, session: Session, email: str, password: str, client_ip: str, now: datetime) -> SignInResult:
    """Check a password and, when right and not throttled, issue a one-time sign-in code.

    The same message answers an unknown email and a wrong password. Throttling counts failures
    per account and per address over a sliding window, and applies before the password is read,
    so a throttled guesser learns nothing even with the right password.

    Args:
        session: Database session; committed here.
        email: As typed.
        password: As typed.
        client_ip: The address the attempt came from.
        now: The current instant.

    Returns:
        A grant code to exchange for a cookie, or an error message.
    """
    email = normalize_email(email)
    if (
        _recent_failures(session, now=now, email=email) >= MAX_FAILURES_PER_ACCOUNT
        or _recent_failures(session, now=now, client_ip=client_ip) >= MAX_FAILURES_PER_ADDRESS
    ):
        return SignInResult(error=THROTTLED)
    user = session.exec(select(User).where(User.email == email)).first()
    valid = verify_password(password, user.password_hash if user else None)
    succeeded = bool(valid and user and user.is_active)
    session.add(LoginAttempt(email=email, client_ip=client_ip, succeeded=succeeded, attempted_at=now))
    if not succeeded:
        session.commit()
        return SignInResult(error=WRONG_CREDENTIALS)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    code = secrets.token_urlsafe(32)
    session.add(
        LoginGrant(
            user_id=user.id,
            code_hash=_digest(code),
            expires_at=now + GRANT_LIFETIME,
            client_ip=client_ip,
        )
    )
    session.commit()
    return SignInResult(grant_code=code)


def redeem_grant(*, session: Session, code: str, client_ip: str, now: datetime) -> str | None:
    """Exchange a one-time code for a new session token (returned once, stored hashed).

    The code is consumed with a compare-and-set, so a replayed or raced code yields nothing.
    """
    grant = session.exec(select(LoginGrant).where(LoginGrant.code_hash == _digest(code))).first()
    if grant is None or grant.expires_at <= now:
        return None
    claimed = session.execute(
        update(LoginGrant).where(LoginGrant.id == grant.id, LoginGrant.used_at.is_(None)).values(used_at=now)
    )
    if claimed.rowcount != 1:
        session.rollback()
        return None
    token = secrets.token_urlsafe(32)
    session.add(
        UserSession(
            user_id=grant.user_id,
            token_hash=_digest(token),
            expires_at=now + SESSION_LIFETIME,
            client_ip=client_ip,
            created_at=now,
        )
    )
    session.commit()
    return token


def viewer_for_token(*, session: Session, token: str | None, now: datetime) -> Viewer | None:
    """The signed-in person behind a session token, or None if it is unknown, expired or revoked."""
    if not token:
        return None
    row = session.exec(
        select(UserSession, User)
        .join(User, User.id == UserSession.user_id)
        .where(UserSession.token_hash == _digest(token))
    ).first()
    if row is None:
        return None
    user_session, user = row
    if user_session.revoked_at is not None or user_session.expires_at <= now or not user.is_active:
        return None
    client_id = clinician_id = None
    if user.role == Role.CLIENT:
        client_id = session.exec(select(Client.id).where(Client.user_id == user.id)).first()
    else:
        clinician_id = session.exec(select(Clinician.id).where(Clinician.user_id == user.id)).first()
    practice = session.get(Practice, user.practice_id) if user.practice_id else None
    return Viewer(
        user_id=user.id,
        role=user.role,
        display_name=user.display_name,
        practice_id=user.practice_id,
        practice_name=practice.name if practice else "",
        practice_zone=practice.time_zone if practice else "UTC",
        client_id=client_id,
        clinician_id=clinician_id,
        time_zone=user.time_zone,
    )


def revoke_session(*, session: Session, token: str | None, now: datetime) -> None:
    """End a session at once; its token is refused from the next event on."""
    if not token:
        return
    session.execute(
        update(UserSession)
        .where(UserSession.token_hash == _digest(token), UserSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    session.commit()


def remember_time_zone(*, session: Session, user_id: int, zone: str) -> None:
    """Keep the zone a person's browser reported, for emails sent while they are away."""
    session.execute(update(User).where(User.id == user_id).values(time_zone=zone))
    session.commit()
