"""Rules for people's accounts: names, emails, passwords, booking-link slugs. Pure."""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Collection
from functools import lru_cache

from zxcvbn import zxcvbn  # type: ignore[import-untyped]
from zxcvbn.frequency_lists import FREQUENCY_LISTS  # type: ignore[import-untyped]

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 128
MAX_NAME_LENGTH = 120
MAX_EMAIL_LENGTH = 254
MAX_PHONE_LENGTH = 40
MAX_CREDENTIALS_LENGTH = 60
MAX_SLUG_LENGTH = 80
# zxcvbn refuses longer passwords (its matching grows with the square of the length).
_ZXCVBN_LIMIT = 72

# One @, something before it, a dot and a top-level domain of two or more letters, no spaces or
# brackets: enough to catch typing mistakes; whether the address works is shown by mail arriving.
_EMAIL = re.compile(r"^[^@\s<>()\[\]\"',;:]+@[^@\s<>()\[\]\"',;:]+\.[^@\s<>()\[\]\"',;:.]{2,}$")


class InputProblem(enum.StrEnum):
    """Why a value typed into an account form was refused."""

    NAME_EMPTY = "name_empty"
    NAME_TOO_LONG = "name_too_long"
    EMAIL_INVALID = "email_invalid"
    PHONE_TOO_LONG = "phone_too_long"
    CREDENTIALS_TOO_LONG = "credentials_too_long"
    PASSWORD_TOO_SHORT = "password_too_short"
    PASSWORD_TOO_LONG = "password_too_long"
    PASSWORD_IS_EMAIL = "password_is_email"
    PASSWORD_COMMON = "password_common"
    PASSWORDS_DIFFER = "passwords_differ"
    MESSAGE_TOO_LONG = "message_too_long"


def normalize_email(email: str) -> str:
    """Emails compare case-insensitively and without surrounding spaces."""
    return email.strip().lower()


def email_problem(email: str) -> InputProblem | None:
    """Why ``email`` (normalized) cannot be an account's address, or None."""
    if len(email) > MAX_EMAIL_LENGTH or not _EMAIL.match(email):
        return InputProblem.EMAIL_INVALID
    return None


def name_problem(name: str) -> InputProblem | None:
    """Why ``name`` (stripped) cannot be a person's or a practice's name, or None."""
    if not name:
        return InputProblem.NAME_EMPTY
    if len(name) > MAX_NAME_LENGTH:
        return InputProblem.NAME_TOO_LONG
    return None


def password_problem(password: str, confirmation: str, *, email: str) -> InputProblem | None:
    """Why a new password is refused, or None.

    Length is the rule that matters (NIST SP 800-63B): at least ``MIN_PASSWORD_LENGTH``
    characters, any characters, no composition rules; not the account's own email; and not a
    known common password (``is_common_password``).
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        return InputProblem.PASSWORD_TOO_SHORT
    if len(password) > MAX_PASSWORD_LENGTH:
        return InputProblem.PASSWORD_TOO_LONG
    if password.strip().lower() == email.lower():
        return InputProblem.PASSWORD_IS_EMAIL
    if is_common_password(password, email=email):
        return InputProblem.PASSWORD_COMMON
    if password != confirmation:
        return InputProblem.PASSWORDS_DIFFER
    return None


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    # zxcvbn's list of the 30,000 passwords found most often in leaked password lists.
    return frozenset(FREQUENCY_LISTS["passwords"])


def is_common_password(password: str, *, email: str = "") -> bool:
    """Whether ``password`` is among the first an attacker tries (NIST SP 800-63B, 5.1.1.2).

    One of the 30,000 most common leaked passwords (ignoring case), or one that zxcvbn estimates
    under 10^3 guesses (score 0: a repeated word, a keyboard row, the email's own name with a
    year...). zxcvbn reads at most 72 characters; a longer password is judged by its start.
    """
    if password.lower() in _common_passwords():
        return True
    hints = [part for part in re.split(r"[@.+_-]+", email.lower()) if len(part) > 2]
    return zxcvbn(password[:_ZXCVBN_LIMIT], user_inputs=hints)["score"] == 0


def slug_for(name: str, taken: Collection[str]) -> str:
    """A booking-link slug from a name (``Dr. Ana María Ruiz`` → ``dr-ana-maria-ruiz``), not in ``taken``."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[: MAX_SLUG_LENGTH - 4] or "clinician"
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug
