"""One-time emailed links, one mechanism: invitations, password resets, and later others.

A link is a random token shown once (in the email) and stored only as its sha256 hash, with a
purpose, the user it is for, an expiry, and when it was used or revoked. Redeeming happens in
the caller's transaction, the one that does what the link unlocks, with a compare-and-set on
``used_at``: of two redeems of one token exactly one succeeds, and if the caller's change rolls
back, so does the use of the link.
"""

from __future__ import annotations

import enum
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from portal_app.domain.vocabulary import LinkPurpose
from portal_app.models import OneTimeLink
from portal_app.services.stored_rows import stored_id

INVITATION_LIFETIME = timedelta(days=7)
RESET_LIFETIME = timedelta(hours=1)
# A token longer than this was not made here; it is refused before it is hashed.
MAX_TOKEN_LENGTH = 128


class LinkProblem(enum.StrEnum):
    """Why a link does not work (any more)."""

    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED = "used"
    REVOKED = "revoked"
    WRONG_PURPOSE = "wrong_purpose"


@dataclass(frozen=True)
class IssuedLink:
    """A new link: the raw token (only ever here, to be emailed) and when it stops working."""

    token: str
    link_id: int
    expires_at: datetime


@dataclass(frozen=True)
class LinkCheck:
    """What a token is worth now: the user it is for, or why it does not work."""

    problem: LinkProblem | None
    user_id: int | None = None
    appointment_id: int | None = None
    link_id: int | None = None
    purpose: LinkPurpose | None = None

    @property
    def ok(self) -> bool:
        """Whether the link works."""
        return self.problem is None


def token_hash(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue_link(
    *,
    session: Session,
    purpose: LinkPurpose,
    user_id: int,
    created_by_user_id: int | None,
    now: datetime,
    lifetime: timedelta,
) -> IssuedLink:
    """Store a new link in the caller's transaction (flushed, not committed).

    Returns:
        The raw token, which is not stored anywhere: put it in the email now.
    """
    token = secrets.token_urlsafe(32)
    link = OneTimeLink(
        token_hash=token_hash(token),
        purpose=purpose,
        user_id=user_id,
        created_by_user_id=created_by_user_id,
        created_at=now,
        expires_at=now + lifetime,
    )
    return _stored(session, link, token)


def issue_appointment_link(
    *, session: Session, purpose: LinkPurpose, appointment_id: int, now: datetime, lifetime: timedelta
) -> IssuedLink:
    """Store a new link about one appointment (a new client's request: they have no account yet)."""
    token = secrets.token_urlsafe(32)
    link = OneTimeLink(
        token_hash=token_hash(token),
        purpose=purpose,
        appointment_id=appointment_id,
        created_at=now,
        expires_at=now + lifetime,
    )
    return _stored(session, link, token)


def _stored(session: Session, link: OneTimeLink, token: str) -> IssuedLink:
    session.add(link)
    session.flush()
    return IssuedLink(token=token, link_id=stored_id(link), expires_at=link.expires_at)


def check_link(
    *, session: Session, token: str, purpose: LinkPurpose | frozenset[LinkPurpose], now: datetime
) -> LinkCheck:
    """Whether ``token`` would work for ``purpose`` (one, or any of several) now, without using it."""
    purposes = purpose if isinstance(purpose, frozenset) else frozenset({purpose})
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return LinkCheck(LinkProblem.UNKNOWN)
    link = session.exec(select(OneTimeLink).where(OneTimeLink.token_hash == token_hash(token))).first()
    if link is None:
        return LinkCheck(LinkProblem.UNKNOWN)
    problem = (
        LinkProblem.WRONG_PURPOSE
        if link.purpose not in purposes
        else LinkProblem.REVOKED
        if link.revoked_at is not None
        else LinkProblem.USED
        if link.used_at is not None
        else LinkProblem.EXPIRED
        if link.expires_at <= now
        else None
    )
    if problem == LinkProblem.WRONG_PURPOSE:
        # Says nothing about a link made for something else.
        return LinkCheck(problem)
    return LinkCheck(
        problem,
        user_id=link.user_id,
        appointment_id=link.appointment_id,
        link_id=stored_id(link),
        purpose=link.purpose,
    )


def redeem_link(
    *, session: Session, token: str, purpose: LinkPurpose | frozenset[LinkPurpose], now: datetime
) -> LinkCheck:
    """Use ``token`` once, in the caller's transaction (nothing is committed here).

    The use is a compare-and-set (``used_at`` still empty, not revoked, not expired), so of two
    redeems racing for one token exactly one gets the user; the other sees ``USED``.

    Returns:
        The user the link is for, or why it does not work.
    """
    found = check_link(session=session, token=token, purpose=purpose, now=now)
    if not found.ok:
        return found
    claimed = session.exec(
        update(OneTimeLink)
        .where(
            col(OneTimeLink.id) == found.link_id,
            col(OneTimeLink.used_at).is_(None),
            col(OneTimeLink.revoked_at).is_(None),
            col(OneTimeLink.expires_at) > now,
        )
        .values(used_at=now)
    )
    if claimed.rowcount != 1:
        # Someone else's redeem committed between our look and our claim.
        return LinkCheck(
            LinkProblem.USED,
            user_id=found.user_id,
            appointment_id=found.appointment_id,
            link_id=found.link_id,
            purpose=found.purpose,
        )
    return found


def revoke_links(*, session: Session, user_id: int, purposes: tuple[LinkPurpose, ...], now: datetime) -> int:
    """Revoke every open link of ``user_id`` for ``purposes`` (caller's transaction).

    Returns:
        How many links were revoked.
    """
    result = session.exec(
        update(OneTimeLink)
        .where(
            col(OneTimeLink.user_id) == user_id,
            col(OneTimeLink.purpose).in_(purposes),
            col(OneTimeLink.used_at).is_(None),
            col(OneTimeLink.revoked_at).is_(None),
        )
        .values(revoked_at=now)
    )
    return result.rowcount


def open_link_expiry(
    *, session: Session, user_id: int, purpose: LinkPurpose, now: datetime
) -> datetime | None:
    """When the newest still-usable link of ``user_id`` for ``purpose`` expires (None: there is none)."""
    return session.exec(
        select(OneTimeLink.expires_at)
        .where(
            OneTimeLink.user_id == user_id,
            OneTimeLink.purpose == purpose,
            col(OneTimeLink.used_at).is_(None),
            col(OneTimeLink.revoked_at).is_(None),
            OneTimeLink.expires_at > now,
        )
        .order_by(col(OneTimeLink.expires_at).desc())
    ).first()
