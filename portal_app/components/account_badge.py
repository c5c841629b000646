"""A person's portal account as a coloured badge with its words (Team and Clients pages)."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from portal_app.domain.vocabulary import AccountStatus

ACCOUNT_COLORS = {
    AccountStatus.ACTIVE.value: "green",
    AccountStatus.INVITED.value: "blue",
    AccountStatus.INVITATION_EXPIRED.value: "amber",
    AccountStatus.INVITATION_REVOKED.value: "gray",
    AccountStatus.NO_ACCOUNT.value: "gray",
    AccountStatus.DEACTIVATED.value: "red",
}


def account_badge(status: Var, label: Var) -> rx.Component:
    """The account's status in words, coloured (colour is never the only cue)."""
    return rx.badge(
        label, color_scheme=rx.match(status, *ACCOUNT_COLORS.items(), "gray"), variant="soft", radius="full"
    )
