"""A client's portal account as staff see it: decided in one function, for the list and the record.

This is the seam for invitations: their states ("invited, expires …", expired, revoked) are
computed in ``portal_accounts`` and nowhere else, and every page reads them from here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from portal_app.domain.vocabulary import AccountStatus
from portal_app.models import Client, User
from portal_app.services.stored_rows import stored_id


@dataclass(frozen=True)
class PortalAccount:
    """Where a client's portal account stands.

    Attributes:
        status: No portal account, active, or deactivated.
        invitation_expires_at: When an open invitation stops working (set once invitations exist).
    """

    status: AccountStatus
    invitation_expires_at: datetime | None = None


def portal_accounts(
    *, session: Session, clients: Sequence[Client], now: datetime
) -> dict[int, PortalAccount]:
    """The portal account of each client, by client id: the one place this is decided.

    Both the list and a client's record read it here. Invitations (a one-time link per person)
    add their states in this function: "invited, expires …", expired, revoked.
    """
    user_ids = [client.user_id for client in clients if client.user_id is not None]
    active = dict(
        session.exec(select(User.id, User.is_active).where(col(User.id).in_(user_ids))).all()
        if user_ids
        else []
    )
    accounts = {}
    for client in clients:
        if client.user_id is None or client.user_id not in active:
            status = AccountStatus.NO_ACCOUNT
        elif active[client.user_id]:
            status = AccountStatus.ACTIVE
        else:
            status = AccountStatus.DEACTIVATED
        accounts[stored_id(client)] = PortalAccount(status)
    return accounts
