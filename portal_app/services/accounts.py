"""People's accounts: setting a password from a one-time link, where each account stands,
and deactivating or reactivating one (every session ended at once, history kept)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from portal_app.domain.accounts import InputProblem, password_problem
from portal_app.domain.vocabulary import AccountStatus, LinkPurpose, Role
from portal_app.models import Client, Clinician, OneTimeLink, Practice, User
from portal_app.services.account_results import AccountOutcome, AccountResult, invalid
from portal_app.services.auth import hash_new_password, revoke_user_sessions
from portal_app.services.one_time_links import LinkProblem, check_link, redeem_link, revoke_links
from portal_app.services.stored_rows import stored_id

logger = logging.getLogger(__name__)

# The set-password page serves invitations and password resets alike.
PASSWORD_LINKS = frozenset({LinkPurpose.SET_PASSWORD, LinkPurpose.RESET_PASSWORD})
# Set on an account without a password yet (invited): no password matches it.
NO_PASSWORD = ""


@dataclass(frozen=True)
class PasswordLinkView:
    """What the set-password page shows for a token: whose account, or why the link fails."""

    problem: LinkProblem | None
    name: str = ""
    email: str = ""
    practice_name: str = ""
    is_reset: bool = False


def password_link_view(*, session: Session, token: str, now: datetime) -> PasswordLinkView:
    """Whose account a set-password link is for (without using it), or why it does not work."""
    found = check_link(session=session, token=token, purpose=PASSWORD_LINKS, now=now)
    user = session.get(User, found.user_id) if found.user_id is not None else None
    if user is None:
        return PasswordLinkView(found.problem or LinkProblem.UNKNOWN)
    if found.ok and not user.is_active:
        return PasswordLinkView(LinkProblem.REVOKED)
    practice = session.get(Practice, user.practice_id) if user.practice_id else None
    return PasswordLinkView(
        found.problem,
        name=user.display_name,
        email=user.email,
        practice_name=practice.name if practice else "",
        is_reset=found.purpose == LinkPurpose.RESET_PASSWORD,
    )


def set_password_with_link(
    *, session: Session, token: str, password: str, confirmation: str, now: datetime
) -> AccountResult:
    """Set the password of the account a one-time link is for, using the link.

    In the transaction that stores the password, the link is used (compare-and-set: of two
    submits exactly one wins), the account's other password links are revoked and every session
    of the account ends. The password is hashed with no transaction open.

    Args:
        session: Opened ``for_writing``; committed here.
        token: The link's token, from its address.
        password: The new password.
        confirmation: The same password, typed again.
        now: The current instant.
    """
    view = password_link_view(session=session, token=token, now=now)
    session.commit()
    if view.problem is not None:
        return AccountResult(AccountOutcome.LINK_UNUSABLE, link_problem=view.problem)
    if (problem := password_problem(password, confirmation, email=view.email)) is not None:
        return invalid("confirm" if problem == InputProblem.PASSWORDS_DIFFER else "password", problem)
    new_hash = hash_new_password(password)

    used = redeem_link(session=session, token=token, purpose=PASSWORD_LINKS, now=now)
    user = session.get(User, used.user_id) if used.ok and used.user_id is not None else None
    if user is None or not user.is_active:
        session.rollback()
        return AccountResult(AccountOutcome.LINK_UNUSABLE, link_problem=used.problem or LinkProblem.REVOKED)
    user.password_hash = new_hash
    session.add(user)
    revoke_links(session=session, user_id=stored_id(user), purposes=tuple(PASSWORD_LINKS), now=now)
    revoke_user_sessions(session=session, user_id=stored_id(user), now=now)
    session.commit()
    return AccountResult(AccountOutcome.PASSWORD_SET, name=user.display_name, email=user.email)


@dataclass(frozen=True)
class AccountView:
    """Where one account stands, for the Team page.

    Attributes:
        status: Active, invited, invitation expired or revoked, no account, deactivated.
        invitation_expires_at: When the open invitation stops working (``INVITED``).
    """

    status: AccountStatus
    invitation_expires_at: datetime | None = None


def account_status(*, session: Session, user: User | None, now: datetime) -> AccountView:
    """Where ``user``'s account stands (None: the person has no account)."""
    if user is None:
        return AccountView(AccountStatus.NO_ACCOUNT)
    if not user.is_active:
        return AccountView(AccountStatus.DEACTIVATED)
    if user.password_hash != NO_PASSWORD:
        return AccountView(AccountStatus.ACTIVE)
    latest = session.exec(
        select(OneTimeLink)
        .where(OneTimeLink.user_id == user.id, OneTimeLink.purpose == LinkPurpose.SET_PASSWORD)
        .order_by(col(OneTimeLink.created_at).desc(), col(OneTimeLink.id).desc())
    ).first()
    if latest is not None and latest.revoked_at is not None:
        return AccountView(AccountStatus.INVITATION_REVOKED)
    if latest is None or latest.used_at is not None or latest.expires_at <= now:
        return AccountView(AccountStatus.INVITATION_EXPIRED)
    return AccountView(AccountStatus.INVITED, invitation_expires_at=latest.expires_at)


@dataclass(frozen=True)
class Person:
    """A clinician or client of a practice and their account (None when they have none)."""

    name: str
    email: str
    user: User | None
    role: Role


def find_person(*, session: Session, practice_id: int, role: Role, record_id: int) -> Person | None:
    """The practice's clinician (``role`` CLINICIAN) or client (CLIENT) ``record_id``, or None."""
    if role == Role.CLINICIAN:
        clinician = session.get(Clinician, record_id)
        if clinician is None or clinician.practice_id != practice_id:
            return None
        user = session.get(User, clinician.user_id)
        return Person(clinician.display_name, user.email if user else "", user, role)
    if role == Role.CLIENT:
        client = session.get(Client, record_id)
        if client is None or client.practice_id != practice_id:
            return None
        user = session.get(User, client.user_id) if client.user_id else None
        return Person(client.full_name, client.email, user, role)
    return None


def practice_admins(*, session: Session, practice_id: int) -> tuple[int, ...]:
    """The practice's active admins: whose Team pages show account changes."""
    admins = session.exec(
        select(User.id).where(User.practice_id == practice_id, User.role == Role.ADMIN, col(User.is_active))
    ).all()
    return tuple(user_id for user_id in admins if user_id is not None)


def set_active(
    *,
    session: Session,
    practice_id: int,
    actor_user_id: int,
    role: Role,
    record_id: int,
    active: bool,
    now: datetime,
) -> AccountResult:
    """Deactivate (``active`` False) or reactivate a clinician's or client's account.

    Deactivating ends every session of theirs and revokes their open links in the same
    transaction, so their next event goes to sign-in and sign-in refuses them; their
    appointments and history stay. Nobody deactivates their own account.
    """
    person = find_person(session=session, practice_id=practice_id, role=role, record_id=record_id)
    if person is None or person.user is None:
        session.rollback()
        return AccountResult(AccountOutcome.NOT_FOUND)
    user = person.user
    if user.id == actor_user_id:
        session.rollback()
        return AccountResult(AccountOutcome.NOT_YOURSELF, name=person.name)
    user.is_active = active
    session.add(user)
    if not active:
        revoke_user_sessions(session=session, user_id=stored_id(user), now=now)
        revoke_links(session=session, user_id=stored_id(user), purposes=tuple(LinkPurpose), now=now)
    concerns = practice_admins(session=session, practice_id=practice_id)
    session.commit()
    # Ids only: who changed whose account, for the server's log (no names or emails).
    logger.info("User %s %s user %s", actor_user_id, "reactivated" if active else "deactivated", user.id)
    outcome = AccountOutcome.REACTIVATED if active else AccountOutcome.DEACTIVATED
    return AccountResult(outcome, name=person.name, concerns=concerns)
