"""What can be checked about a card before any gateway sees it: digits, Luhn, brand, expiry.

Pure: ``today`` is passed in. Nothing here keeps a number; callers hand it to a gateway and drop it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

# The longest card number any network issues, and the shortest.
_MIN_DIGITS, _MAX_DIGITS = 12, 19
# Issuer prefixes → brand, longest prefix first wins.
_BRANDS: tuple[tuple[str, str], ...] = (
    ("34", "American Express"),
    ("37", "American Express"),
    ("6011", "Discover"),
    ("65", "Discover"),
    ("51", "Mastercard"),
    ("52", "Mastercard"),
    ("53", "Mastercard"),
    ("54", "Mastercard"),
    ("55", "Mastercard"),
    ("2", "Mastercard"),
    ("4", "Visa"),
)


class CardProblem(enum.StrEnum):
    """Why a card was not accepted (before or by the gateway)."""

    NUMBER = "number"
    EXPIRED = "expired"
    EXPIRY = "expiry"
    CVC = "cvc"
    DECLINED = "declined"
    INSUFFICIENT_FUNDS = "insufficient_funds"
    GATEWAY_DOWN = "gateway_down"


@dataclass(frozen=True)
class CardEntry:
    """A card as typed into the form (held only for the call to the gateway)."""

    number: str
    exp_month: int
    exp_year: int
    cvc: str
    name: str = ""
    postal_code: str = ""

    def __repr__(self) -> str:
        # A traceback or a log line that prints this must not print the card.
        return "CardEntry(<redacted>)"


def digits_only(number: str) -> str:
    """The number without the spaces and dashes people type."""
    return "".join(ch for ch in number if ch not in " -")


def luhn_ok(digits: str) -> bool:
    """Whether ``digits`` passes the Luhn check every card number carries."""
    if not digits.isascii() or not digits.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def card_brand(digits: str) -> str:
    """The card network a number belongs to, by its prefix ("Card" when unknown)."""
    for prefix, brand in _BRANDS:
        if digits.startswith(prefix):
            return brand
    return "Card"


def entry_problem(entry: CardEntry, *, today: date) -> CardProblem | None:
    """The first thing wrong with a typed card, or None when a gateway may be asked."""
    digits = digits_only(entry.number)
    if not (_MIN_DIGITS <= len(digits) <= _MAX_DIGITS) or not luhn_ok(digits):
        return CardProblem.NUMBER
    if not (1 <= entry.exp_month <= 12) or not (2000 <= entry.exp_year <= 2100):
        return CardProblem.EXPIRY
    if (entry.exp_year, entry.exp_month) < (today.year, today.month):
        return CardProblem.EXPIRED
    cvc_length = 4 if card_brand(digits) == "American Express" else 3
    if not (entry.cvc.isascii() and entry.cvc.isdigit() and len(entry.cvc) == cvc_length):
        return CardProblem.CVC
    return None
