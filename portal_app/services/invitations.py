"""Making accounts without anyone typing another person's password.

A new practice's first admin, and every clinician or client an admin invites, gets an account
with no password and a one-time, expiring link (``services.one_time_links``) to choose one. The
invitation email is written to the outbox in the same transaction as the account. Invitations
can be sent again (a new link; the old one is revoked) or revoked.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from portal_app import routes
from portal_app.domain import email_messages as messages
from portal_app.domain.accounts import (
    MAX_CREDENTIALS_LENGTH,
    MAX_PHONE_LENGTH,
    InputProblem,
    email_problem,
    name_problem,
    normalize_email,
    slug_for,
)
from portal_app.domain.email_messages import AccountLinkDetails
from portal_app.domain.time_display import valid_zone
from portal_app.domain.vocabulary import LinkPurpose, Role
from portal_app.models import Client, Clinician, Practice, User
from portal_app.services.account_results import AccountOutcome, AccountResult, invalid
from portal_app.services.accounts import NO_PASSWORD, Person, find_person, practice_admins
from portal_app.services.notifications import enqueue_email
from portal_app.services.one_time_links import INVITATION_LIFETIME, issue_link, revoke_links
from portal_app.services.stored_rows import required_row, stored_id


def _contact_problem(
    name: str, email: str, *, phone: str = "", credentials: str = ""
) -> AccountResult | None:
    """The first refused field of a person's details (already stripped and normalized), or None."""
    if (problem := name_problem(name)) is not None:
        return invalid("name", problem)
    if (problem := email_problem(email)) is not None:
        return invalid("email", problem)
    if len(phone) > MAX_PHONE_LENGTH:
        return invalid("phone", InputProblem.PHONE_TOO_LONG)
    if len(credentials) > MAX_CREDENTIALS_LENGTH:
        return invalid("credentials", InputProblem.CREDENTIALS_TOO_LONG)
    return None


def _email_taken(session: Session, email: str, *, practice_id: int | None = None) -> bool:
    if session.exec(select(User.id).where(func.lower(User.email) == email)).first() is not None:
        return True
    return practice_id is not None and (
        session.exec(
            select(Client.id).where(Client.practice_id == practice_id, func.lower(Client.email) == email)
        ).first()
        is not None
    )


def _new_user(
    session: Session, *, email: str, name: str, role: Role, practice_id: int, now: datetime
) -> User:
    user = User(
        email=email,
        password_hash=NO_PASSWORD,
        role=role,
        display_name=name,
        practice_id=practice_id,
        created_at=now,
    )
    session.add(user)
    session.flush()
    return user


def _send_invitation(
    session: Session, *, user: User, name: str, inviter_user_id: int | None, link_base: str, now: datetime
) -> str:
    """Issue a set-password link for ``user`` and queue the invitation email; returns the token."""
    practice = required_row(session, Practice, user.practice_id or 0)
    inviter = session.get(User, inviter_user_id) if inviter_user_id is not None else None
    issued = issue_link(
        session=session,
        purpose=LinkPurpose.SET_PASSWORD,
        user_id=stored_id(user),
        created_by_user_id=inviter_user_id,
        now=now,
        lifetime=INVITATION_LIFETIME,
    )
    draft = messages.invitation(
        AccountLinkDetails(
            link_id=issued.link_id,
            to_name=name,
            to_address=user.email,
            practice_name=practice.name,
            practice_phone=practice.phone,
            practice_zone=practice.time_zone,
            link=routes.set_password_link(link_base, issued.token),
            expires_at=issued.expires_at,
            inviter_name=inviter.display_name if inviter else "",
            for_client=user.role == Role.CLIENT,
        )
    )
    enqueue_email(session=session, practice_id=stored_id(practice), appointment_id=None, draft=draft, now=now)
    return issued.token


def _committed(session: Session, result: AccountResult) -> AccountResult:
    """Commit; an email taken by a concurrent writer meanwhile becomes a refusal."""
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return AccountResult(AccountOutcome.EMAIL_TAKEN, field_name="email")
    return result


def create_practice(
    *,
    session: Session,
    name: str,
    time_zone: str,
    admin_email: str,
    admin_name: str,
    phone: str,
    now: datetime,
) -> AccountResult:
    """Create a practice and its first admin (no password) in one transaction.

    The portal serves one practice per database (the sign-in page names it), so a database
    that already holds one is refused.

    Returns:
        ``PRACTICE_CREATED`` with the admin's set-password token (to print once), or a refusal
        naming the field; nothing is written on a refusal.
    """
    name, phone, admin_email = name.strip(), phone.strip(), normalize_email(admin_email)
    admin_name = admin_name.strip() or "Practice admin"
    if (problem := name_problem(name)) is not None:
        return invalid("name", problem)
    if valid_zone(time_zone) is None:
        return AccountResult(AccountOutcome.ZONE_UNKNOWN, field_name="time_zone")
    if (problem := name_problem(admin_name)) is not None:
        return invalid("admin_name", problem)
    if (refused := _contact_problem(admin_name, admin_email, phone=phone)) is not None:
        return refused
    if _email_taken(session, admin_email):
        session.rollback()
        return AccountResult(AccountOutcome.EMAIL_TAKEN, field_name="email")
    existing = session.exec(select(Practice.name)).first()
    if existing is not None:
        session.rollback()
        return AccountResult(AccountOutcome.PRACTICE_EXISTS, name=existing)
    practice = Practice(name=name, time_zone=time_zone, phone=phone)
    session.add(practice)
    session.flush()
    admin = _new_user(
        session, email=admin_email, name=admin_name, role=Role.ADMIN, practice_id=stored_id(practice), now=now
    )
    issued = issue_link(
        session=session,
        purpose=LinkPurpose.SET_PASSWORD,
        user_id=stored_id(admin),
        created_by_user_id=None,
        now=now,
        lifetime=INVITATION_LIFETIME,
    )
    done = AccountResult(
        AccountOutcome.PRACTICE_CREATED, name=admin_name, email=admin_email, token=issued.token
    )
    return _committed(session, done)


def invite_clinician(
    *,
    session: Session,
    practice_id: int,
    inviter_user_id: int,
    name: str,
    email: str,
    credentials: str,
    link_base: str,
    now: datetime,
) -> AccountResult:
    """Add a clinician (an account without a password, and their booking-link slug) and invite them."""
    name, email, credentials = name.strip(), normalize_email(email), credentials.strip()
    if (refused := _contact_problem(name, email, credentials=credentials)) is not None:
        return refused
    if _email_taken(session, email):
        session.rollback()
        return AccountResult(AccountOutcome.EMAIL_TAKEN, field_name="email")
    user = _new_user(session, email=email, name=name, role=Role.CLINICIAN, practice_id=practice_id, now=now)
    taken_slugs = set(session.exec(select(Clinician.slug)).all())
    session.add(
        Clinician(
            practice_id=practice_id,
            user_id=stored_id(user),
            display_name=name,
            credentials=credentials,
            slug=slug_for(name, taken_slugs),
        )
    )
    _send_invitation(
        session, user=user, name=name, inviter_user_id=inviter_user_id, link_base=link_base, now=now
    )
    done = AccountResult(
        AccountOutcome.INVITED,
        name=name,
        email=email,
        concerns=practice_admins(session=session, practice_id=practice_id),
    )
    return _committed(session, done)


def add_client_and_invite(
    *,
    session: Session,
    practice_id: int,
    inviter_user_id: int,
    name: str,
    email: str,
    phone: str,
    link_base: str,
    now: datetime,
) -> AccountResult:
    """Add a client with an account without a password, and invite them."""
    name, email, phone = name.strip(), normalize_email(email), phone.strip()
    if (refused := _contact_problem(name, email, phone=phone)) is not None:
        return refused
    if _email_taken(session, email, practice_id=practice_id):
        session.rollback()
        return AccountResult(AccountOutcome.EMAIL_TAKEN, field_name="email")
    client = Client(practice_id=practice_id, full_name=name, email=email, phone=phone, created_at=now)
    return _invite_client_row(session, client, inviter_user_id=inviter_user_id, link_base=link_base, now=now)


def invite_client(
    *, session: Session, practice_id: int, inviter_user_id: int, client_id: int, link_base: str, now: datetime
) -> AccountResult:
    """Give an existing client of the practice who has no account one, and invite them."""
    client = session.get(Client, client_id)
    if client is None or client.practice_id != practice_id:
        session.rollback()
        return AccountResult(AccountOutcome.NOT_FOUND)
    if client.user_id is not None:
        session.rollback()
        return AccountResult(AccountOutcome.HAS_ACCOUNT, name=client.full_name)
    email = normalize_email(client.email)
    if (refused := _contact_problem(client.full_name.strip(), email)) is not None:
        session.rollback()
        return refused
    if _email_taken(session, email):
        session.rollback()
        return AccountResult(AccountOutcome.EMAIL_TAKEN, field_name="email", name=client.full_name)
    return _invite_client_row(session, client, inviter_user_id=inviter_user_id, link_base=link_base, now=now)


def open_client_account(
    *, session: Session, client: Client, inviter_user_id: int | None, link_base: str, now: datetime
) -> None:
    """Give ``client`` an account without a password and queue its invitation (caller's transaction)."""
    email = normalize_email(client.email)
    user = _new_user(
        session, email=email, name=client.full_name, role=Role.CLIENT, practice_id=client.practice_id, now=now
    )
    client.user_id = stored_id(user)
    client.email = email
    session.add(client)
    session.flush()
    _send_invitation(
        session,
        user=user,
        name=client.full_name,
        inviter_user_id=inviter_user_id,
        link_base=link_base,
        now=now,
    )


def invite_new_client(
    *, session: Session, client: Client, inviter_user_id: int, link_base: str, now: datetime
) -> None:
    """A new client whose first request was just accepted is one of the practice's clients now, and
    gets their invitation (caller's transaction).

    Nothing happens when they already have an account, or when their email is already an account's
    (a parent with an account of their own asking for a child): they sign in with that one.
    """
    client.prospective = False
    session.add(client)
    if client.user_id is None and not _email_taken(session, normalize_email(client.email)):
        open_client_account(
            session=session, client=client, inviter_user_id=inviter_user_id, link_base=link_base, now=now
        )


def _invite_client_row(
    session: Session, client: Client, *, inviter_user_id: int, link_base: str, now: datetime
) -> AccountResult:
    open_client_account(
        session=session, client=client, inviter_user_id=inviter_user_id, link_base=link_base, now=now
    )
    email = client.email
    done = AccountResult(
        AccountOutcome.INVITED,
        name=client.full_name,
        email=email,
        concerns=practice_admins(session=session, practice_id=client.practice_id),
    )
    return _committed(session, done)


def _invited_person(
    session: Session, *, practice_id: int, role: Role, record_id: int
) -> Person | AccountResult:
    """The person whose invitation is acted on, or why there is none to act on."""
    person = find_person(session=session, practice_id=practice_id, role=role, record_id=record_id)
    if person is None or person.user is None:
        return AccountResult(AccountOutcome.NOT_FOUND)
    if not person.user.is_active:
        return AccountResult(AccountOutcome.INACTIVE, name=person.name)
    if person.user.password_hash != NO_PASSWORD:
        return AccountResult(AccountOutcome.NOT_INVITED, name=person.name)
    return person


def resend_invitation(
    *,
    session: Session,
    practice_id: int,
    inviter_user_id: int,
    role: Role,
    record_id: int,
    link_base: str,
    now: datetime,
) -> AccountResult:
    """Send a new invitation link to someone who has not set a password; earlier links stop working."""
    person = _invited_person(session, practice_id=practice_id, role=role, record_id=record_id)
    if isinstance(person, AccountResult):
        session.rollback()
        return person
    user = person.user
    assert user is not None
    revoke_links(session=session, user_id=stored_id(user), purposes=(LinkPurpose.SET_PASSWORD,), now=now)
    _send_invitation(
        session, user=user, name=person.name, inviter_user_id=inviter_user_id, link_base=link_base, now=now
    )
    concerns = practice_admins(session=session, practice_id=practice_id)
    session.commit()
    return AccountResult(AccountOutcome.RESENT, name=person.name, email=user.email, concerns=concerns)


def revoke_invitation(
    *, session: Session, practice_id: int, role: Role, record_id: int, now: datetime
) -> AccountResult:
    """Make every open invitation link of someone who has not set a password stop working."""
    person = _invited_person(session, practice_id=practice_id, role=role, record_id=record_id)
    if isinstance(person, AccountResult):
        session.rollback()
        return person
    assert person.user is not None
    revoke_links(
        session=session, user_id=stored_id(person.user), purposes=(LinkPurpose.SET_PASSWORD,), now=now
    )
    concerns = practice_admins(session=session, practice_id=practice_id)
    session.commit()
    return AccountResult(AccountOutcome.REVOKED, name=person.name, concerns=concerns)
