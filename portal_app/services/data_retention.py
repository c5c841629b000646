"""How long the portal keeps what sign-in leaves behind, and the pruning that enforces it.

Sign-in writes rows nobody needs for long: every attempt (for throttling), every one-time
sign-in code, every session, every "Forgot password?" request and every emailed link. They
name people and network addresses, so they are deleted once they can no longer matter:

- login attempts, two-factor code attempts and password-reset requests: after ``ATTEMPTS_KEPT``
  (throttling looks back minutes; the rest is there to look into an attack afterwards);
- sign-in codes and second-step challenges: a day after they expired (they live minutes; used or
  not, they are spent);
- sessions: ``SESSIONS_KEPT`` after they expired or were ended (sign-out, deactivation);
- one-time links (invitations, resets): ``LINKS_KEPT`` after they were used, expired or were
  revoked, except each person's newest of a kind, which says whether their invitation is open,
  expired or revoked on the Team and Clients pages.

The practice's own records (clients, appointments, their history, emails) are not touched here.
``prune_expired`` runs in the background sender's round, under its lease: once per deployment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Delete, delete, func, or_, select
from sqlmodel import Session, col

from portal_app.models import (
    LoginAttempt,
    LoginGrant,
    OneTimeLink,
    PasswordResetRequest,
    SecondStepAttempt,
    SignInChallenge,
    UserSession,
)

ATTEMPTS_KEPT = timedelta(days=30)
GRANTS_KEPT = timedelta(days=1)
SESSIONS_KEPT = timedelta(days=30)
LINKS_KEPT = timedelta(days=90)
PRUNE_EVERY = timedelta(hours=1)


@dataclass(frozen=True)
class PruneReport:
    """How many rows of each kind one pruning deleted."""

    login_attempts: int = 0
    code_attempts: int = 0
    reset_requests: int = 0
    grants: int = 0
    challenges: int = 0
    sessions: int = 0
    links: int = 0

    @property
    def total(self) -> int:
        """All rows deleted."""
        return sum(vars(self).values())


def prune_expired(*, session: Session, now: datetime) -> PruneReport:
    """Delete the sign-in rows past their keeping period at ``now`` (the caller commits).

    Returns:
        How many rows of each kind were deleted.
    """

    def deleted(statement: Delete) -> int:
        return session.exec(statement).rowcount

    # A person's newest link of each kind stays whatever its age: their account's status reads it.
    # (A new client's request links name no person: they all go once spent.)
    newest_links = (
        select(func.max(OneTimeLink.id))
        .where(col(OneTimeLink.user_id).is_not(None))
        .group_by(col(OneTimeLink.user_id), col(OneTimeLink.purpose))
    )
    link_cutoff = now - LINKS_KEPT
    session_cutoff = now - SESSIONS_KEPT
    return PruneReport(
        login_attempts=deleted(
            delete(LoginAttempt).where(col(LoginAttempt.attempted_at) < now - ATTEMPTS_KEPT)
        ),
        code_attempts=deleted(
            delete(SecondStepAttempt).where(col(SecondStepAttempt.attempted_at) < now - ATTEMPTS_KEPT)
        ),
        reset_requests=deleted(
            delete(PasswordResetRequest).where(col(PasswordResetRequest.requested_at) < now - ATTEMPTS_KEPT)
        ),
        grants=deleted(delete(LoginGrant).where(col(LoginGrant.expires_at) < now - GRANTS_KEPT)),
        challenges=deleted(
            delete(SignInChallenge).where(col(SignInChallenge.expires_at) < now - GRANTS_KEPT)
        ),
        sessions=deleted(
            delete(UserSession).where(
                or_(
                    col(UserSession.expires_at) < session_cutoff, col(UserSession.revoked_at) < session_cutoff
                )
            )
        ),
        links=deleted(
            delete(OneTimeLink).where(
                or_(
                    col(OneTimeLink.expires_at) < link_cutoff,
                    col(OneTimeLink.used_at) < link_cutoff,
                    col(OneTimeLink.revoked_at) < link_cutoff,
                ),
                col(OneTimeLink.id).not_in(newest_links),
            )
        ),
    )
