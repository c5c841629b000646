"""Cards through a payment gateway: the interface, the built-in test gateway, and the choice of one.

The portal never keeps a card number or security code: the form's values go to a gateway, which
answers with a token (to charge later), the brand, the last four digits and the expiry; only that
answer is stored (``PaymentCard``). A real provider is added as one more ``PaymentGateway``: a
class whose ``save_card`` calls the provider's API (server side, or better, takes a token its
browser script made) and returns the same ``SavedCard``; ``PORTAL_PAYMENT_GATEWAY`` names it.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from portal_app.domain.payment_cards import CardEntry, CardProblem, card_brand, digits_only, entry_problem


@dataclass(frozen=True)
class SavedCard:
    """What a gateway returns for a card it keeps: all the portal ever stores."""

    gateway: str
    token: str
    brand: str
    last4: str
    exp_month: int
    exp_year: int


@dataclass(frozen=True)
class CardRefused:
    """A card the gateway (or the check before it) would not take."""

    problem: CardProblem


class PaymentGateway(Protocol):
    """Keeps a card for later charges and returns a token for it."""

    name: str

    def save_card(self, entry: CardEntry, *, today: date) -> SavedCard | CardRefused:
        """Keep ``entry`` with the provider, or say why it was refused."""
        ...


# The test gateway's cards (the numbers payment providers publish for testing): every other
# number that passes the checks is taken too, like a real card would be.
TEST_DECLINED = "4000000000000002"
TEST_INSUFFICIENT_FUNDS = "4000000000009995"
_TEST_REFUSALS = {
    TEST_DECLINED: CardProblem.DECLINED,
    TEST_INSUFFICIENT_FUNDS: CardProblem.INSUFFICIENT_FUNDS,
}


class TestGateway:
    """The built-in gateway for the demo and the tests: no money moves, no network is used.

    ``4242 4242 4242 4242`` (any future expiry, any 3 digits) is taken; ``4000 0000 0000 0002`` is
    declined and ``4000 0000 0000 9995`` has insufficient funds.
    """

    name = "test"

    def save_card(self, entry: CardEntry, *, today: date) -> SavedCard | CardRefused:
        """Check the card as a provider would and keep a random token for it."""
        problem = entry_problem(entry, today=today)
        digits = digits_only(entry.number)
        if problem is None:
            problem = _TEST_REFUSALS.get(digits)
        if problem is not None:
            return CardRefused(problem)
        return SavedCard(
            gateway=self.name,
            token=f"tok_test_{secrets.token_hex(12)}",
            brand=card_brand(digits),
            last4=digits[-4:],
            exp_month=entry.exp_month,
            exp_year=entry.exp_year,
        )


_GATEWAYS: dict[str, type[PaymentGateway]] = {TestGateway.name: TestGateway}


def configured_gateway() -> PaymentGateway:
    """The gateway ``PORTAL_PAYMENT_GATEWAY`` names (``test`` unless set)."""
    name = os.environ.get("PORTAL_PAYMENT_GATEWAY", TestGateway.name).strip() or TestGateway.name
    if name not in _GATEWAYS:
        raise RuntimeError(f"PORTAL_PAYMENT_GATEWAY={name!r}: this portal has only {sorted(_GATEWAYS)}")
    return _GATEWAYS[name]()
