"""Adding a client to a practice by hand: validated at this edge, one email per practice."""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass, field
from datetime import datetime

import pydantic
from sqlalchemy import func, text
from sqlmodel import Session, col, select

from portal_app.domain.client_details import ClientProblem, NewClient, client_problems, valid_email
from portal_app.models import Client
from portal_app.services.stored_rows import stored_id

logger = logging.getLogger(__name__)


class ClientOutcome(enum.StrEnum):
    """What adding a client did."""

    ADDED = "added"
    INVALID = "invalid"


@dataclass(frozen=True)
class ClientChange:
    """The result of adding a client.

    Attributes:
        outcome: Added, or refused.
        problems: Why each refused field was refused, by field name (``full_name``, ``email``,
            ``phone``).
        client_id: The new client (``ADDED``).
        name: Their name, for the message.
    """

    outcome: ClientOutcome
    problems: dict[str, ClientProblem] = field(default_factory=dict)
    client_id: int | None = None
    name: str = ""

    @property
    def ok(self) -> bool:
        """Whether the client was added."""
        return self.outcome == ClientOutcome.ADDED


def add_client(
    *,
    session: Session,
    practice_id: int,
    actor_user_id: int,
    full_name: str,
    email: str,
    phone: str,
    now: datetime,
) -> ClientChange:
    """Add a client (without a portal account) to the practice, unless their email is taken.

    The details are validated by ``NewClient``. Two clients of one practice never share an
    email: the check and the insert run in one transaction, serialised per practice and email
    (SQLite: the caller's ``BEGIN IMMEDIATE``; PostgreSQL: an advisory lock on the pair). No
    unique index says so, because clients added before this rule (or by a booking) may share
    one, e.g. a parent's address on a child's record.
    """
    try:
        entry = NewClient.model_validate({"full_name": full_name, "email": email, "phone": phone})
    except pydantic.ValidationError as error:
        problems = client_problems(error)
        # A well-formed email is checked too, so every field's message shows at once.
        address = valid_email(email)
        if address is not None and _email_taken(session, practice_id=practice_id, email=address):
            problems["email"] = ClientProblem.EMAIL_TAKEN
        session.rollback()
        return ClientChange(ClientOutcome.INVALID, problems=problems)
    _lock_email(session, practice_id=practice_id, email=entry.email)
    if _email_taken(session, practice_id=practice_id, email=entry.email):
        session.rollback()
        return ClientChange(ClientOutcome.INVALID, problems={"email": ClientProblem.EMAIL_TAKEN})
    client = Client(
        practice_id=practice_id,
        full_name=entry.full_name,
        email=entry.email,
        phone=entry.phone,
        created_at=now,
        created_by_user_id=actor_user_id,
    )
    session.add(client)
    session.commit()
    logger.info("Client %s added to practice %s by user %s", client.id, practice_id, actor_user_id)
    return ClientChange(ClientOutcome.ADDED, client_id=stored_id(client), name=client.full_name)


def _email_taken(session: Session, *, practice_id: int, email: str) -> bool:
    return (
        session.exec(
            select(Client.id).where(Client.practice_id == practice_id, func.lower(col(Client.email)) == email)
        ).first()
        is not None
    )


def _lock_email(session: Session, *, practice_id: int, email: str) -> None:
    """Serialise adding clients with one email to one practice, until the transaction ends."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
            {"key": f"client email {practice_id} {email}"},
        )
