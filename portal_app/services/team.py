"""The practice's people as the Team page shows them: clinicians, and clients still invited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from portal_app.domain.vocabulary import Role
from portal_app.models import Client, Clinician, TwoFactorCredential, User
from portal_app.services.accounts import NO_PASSWORD, AccountView, account_status
from portal_app.services.stored_rows import stored_id

MAX_CLIENT_INVITATIONS = 100


@dataclass(frozen=True)
class TeamMember:
    """One clinician (or invited client) and where their account stands."""

    record_id: int
    role: Role
    name: str
    email: str
    detail: str
    account: AccountView
    is_viewer: bool = False
    # Signs in with an authenticator app (an admin may reset it).
    two_factor: bool = False


@dataclass(frozen=True)
class Team:
    """Every clinician of the practice, and the clients who have not set a password yet."""

    clinicians: list[TeamMember]
    invited_clients: list[TeamMember]


def practice_team(*, session: Session, practice_id: int, viewer_user_id: int, now: datetime) -> Team:
    """The practice's clinicians by name, and its invited clients, newest first."""
    clinicians = session.exec(
        select(Clinician, User)
        .join(User, col(User.id) == Clinician.user_id)
        .where(Clinician.practice_id == practice_id)
        .order_by(col(Clinician.display_name))
    ).all()
    clients = session.exec(
        select(Client, User)
        .join(User, col(User.id) == Client.user_id)
        .where(Client.practice_id == practice_id, User.password_hash == NO_PASSWORD, col(User.is_active))
        .order_by(col(Client.created_at).desc(), col(Client.id).desc())
        .limit(MAX_CLIENT_INVITATIONS)
    ).all()
    with_app = set(
        session.exec(
            select(TwoFactorCredential.user_id).where(
                col(TwoFactorCredential.user_id).in_([user.id for _, user in clinicians]),
                col(TwoFactorCredential.confirmed_at).is_not(None),
            )
        ).all()
    )
    return Team(
        clinicians=[
            TeamMember(
                record_id=stored_id(clinician),
                role=Role.CLINICIAN,
                name=clinician.display_name,
                email=user.email,
                detail=clinician.credentials,
                account=account_status(session=session, user=user, now=now),
                is_viewer=user.id == viewer_user_id,
                two_factor=user.id in with_app,
            )
            for clinician, user in clinicians
        ],
        invited_clients=[
            TeamMember(
                record_id=stored_id(client),
                role=Role.CLIENT,
                name=client.full_name,
                email=client.email,
                detail=client.phone,
                account=account_status(session=session, user=user, now=now),
            )
            for client, user in clients
        ],
    )
