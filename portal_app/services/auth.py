"""Sign-in, server-side sessions and throttling."""

from __future__ import annotations

import enum
import hashlib
import hmac
import os
import random
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Row, and_, func, text, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from portal_app.domain.accounts import normalize_email
from portal_app.domain.vocabulary import Role
from portal_app.models import Client, Clinician, LoginAttempt, LoginGrant, Practice, User, UserSession
from portal_app.services.passwords import hash_password, needs_rehash, verify_password
from portal_app.services.stored_rows import stored_id
from portal_app.services.two_factor import new_challenge, second_step_needed

SESSION_LIFETIME = timedelta(hours=12)
GRANT_LIFETIME = timedelta(seconds=60)
THROTTLE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20
# A password check takes well under a second; one still "running" after this never finished.
CHECK_TIMEOUT = timedelta(minutes=1)
# A staff session's last activity is written at most this often (not on every event): the idle
# time is enforced to within this much.
ACTIVITY_RESOLUTION = timedelta(seconds=30)
# How long a sign-in waits for running checks to finish when they alone fill the limit.
CHECK_QUEUE_WAIT = timedelta(seconds=30)
# Password hashes running at once in this process. Argon2 keeps a core busy; more at once than
# there are cores only slows each, and starves the threads holding SQLite's write lock.
_HASHING_SLOTS = threading.BoundedSemaphore(os.cpu_count() or 2)

WRONG_CREDENTIALS = "That email and password don't match our records."
THROTTLED = "Too many sign-in attempts. Please wait 15 minutes and try again."
TRY_AGAIN = "The portal is busy right now. Please try again in a moment."


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
    # The session behind this viewer; when it ends for want of activity (staff only, else None).
    session_id: int | None = None
    idle_ends_at: datetime | None = None
    idle_limit: timedelta | None = None

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
    """The answer to a sign-in attempt: a one-time code, a second step to take, or a message."""

    grant_code: str | None = None
    error: str | None = None
    # The password was right, and the person must now type a code or set up an app
    # (``services.second_step``); kept on the server, never sent to the page.
    challenge: str | None = None


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class _Failures:
    """Failed sign-ins for one account or address in the window, and checks still running."""

    failed: int
    checking: int


def _failures(session: Session, *, now: datetime, of: ColumnElement[bool]) -> _Failures:
    """Count the failures and running checks among the attempts ``of`` selects."""
    # A check still running counts as a failure until it is known not to be one. One older
    # than CHECK_TIMEOUT belonged to a process that died mid-check: it stays a failure.
    running = and_(col(LoginAttempt.in_progress), col(LoginAttempt.attempted_at) > now - CHECK_TIMEOUT)
    query = select(func.count(), func.count().filter(running)).where(
        LoginAttempt.succeeded == False,  # noqa: E712
        LoginAttempt.attempted_at > now - THROTTLE_WINDOW,
        of,
    )
    total, checking = session.exec(query).one()
    return _Failures(failed=total - checking, checking=checking)


def lock_throttle_keys(session: Session, *, email: str, client_ip: str, scope: str = "sign-in") -> None:
    """Serialise the count-then-record of attempts on one account or from one address.

    PostgreSQL: transaction-scoped advisory locks on the two keys, always account first, so
    two sign-ins cannot deadlock; they end with the transaction, right after its commit.
    SQLite: nothing to do, the session was opened ``for_writing`` and ``BEGIN IMMEDIATE``
    serialises every writer.
    """
    if session.get_bind().dialect.name == "postgresql":
        for key in (f"{scope} account {email}", f"{scope} address {client_ip}"):
            session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": key})


@dataclass(frozen=True)
class _Account:
    """What a sign-in needs of the user an email names."""

    user_id: int
    password_hash: str
    is_active: bool


class _NoRoom(enum.Enum):
    THROTTLED = "failures reached a limit"
    WAIT = "checks still running fill the room, and they may yet succeed"


def _reserve_check(session: Session, *, email: str, client_ip: str, now: datetime) -> int | _NoRoom:
    """Record an attempt as a running check if the limits leave room for one more failure.

    Returns:
        The new attempt's id, or why there is no room for it.
    """
    lock_throttle_keys(session, email=email, client_ip=client_ip)
    account = _failures(session, now=now, of=col(LoginAttempt.email) == email)
    address = _failures(session, now=now, of=col(LoginAttempt.client_ip) == client_ip)
    if account.failed >= MAX_FAILURES_PER_ACCOUNT or address.failed >= MAX_FAILURES_PER_ADDRESS:
        return _NoRoom.THROTTLED
    if (
        account.failed + account.checking >= MAX_FAILURES_PER_ACCOUNT
        or address.failed + address.checking >= MAX_FAILURES_PER_ADDRESS
    ):
        return _NoRoom.WAIT
    attempt = LoginAttempt(
        email=email, client_ip=client_ip, succeeded=False, in_progress=True, attempted_at=now
    )
    session.add(attempt)
    session.flush()
    return stored_id(attempt)


def sign_in(
    *, session: Session, email: str, password: str, client_ip: str, browser_nonce: str, now: datetime
) -> SignInResult:
    """Check a password and, when right and not throttled, issue a one-time sign-in code.

    The code is bound to the browser that asked for it (``browser_nonce``, a secret held in
    that browser's HttpOnly cookie): ``redeem_grant`` refuses it anywhere else, so a code that
    leaks cannot be used by someone else, nor pushed into another person's browser to sign
    them in as someone else.

    The same message answers an unknown email and a wrong password. Throttling counts failures
    per account and per address over a sliding window, and applies before the password is read,
    so a throttled guesser learns nothing even with the right password.

    Exact under concurrency, with no transaction open while the password is hashed (tens of
    milliseconds of CPU, during which SQLite's one write lock would stall every other writer):

    1. A short transaction, serialised per account and per address, counts the failures and
       the checks still running, and records this attempt as a running check only if, were
       all of them to fail, the limits would still hold. So 50 parallel guesses get exactly
       the allowed number of checks, on SQLite and on PostgreSQL with any number of workers.
       If only running checks fill the room, it waits for them (they may succeed).
    2. The password is checked outside any transaction.
    3. A second short transaction records the outcome and, on success, the one-time code.

    Args:
        session: Database session, opened ``for_writing``; committed here, none left open.
        email: As typed.
        password: As typed.
        client_ip: The address the attempt came from.
        browser_nonce: The signing-in browser's binding secret; must not be empty.
        now: The current instant.

    Returns:
        A grant code to exchange for a cookie, or an error message.
    """
    if not browser_nonce:
        raise ValueError("a sign-in code must be bound to a browser")
    email = normalize_email(email)
    give_up_at = time.monotonic() + CHECK_QUEUE_WAIT.total_seconds()
    pause = 0.05
    while (attempt_id := _reserve_check(session, email=email, client_ip=client_ip, now=now)) is _NoRoom.WAIT:
        session.commit()
        if time.monotonic() > give_up_at:
            return SignInResult(error=TRY_AGAIN)
        # Each look takes the write lock; backing off keeps many waiters from crowding it.
        time.sleep(pause * random.uniform(0.5, 1.5))
        pause = min(pause * 2, 0.5)
    if attempt_id is _NoRoom.THROTTLED:
        session.commit()
        return SignInResult(error=THROTTLED)
    user = session.exec(select(User).where(User.email == email)).first()
    # Copied out: the password is checked with no transaction open, and reading a row that the
    # commit expired would open one again (on SQLite, the write lock) for as long as the hash.
    account = (
        _Account(user_id=stored_id(user), password_hash=user.password_hash, is_active=user.is_active)
        if user
        else None
    )
    session.commit()

    with _HASHING_SLOTS:
        # No account: verify_password checks a dummy hash, so both answers take as long.
        matched = verify_password(password, account.password_hash if account else None)
        signed_in = account if matched and account is not None and account.is_active else None
        new_hash = hash_password(password) if signed_in and needs_rehash(signed_in.password_hash) else None

    session.exec(
        update(LoginAttempt)
        .where(col(LoginAttempt.id) == attempt_id)
        .values(in_progress=False, succeeded=signed_in is not None)
    )
    if signed_in is None:
        session.commit()
        return SignInResult(error=WRONG_CREDENTIALS)
    if new_hash is not None:
        # Only if no one changed the password meanwhile.
        session.exec(
            update(User)
            .where(col(User.id) == signed_in.user_id, col(User.password_hash) == signed_in.password_hash)
            .values(password_hash=new_hash)
        )
    if (step := second_step_needed(session, user_id=signed_in.user_id)) is not None:
        challenge = new_challenge(
            session,
            user_id=signed_in.user_id,
            step=step,
            client_ip=client_ip,
            browser_nonce=browser_nonce,
            now=now,
        )
        session.commit()
        return SignInResult(challenge=challenge)
    code = issue_grant(
        session, user_id=signed_in.user_id, client_ip=client_ip, browser_nonce=browser_nonce, now=now
    )
    session.commit()
    return SignInResult(grant_code=code)


def issue_grant(session: Session, *, user_id: int, client_ip: str, browser_nonce: str, now: datetime) -> str:
    """Add a one-time sign-in code for ``user_id``, bound to the browser; returned once, kept hashed.

    In the caller's transaction (nothing committed here).
    """
    code = secrets.token_urlsafe(32)
    session.add(
        LoginGrant(
            user_id=user_id,
            code_hash=_digest(code),
            expires_at=now + GRANT_LIFETIME,
            client_ip=client_ip,
            browser_hash=_digest(browser_nonce),
        )
    )
    return code


def redeem_grant(
    *, session: Session, code: str, browser_nonce: str, client_ip: str, now: datetime
) -> str | None:
    """Exchange a one-time code for a new session token (returned once, stored hashed).

    Only the browser the code was issued to can redeem it: ``browser_nonce`` must be the one
    given to ``sign_in``. A code presented by another browser is refused and left unused. The
    code is consumed with a compare-and-set, so a replayed or raced code yields nothing.
    """
    if not code or not browser_nonce:
        return None
    grant = session.exec(select(LoginGrant).where(LoginGrant.code_hash == _digest(code))).first()
    if (
        grant is None
        or grant.expires_at <= now
        or not hmac.compare_digest(grant.browser_hash, _digest(browser_nonce))
    ):
        return None
    claimed = session.exec(
        update(LoginGrant)
        .where(col(LoginGrant.id) == grant.id, col(LoginGrant.used_at).is_(None))
        .values(used_at=now)
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
            last_active_at=now,
        )
    )
    session.commit()
    return token


def _session_row(session: Session, token: str | None, now: datetime) -> Row | None:
    """The session a token names, with what a ``Viewer`` needs, unless revoked, expired or the user
    deactivated.

    Every event of every signed-in page asks this, so it is one query reading only those columns
    (no ORM rows to build).
    """
    if not token:
        return None
    row = session.execute(
        sa_select(
            col(UserSession.id).label("session_id"),
            col(UserSession.revoked_at),
            col(UserSession.expires_at),
            col(UserSession.created_at),
            col(UserSession.last_active_at),
            col(User.id),
            col(User.role),
            col(User.display_name),
            col(User.practice_id),
            col(User.is_active),
            col(User.time_zone),
            col(Client.id).label("client_id"),
            col(Clinician.id).label("clinician_id"),
            col(Practice.name).label("practice_name"),
            col(Practice.time_zone).label("practice_zone"),
            col(Practice.staff_idle_minutes),
        )
        .join(User, col(User.id) == UserSession.user_id)
        .outerjoin(Client, col(Client.user_id) == User.id)
        .outerjoin(Clinician, col(Clinician.user_id) == User.id)
        .outerjoin(Practice, col(Practice.id) == User.practice_id)
        .where(col(UserSession.token_hash) == _digest(token))
    ).first()
    if row is None or row.revoked_at is not None or row.expires_at <= now or not row.is_active:
        return None
    return row


def _idle_window(row: Row) -> tuple[timedelta, datetime] | None:
    """A staff session's idle limit and when it ends for want of activity (None for clients)."""
    if row.role == Role.CLIENT or row.staff_idle_minutes is None:
        return None
    limit = timedelta(minutes=row.staff_idle_minutes)
    return limit, (row.last_active_at or row.created_at) + limit


def viewer_for_token(*, session: Session, token: str | None, now: datetime) -> Viewer | None:
    """The signed-in person behind a session token, or None if it is unknown, expired or revoked.

    A staff session is also refused once its person has done nothing for the practice's
    ``staff_idle_minutes`` (``record_activity`` notes what they do): it stays refused, since
    nothing moves its last activity on again.
    """
    row = _session_row(session, token, now)
    if row is None:
        return None
    idle = _idle_window(row)
    if idle is not None and idle[1] <= now:
        return None
    is_client = row.role == Role.CLIENT
    return Viewer(
        user_id=row.id,
        role=row.role,
        display_name=row.display_name,
        practice_id=row.practice_id,
        practice_name=row.practice_name or "",
        practice_zone=row.practice_zone or "UTC",
        client_id=row.client_id if is_client else None,
        clinician_id=None if is_client else row.clinician_id,
        time_zone=row.time_zone,
        session_id=row.session_id,
        idle_ends_at=idle[1] if idle else None,
        idle_limit=idle[0] if idle else None,
    )


def ended_idle(*, session: Session, token: str | None, now: datetime) -> bool:
    """Whether a refused token's session ended for want of activity (to say so at sign-in)."""
    row = _session_row(session, token, now)
    idle = _idle_window(row) if row is not None else None
    return idle is not None and idle[1] <= now


def record_activity(*, session: Session, session_id: int, now: datetime) -> None:
    """Note that the person of a session did something now (at most every ``ACTIVITY_RESOLUTION``)."""
    session.exec(
        update(UserSession)
        .where(
            col(UserSession.id) == session_id,
            col(UserSession.revoked_at).is_(None),
            col(UserSession.last_active_at).is_(None)
            | (col(UserSession.last_active_at) < now - ACTIVITY_RESOLUTION),
        )
        .values(last_active_at=now)
    )
    session.commit()


def revoke_session(*, session: Session, token: str | None, now: datetime) -> None:
    """End a session at once; its token is refused from the next event on."""
    if not token:
        return
    session.exec(
        update(UserSession)
        .where(col(UserSession.token_hash) == _digest(token), col(UserSession.revoked_at).is_(None))
        .values(revoked_at=now)
    )
    session.commit()


def remember_time_zone(*, session: Session, user_id: int, zone: str) -> None:
    """Keep the zone a person's browser reported, for emails sent while they are away."""
    session.exec(update(User).where(col(User.id) == user_id).values(time_zone=zone))
    session.commit()


def revoke_user_sessions(*, session: Session, user_id: int, now: datetime) -> int:
    """End every open session of ``user_id`` in the caller's transaction (nothing committed here).

    Their next event finds the session revoked and goes to sign-in.

    Returns:
        How many sessions were ended.
    """
    result = session.exec(
        update(UserSession)
        .where(col(UserSession.user_id) == user_id, col(UserSession.revoked_at).is_(None))
        .values(revoked_at=now)
    )
    return result.rowcount


def hash_new_password(password: str) -> str:
    """Hash a password being set, sharing the hashing slots with sign-ins.

    Call it with no transaction open: the hash keeps a core busy for a while.
    """
    with _HASHING_SLOTS:
        return hash_password(password)
