"""A client's portal account as staff see it, for the Clients list and a client's record.

Where an account stands (active, invited and until when, invitation expired or revoked,
deactivated, none) is decided once, in ``services.accounts.account_status``; this reads it for
a page of clients at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, col, select

from portal_app.models import Client, User
from portal_app.services.accounts import AccountView, account_status
from portal_app.services.stored_rows import stored_id


def portal_accounts(*, session: Session, clients: Sequence[Client], now: datetime) -> dict[int, AccountView]:
    """The portal account of each client, by client id."""
    user_ids = [client.user_id for client in clients if client.user_id is not None]
    users = (
        {user.id: user for user in session.exec(select(User).where(col(User.id).in_(user_ids)))}
        if user_ids
        else {}
    )
    return {
        stored_id(client): account_status(
            session=session, user=users.get(client.user_id) if client.user_id else None, now=now
        )
        for client in clients
    }
